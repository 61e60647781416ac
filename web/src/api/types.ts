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

// --- 报告（GET /api/v1/reports…, docs/serve.md#报告） ----------------------------

export type ReportKind = 'summary' | 'plan' | 'summary+plan' | 'government_work_report' | 'other'
export type SourceFormat = 'text' | 'docx' | 'pdf' | 'doc'

export interface UploadedFile {
  file: string // SHA-256
  format: SourceFormat
  size: number
}

export type JobState = 'queued' | 'running' | 'done' | 'failed'

// The result of an import job (POST /api/v1/reports).
export interface ImportResult {
  outcome: 'new' | 'unchanged' | 'new_version'
  message: string
  source_id: number
  version: number
  reports: number
  plan_items: number
  ledger_added: number
  awaiting_review: number
  warnings: string[]
  report_list: { id: number; title: string; unit: string }[]
}

export interface Job {
  id: string
  state: JobState
  progress: number
  name?: string
  result?: ImportResult
  error?: string
}

export interface ReportSummary {
  id: number
  source_id: number
  doc_index: number
  title: string
  unit: string
  unit_guessed: boolean
  kind: ReportKind
  summary_year: number | null
  plan_year: number | null
  first_line: number
  last_line: number
  counts: { headings: number; figures: number; plan_items: number; relations: number; findings: number }
}

export interface StoredSource {
  id: number
  name: string
  format: SourceFormat
  size: number
  version: number
  report_count: number
  imported_at: string
  imported_by: string
}

export interface SourceWithReports extends StoredSource {
  reports: ReportSummary[]
}

export interface ReportPage {
  sources: SourceWithReports[]
  total: number
  offset: number
  limit: number
}

export interface ReportQuery {
  unit?: string
  year?: number
  kind?: ReportKind
  text?: string
  offset?: number
  limit?: number
}

// A place in the report's text: lines as in `lines`, columns in characters
// from 1, the end just past the span.
export interface TextSpan {
  line: number
  column: number
  end_line?: number
  end_column?: number
  text?: string
}

export interface OutlineNode {
  index: number
  depth: number
  marker: string
  marker_kind: string
  title: string
  section_kind: string
  section_year: number | null
  span: TextSpan
  last_line?: number
  children: OutlineNode[]
}

export type Severity = 'error' | 'warning' | 'info'

export interface Finding {
  rule: string
  severity: Severity
  line: number
  column: number
  span: TextSpan | null
  message: string
  fix: string | null
  related: (TextSpan & { note: string })[]
}

export interface RelationFigure extends TextSpan {
  value: string | null
  unit: string
  role: 'whole' | 'part'
}

export interface Relation {
  family: string
  status: 'consistent' | 'inconsistent' | 'not_checkable'
  status_label?: string
  line: number
  statement: string
  reason: string
  figures: RelationFigure[]
}

export interface ReportDetail extends ReportSummary {
  unit_kind?: string
  source: StoredSource
  original: boolean
  lines: { line: number; text: string }[] | null
  outline: OutlineNode[]
  findings: Finding[]
  relations: Relation[]
}

// --- 对标对表（POST /api/v1/compare, GET /api/v1/compare/across） -------------

export type Verdict = 'exceeded' | 'met' | 'missed' | 'not_reported' | 'done' | 'in_progress' | 'not_mentioned' | 'unclear'

export interface EvidenceSpan {
  kind: 'sentence' | 'phrase' | 'figure' | 'cue'
  begin: number // characters into the result's `text`
  end: number
}

export interface Evidence {
  line: number
  column: number
  sentence: string
  phrase: string
  figure_text: string
  score: number
  cue: string
  note: string
  spans?: EvidenceSpan[]
}

export interface CompareItem {
  target: {
    source: string
    kind: string
    text: string
    subject: string
    figure_text: string
    deadline: string | null
    line: number
    column: number
    ledger_id: number | null
  }
  verdict: Verdict
  verdict_label: string
  reason: string
  evidence: Evidence[]
}

export interface ComparePair {
  plan: { path: string; title: string }
  result: { path: string; title: string; report_id: number; first_line: number; text: string }
  unit: string
  year: number
  counts: Partial<Record<Verdict, number>>
  items: CompareItem[]
}

export interface CompareResponse {
  pairs: ComparePair[]
}

export interface CompareRequest {
  result_report: number
  plan_report?: number
  ledger?: { unit: string; year: number }
}

export interface AcrossRow {
  path: string
  report: number
  report_id: number
  unit: string
  title: string
  phrase: string
  figure_text: string
  placeholder: boolean
  period: string
  line: number
  column: number
  sentence: string
  score: number
}

export interface AcrossResponse {
  across: string
  rows: AcrossRow[]
  missing: { report_id: number; title: string; message: string }[]
}
