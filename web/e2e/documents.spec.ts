// The files the server makes, saved from the browser: the 督办通报 and the
// 年度总结初稿 of the 文档 page (each a Word file whose text, read back by
// `taizhang text`, has the expected title), the 填报员 offered only units
// of their own; the 数据库备份 page of the 系统管理员 (a backup made, listed,
// downloaded once: an SQLite file; the second download refused), and both
// in the audit log, seen by the 审计管理员 on the audit page.
import { test, expect, type Download, type Locator, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { logIn, logInToWorkbench, shot, unlabelledFields, watchConsole, world } from './helpers'

const here = path.dirname(fileURLToPath(import.meta.url))
const taizhang = process.env.TAIZHANG_BIN || path.resolve(here, '../../build/taizhang')

// The text of a saved Word file, read by taizhang's own reader; the file
// is a zip (PK) with the main part the reader needs.
async function wordText(download: Download): Promise<string> {
  const file = await download.path()
  expect(file).toBeTruthy()
  const bytes = readFileSync(file!)
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK')
  const copy = path.join(path.dirname(file!), `${path.basename(file!)}.docx`)
  await download.saveAs(copy)
  return execFileSync(taizhang, ['text', copy], { encoding: 'utf8' })
}

async function choose(page: Page, field: string, option: string, scope: Page | Locator = page): Promise<void> {
  await scope.getByRole('combobox', { name: field }).focus()
  await page.keyboard.press('Enter')
  await page.getByRole('option', { name: option, exact: true }).click()
}

test('文档：督查员下载督办通报和年度总结初稿（Word）', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'zhangsan', w.password)
  await page.getByRole('menuitem', { name: '文档' }).click()
  await expect(page).toHaveURL(/\/documents$/)
  expect(await unlabelledFields(page)).toEqual([])

  // The bulletin of every unit for 2025.
  const bulletin = page.getByTestId('bulletin-card')
  await choose(page, '年度', '2025年', bulletin)
  const [whole] = await Promise.all([page.waitForEvent('download'), bulletin.getByRole('button', { name: '下载督办通报' }).click()])
  expect(whole.suggestedFilename()).toBe('督办通报.docx')
  const wholeText = await wordText(whole)
  expect(wholeText).toContain('关于2025年工作任务推进情况的通报')
  expect(wholeText).toContain('一、总体情况')

  // Scoped to one unit, with a title of its own.
  await choose(page, '范围', '清河县农业农村局', bulletin)
  await page.getByLabel('发文机关').fill('某县人民政府督查室')
  const [scoped] = await Promise.all([page.waitForEvent('download'), bulletin.getByRole('button', { name: '下载督办通报' }).click()])
  const scopedText = await wordText(scoped)
  expect(scopedText).toContain('关于清河县农业农村局2025年工作任务推进情况的通报')
  expect(scopedText).toContain('某县人民政府督查室')
  expect(scopedText).not.toContain('县水利局')
  await shot(page, '63-文档-督查员')

  // The draft of 清河县农业农村局 for 2025, whose plan the ledger holds.
  const draft = page.getByTestId('draft-card')
  await choose(page, '年度', '2025年', draft)
  await choose(page, '单位', '清河县农业农村局', draft)
  const [made] = await Promise.all([page.waitForEvent('download'), draft.getByRole('button', { name: '下载总结初稿' }).click()])
  expect(made.suggestedFilename()).toBe('总结初稿.docx')
  const draftText = await wordText(made)
  expect(draftText).toContain('清河县农业农村局2025年工作总结（初稿）')
  expect(draftText).toContain('初稿')
  watch.check()
})

test('文档：填报员只能选本单位范围内的单位，别的单位的初稿被拒绝', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'lisi', w.password)
  await page.getByRole('menuitem', { name: '文档' }).click()
  const draft = page.getByTestId('draft-card')
  await choose(page, '年度', '2025年', draft)
  await expect(page.getByRole('option', { name: '2025年', exact: true })).toBeHidden()
  await draft.getByRole('combobox', { name: '单位' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('option').first()).toBeVisible()
  const offered = (await page.getByRole('option').allTextContents()).map((t) => t.trim())
  expect(offered.length).toBeGreaterThan(0)
  expect(offered).not.toContain('清河县农业农村局')
  for (const unit of offered) expect(unit).toMatch(/^县水利局/)
  await page.keyboard.press('Escape')
  // The other unit's draft by address: the server refuses (no readable item).
  const refused = await page.request.get(`${w.main}/api/v1/documents/draft.docx?unit=${encodeURIComponent('清河县农业农村局')}&year=2025`)
  expect(refused.status()).toBe(404)
  // A bulletin of the reporter's own scope names no other unit.
  const [own] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('bulletin-card').getByRole('button', { name: '下载督办通报' }).click(),
  ])
  const text = await wordText(own)
  expect(text).toContain('工作任务推进情况的通报')
  expect(text).not.toContain('清河县农业农村局')
  await shot(page, '64-文档-填报员')
  watch.check()
})

test('数据库备份：系统管理员备份并下载一次，审计日志中有记录', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logIn(page, w.main, 'xitong', w.password)
  await expect(page).toHaveURL(/\/account$/)
  await page.getByRole('menuitem', { name: '数据库备份' }).click()
  await expect(page).toHaveURL(/\/admin\/backup$/)
  await page.getByRole('button', { name: '立即备份' }).click()
  const rows = page.getByTestId('backup-table').locator('tbody tr')
  await expect(rows).toHaveCount(1)
  const file = (await rows.first().locator('td').first().textContent())!.trim()
  expect(file).toMatch(/^taizhang-\S+-[0-9a-f]{8}\.db$/)
  await shot(page, '65-数据库备份')

  const [copy] = await Promise.all([page.waitForEvent('download'), rows.first().getByRole('button', { name: /下载/ }).click()])
  expect(copy.suggestedFilename()).toBe(file)
  const bytes = readFileSync((await copy.path())!)
  expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000')
  await expect(rows.first()).toContainText('已下载')
  await expect(rows.first().getByRole('button', { name: /下载/ })).toHaveCount(0)
  // Once only: the address again is refused.
  const me = (await (await page.request.get(`${w.main}/api/v1/auth/me`)).json()) as { csrf_token: string }
  const second = await page.request.post(`${w.main}/api/v1/backup`, { headers: { 'X-CSRF-Token': me.csrf_token } })
  expect(second.status()).toBe(201)
  const { download } = (await second.json()) as { download: string }
  expect((await page.request.get(`${w.main}${download}`)).status()).toBe(200)
  expect((await page.request.get(`${w.main}${download}`)).status()).toBe(404)
  watch.check()

  // The audit administrator sees both, by xitong, on the audit page.
  await page.context().clearCookies()
  await logIn(page, w.main, 'shenji', w.password)
  await expect(page).toHaveURL(/\/account$/)
  await page.getByRole('menuitem', { name: '审计日志' }).click()
  await page.getByLabel('操作人').fill('xitong')
  await choose(page, '操作', '备份数据库')
  await page.getByRole('button', { name: '查询' }).click()
  const table = page.getByTestId('audit-table')
  await expect(table.locator('.el-table__body tr', { hasText: file })).toHaveCount(1)
  await expect(table.locator('.el-table__body tr').first()).toContainText('备份数据库')
  await choose(page, '操作', '下载备份')
  await page.getByRole('button', { name: '查询' }).click()
  await expect(table.locator('.el-table__body tr', { hasText: file })).toHaveCount(1)
  await shot(page, '66-审计日志-备份')
})
