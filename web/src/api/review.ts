// The calls of the 审核 (review of proposals) and 整改 (rectification)
// pages: GET /api/v1/review and the five review actions, submit and
// close-off of a problem, files for its evidence, the rates, the unit tree
// and the report list (docs/serve.md).
import { query, request } from './client'
import type { ItemPage, LedgerItem } from './types'

// An item as a review request names it: the version read (optimistic lock).
export interface ItemRef {
  id: number
  version: number
}

export interface ReviewResult {
  items: LedgerItem[]
  message: string
}

export function refOf(item: LedgerItem): ItemRef {
  return { id: item.id, version: item.version }
}

// A review request names at most this many items (kMaxReviewItems).
export const maxReviewItems = 500

// How many proposals await review in each report (report_id 0: those read
// from no report), by report id: the server counts them.
export interface ReportCount {
  report_id: number
  count: number
}

export interface ProposalPage extends ItemPage {
  reports: ReportCount[]
}

// One page of the proposals awaiting review in the account's scope (of one
// report when `report` is given), and the count of every report's.
export function listProposals(q: { unit?: string; year?: number; report?: number; offset?: number; limit?: number }): Promise<ProposalPage> {
  return request('GET', '/api/v1/review' + query(q))
}

// Every proposal awaiting review (pages of 200), in id order, of one report
// when `report` is given; with the count of every report's.
export async function allProposals(q: { unit?: string; year?: number; report?: number } = {}): Promise<{ items: LedgerItem[]; reports: ReportCount[] }> {
  const out: LedgerItem[] = []
  let reports: ReportCount[] = []
  for (let offset = 0; ; offset += 200) {
    const page = await listProposals({ ...q, offset, limit: 200 })
    if (offset === 0) reports = page.reports
    out.push(...page.items)
    if (page.items.length === 0 || out.length >= page.total) return { items: out, reports }
  }
}

export function acceptProposals(items: ItemRef[]): Promise<ReviewResult> {
  return request('POST', '/api/v1/review/accept', { items })
}

export function rejectProposals(items: ItemRef[], reason: string): Promise<ReviewResult> {
  return request('POST', '/api/v1/review/reject', { items, reason })
}

export function mergeProposals(items: ItemRef[], task: string): Promise<ReviewResult> {
  return request('POST', '/api/v1/review/merge', task ? { items, task } : { items })
}

export function splitProposal(item: ItemRef, tasks: string[]): Promise<ReviewResult> {
  return request('POST', '/api/v1/review/split', { item, tasks })
}

export interface Assignment {
  lead_unit?: string
  support_units?: string[]
  responsible_person?: string
}

export function assignProposals(items: ItemRef[], assignment: Assignment): Promise<ReviewResult> {
  return request('POST', '/api/v1/review/assign', { items, ...assignment })
}

// --- 报告（审核页按报告分组用） ------------------------------------------------

export interface ReportBrief {
  id: number
  title: string
  unit: string
}

interface ReportSources {
  sources: { id: number; name: string; reports: ReportBrief[] }[]
  total: number
}

// Every report the account may see: id → title, unit and file name.
export async function reportTitles(): Promise<Map<number, ReportBrief & { file: string }>> {
  const out = new Map<number, ReportBrief & { file: string }>()
  for (let offset = 0; ; offset += 200) {
    const page = await request<ReportSources>('GET', '/api/v1/reports' + query({ offset, limit: 200 }))
    for (const source of page.sources) {
      for (const r of source.reports) out.set(r.id, { id: r.id, title: r.title, unit: r.unit, file: source.name })
    }
    if (page.sources.length === 0 || offset + page.sources.length >= page.total) return out
  }
}

// --- 单位树 --------------------------------------------------------------------

export interface UnitNode {
  id: number
  name: string
  parent_id: number
  aliases: string[]
  disabled: boolean
  path: string
  children: UnitNode[]
}

// The unit tree flattened, parents before their children.
export async function unitList(): Promise<UnitNode[]> {
  const { units } = await request<{ units: UnitNode[] }>('GET', '/api/v1/units')
  const out: UnitNode[] = []
  const walk = (nodes: UnitNode[]) => {
    for (const n of nodes) {
      out.push(n)
      walk(n.children ?? [])
    }
  }
  walk(units)
  return out
}

// --- 整改 --------------------------------------------------------------------

// Every problem the account may read (pages of 200).
export async function allProblems(): Promise<LedgerItem[]> {
  const out: LedgerItem[] = []
  for (let offset = 0; ; offset += 200) {
    const page = await request<ItemPage>('GET', '/api/v1/items' + query({ kind: 'problem', offset, limit: 200 }))
    out.push(...page.items)
    if (page.items.length === 0 || out.length >= page.total) return out
  }
}

export interface Attachment {
  file: string
  name: string
  size?: number
  url?: string
}

export interface ProgressEntry {
  date: string
  note: string
  value: string
  by?: string
  at?: string
  attachments?: Attachment[]
}

// GET /api/v1/items/{id}: the item with its progress entries (and their evidence).
export type ItemWithProgress = LedgerItem & { progress_entries?: ProgressEntry[] }

export function readItem(id: number): Promise<ItemWithProgress> {
  return request('GET', `/api/v1/items/${id}`)
}

// Uploads one file (its content) → its SHA-256.
export function uploadFile(file: Blob): Promise<{ file: string; format: string; size: number }> {
  return request('POST', '/api/v1/files', file)
}

// 提交整改 (填报员): the measures and evidence files, at the version read.
export function submitRectification(
  id: number,
  version: number,
  measures: string,
  evidence: { file: string; name: string }[],
): Promise<LedgerItem> {
  return request('POST', `/api/v1/items/${id}/submit`, { measures, evidence }, { headers: { 'If-Match': `"${version}"` } })
}

// 销号 (督查员, not the one who submitted).
export function closeOff(id: number, version: number): Promise<LedgerItem> {
  return request('POST', `/api/v1/items/${id}/close-off`, {}, { headers: { 'If-Match': `"${version}"` } })
}

// --- 比率 --------------------------------------------------------------------

export interface RateRow {
  unit?: string | null
  month?: string | null
  total: boolean
  problems: number
  rectified: number
  rectified_on_time: number
  due: number
  tasks: number
  done: number
  overdue: number
  rectification_rate: string | null
  on_time_rectification_rate: string | null
  completion_rate: string | null
}

export interface Rates {
  group: 'unit' | 'month'
  year: number | null
  from: string
  to: string
  today: string
  rows: RateRow[]
}

export function rates(q: { kind?: 'plan' | 'problem'; year?: number; unit?: string } = {}): Promise<Rates> {
  return request('GET', '/api/v1/rates' + query(q))
}
