// Types of the item detail, progress, uploads and the workbench (GET
// /api/v1/items/{id}, POST …/progress, POST /api/v1/files, GET
// /api/v1/dashboard), as the server writes them.
import type { LedgerItem } from './types'

export interface Attachment {
  file: string // SHA-256
  name: string
  size: number
  url: string
}

export interface ProgressEntryJson {
  id: number
  date: string
  value: string
  note: string
  evidence: string
  by: string
  recorded_at: string
  attachments: Attachment[]
}

export interface HistoryChange {
  field: string
  label: string
  before: string
  after: string
}

export interface HistoryRow {
  id: number
  at: string
  actor: string
  action: string
  action_label: string
  changes: HistoryChange[]
}

export interface ItemDetail extends LedgerItem {
  progress_entries: ProgressEntryJson[]
  history: HistoryRow[]
}

export interface ProgressRequest {
  date?: string
  value?: string
  note?: string
  done?: boolean
  evidence?: { file: string; name: string }[]
}

export interface UploadedFile {
  file: string
  format: string
  size: number
}

export interface DashboardList {
  count: number
  items: LedgerItem[]
}

export interface Dashboard {
  today: string
  within: number
  due_soon: DashboardList
  overdue: DashboardList
  awaiting_review: DashboardList
  awaiting_close_off: DashboardList
  lights: { red: number; yellow: number; green: number; none: number }
  overdue_by_unit_month: { unit: string; month: string; count: number }[]
  status: { status: string; label: string; count: number }[]
}
