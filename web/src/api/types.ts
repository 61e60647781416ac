// Types of the API's JSON (GET /api/v1/openapi.json; docs/serve.md), as the
// server writes them.

export type Role = 'system_admin' | 'security_admin' | 'audit_admin' | 'supervisor' | 'reporter' | 'viewer'

export interface Principal {
  id: number
  name: string
  display_name: string
  roles: Role[]
  roles_label: string
  unit_id: number
  scope_unit_id: number
  must_change_password: boolean
}

export interface LoginResponse {
  csrf_token: string
  user: Principal
}

export interface MeResponse extends Principal {
  csrf_token?: string
}

export type ItemKind = 'plan' | 'problem'

export type ItemStatus =
  | 'not_started'
  | 'in_progress'
  | 'done'
  | 'cancelled'
  | 'rectifying'
  | 'awaiting_close_off'
  | 'closed_off'

export type Warning = '' | 'green' | 'yellow' | 'red'

// One ledger item, the fields of `taizhang ledger list --json`.
export interface LedgerItem {
  id: number
  kind: ItemKind
  unit: string
  year: number
  task: string
  target: { text: string; value: string | null; unit: string; approximation: string }
  deadline: string | null
  recurrence: string
  status: ItemStatus
  status_label: string
  overdue: boolean
  warning: Warning
  progress: { date: string; note: string; value: string }
  source: { report_id: number | null; file: string; line: number; text: string }
  lead_unit: string
  support_units: string[]
  responsible_person: string
  review: {
    state: string
    label: string
    reason: string
    by: string
    at: string
    merged_into: number | null
    split_from: number | null
  }
  version: number
  created_at: string
  created_by: string
  updated_at: string
  updated_by: string
  problem?: {
    source: string
    found_date: string
    measures: string
    submitted_by: string
    submitted_at: string
    verified_by: string
    closed_at: string
  }
}

export interface ItemPage {
  items: LedgerItem[]
  total: number
  offset: number
  limit: number
}

// GET /api/v1/items: every filter optional.
export interface ItemQuery {
  kind?: ItemKind
  unit?: string
  year?: number
  status?: ItemStatus
  overdue?: boolean
  due_within?: number
  deadline_from?: string
  deadline_to?: string
  warning?: 'red' | 'yellow' | 'green'
  review?: string
  q?: string
  sort?: 'id' | '-id' | 'deadline' | 'updated'
  offset?: number
  limit?: number
}

// The one error shape: {"error":{"code":"…","message":"中文…"}}.
export interface ErrorBody {
  error: { code: string; message: string; field?: string }
}
