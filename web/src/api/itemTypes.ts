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

// A change refused with 412 (someone changed the item since it was read):
// who changed it when, the current version, the item as the form read it
// and as it is now (ApiError.details of the 412).
export interface Conflict {
  by: string
  at: string
  version: number
  mine: LedgerItem
  current: LedgerItem
}

// The fields PATCH /api/v1/items/{id} changes (a field left out stays).
export interface ItemFields {
  unit?: string
  year?: number
  task?: string
  target?: string
  deadline?: string
  recurrence?: string
  status?: string
  measures?: string
  lead_unit?: string
  support_units?: string[]
  responsible_person?: string
}
