// What the review and rectification tests ask the server directly, in the
// browser's own session (page.request shares its cookie): the CSRF token,
// an import of a file as a job, the proposals awaiting review, an item.
import { expect, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import path from 'node:path'

export interface Item {
  id: number
  version: number
  task: string
  unit: string
  kind: string
  status: string
  status_label: string
  lead_unit: string
  support_units: string[]
  responsible_person: string
  source: { report_id: number | null; file: string; line: number; text: string }
  review: { state: string; label: string; reason: string; by: string; merged_into: number | null; split_from: number | null }
  problem?: { source: string; measures: string; submitted_by: string; verified_by: string }
  progress_entries?: { attachments?: { name: string; url: string }[] }[]
}

export async function csrf(page: Page, base: string): Promise<string> {
  const me = await page.request.get(`${base}/api/v1/auth/me`)
  expect(me.ok()).toBe(true)
  return ((await me.json()) as { csrf_token: string }).csrf_token
}

// Uploads and imports `file` as the logged-in account; the job's result.
export async function importFile(page: Page, base: string, file: string): Promise<{
  reports: number
  awaiting_review: number
  report_list: { id: number; title: string; unit: string }[]
}> {
  const token = await csrf(page, base)
  const upload = await page.request.post(`${base}/api/v1/files`, {
    data: readFileSync(file),
    headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': token },
  })
  expect(upload.ok(), await upload.text()).toBe(true)
  const { file: sha } = (await upload.json()) as { file: string }
  const started = await page.request.post(`${base}/api/v1/reports`, {
    data: { file: sha, name: path.basename(file) },
    headers: { 'X-CSRF-Token': token },
  })
  expect(started.status(), await started.text()).toBe(202)
  const { id } = (await started.json()) as { id: string }
  for (let i = 0; i < 600; ++i) {
    const job = (await (await page.request.get(`${base}/api/v1/jobs/${id}`)).json()) as {
      state: string
      error?: string
      result?: never
    }
    if (job.state === 'done') return job.result!
    if (job.state === 'failed') throw new Error(`导入失败：${job.error}`)
    await page.waitForTimeout(250)
  }
  throw new Error('导入超时')
}

// Every proposal awaiting review that the account sees.
export async function proposals(page: Page, base: string): Promise<Item[]> {
  const out: Item[] = []
  for (let offset = 0; ; offset += 200) {
    const r = await page.request.get(`${base}/api/v1/review?offset=${offset}&limit=200`)
    expect(r.ok()).toBe(true)
    const body = (await r.json()) as { items: Item[]; total: number }
    out.push(...body.items)
    if (body.items.length === 0 || out.length >= body.total) return out
  }
}

export async function item(page: Page, base: string, id: number): Promise<Item> {
  const r = await page.request.get(`${base}/api/v1/items/${id}`)
  expect(r.ok(), await r.text()).toBe(true)
  return (await r.json()) as Item
}
