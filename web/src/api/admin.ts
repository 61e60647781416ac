// The statistics and administration parts of the API (docs/serve.md 统计,
// docs/accounts.md 管理接口): their JSON types and calls, through the one
// client's `request`.
import { query, request } from './client'
import type { Role } from './types'

// --- 统计 ---------------------------------------------------------------------

// One row of GET /api/v1/rates: a unit's (or a month's) counts and rates;
// the last row is the total. Rates are percent strings with one decimal,
// null when the denominator is 0.
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
  completion_rate: string | null
  rectification_rate: string | null
  on_time_rectification_rate: string | null
}

export interface RatesResponse {
  group: 'unit' | 'month'
  year: number | null
  from: string
  to: string
  today: string
  rows: RateRow[]
}

export interface RatesQuery {
  group?: 'unit' | 'month'
  year?: number
  from?: string
  to?: string
  unit?: string
  kind?: 'plan' | 'problem'
}

export function getRates(q: RatesQuery): Promise<RatesResponse> {
  return request('GET', '/api/v1/rates' + query({ ...q }))
}

export interface CountRow {
  unit?: string
  month?: string
  status?: string
  label?: string
  count: number
}

export interface DashboardResponse {
  today: string
  within: number
  due_soon: { count: number }
  overdue: { count: number }
  awaiting_review: { count: number }
  awaiting_close_off: { count: number }
  lights: { red: number; yellow: number; green: number; none: number }
  overdue_by_unit_month: CountRow[]
  status: CountRow[]
}

// The counts only (limit=0: no items listed).
export function getDashboard(): Promise<DashboardResponse> {
  return request('GET', '/api/v1/dashboard?limit=0')
}

// --- 单位 ---------------------------------------------------------------------

export interface Unit {
  id: number
  name: string
  parent_id: number
  aliases: string[]
  disabled: boolean
  path: string
  children: Unit[]
}

export function listUnits(): Promise<{ units: Unit[] }> {
  return request('GET', '/api/v1/units')
}

export function addUnit(name: string, parent: string, aliases: string[]): Promise<unknown> {
  return request('POST', '/api/v1/units', { name, ...(parent ? { parent } : {}), aliases })
}

export function renameUnit(id: number, name: string): Promise<unknown> {
  return request('POST', `/api/v1/units/${id}/rename`, { name })
}

export function setUnitAliases(id: number, aliases: string[]): Promise<unknown> {
  return request('POST', `/api/v1/units/${id}/aliases`, { aliases })
}

export function moveUnit(id: number, parent: string): Promise<unknown> {
  return request('POST', `/api/v1/units/${id}/move`, { parent })
}

export function setUnitDisabled(id: number, disabled: boolean): Promise<unknown> {
  return request('POST', `/api/v1/units/${id}/${disabled ? 'disable' : 'enable'}`)
}

// --- 用户 ---------------------------------------------------------------------

export interface User {
  id: number
  name: string
  display_name: string
  roles: Role[]
  roles_label: string
  unit_id: number
  unit: string
  scope_unit_id: number
  scope: string
  disabled: boolean
  locked: boolean
  locked_until?: string
  must_change_password: boolean
  created_at: string
  created_by: string
}

export interface UserFields {
  name?: string
  display_name: string
  roles: Role[]
  unit: string
  scope: string
}

export function listUsers(): Promise<{ users: User[] }> {
  return request('GET', '/api/v1/users')
}

export function addUser(fields: UserFields): Promise<{ user: User; one_time_password: string }> {
  return request('POST', '/api/v1/users', fields)
}

export function updateUser(name: string, fields: UserFields): Promise<unknown> {
  const { name: _, ...rest } = fields
  return request('PATCH', `/api/v1/users/${encodeURIComponent(name)}`, rest)
}

export function userCommand(name: string, verb: 'disable' | 'enable' | 'unlock'): Promise<unknown> {
  return request('POST', `/api/v1/users/${encodeURIComponent(name)}/${verb}`)
}

export function resetPassword(name: string): Promise<{ one_time_password: string }> {
  return request('POST', `/api/v1/users/${encodeURIComponent(name)}/reset-password`)
}

// --- 安全策略 -----------------------------------------------------------------

export interface Policy {
  min_length: number
  min_classes: number
  history: number
  expiry_days: number
  max_failures: number
  lockout_minutes: number
  session_idle_minutes: number
  session_absolute_hours: number
  audit_retention_days: number
}

export function getPolicy(): Promise<Policy> {
  return request('GET', '/api/v1/policy')
}

export function setPolicy(changes: Partial<Policy>): Promise<Policy> {
  return request('PUT', '/api/v1/policy', changes)
}

// --- 审计日志 -----------------------------------------------------------------

export interface AuditEntry {
  id: number
  at: string
  user: string
  address: string
  action: string
  object: string
  outcome: 'success' | 'failure' | 'refused'
  detail: string
}

export interface AuditFilters {
  user?: string
  action?: string
  outcome?: string
  from?: string
  to?: string
}

export function readAudit(f: AuditFilters, offset: number, limit: number): Promise<{ entries: AuditEntry[]; more: boolean }> {
  return request('GET', '/api/v1/audit' + query({ ...f, offset, limit }))
}

// The address of the export (a download the browser makes with the session cookie).
export function auditExportUrl(f: AuditFilters, format: 'csv' | 'xlsx'): string {
  return '/api/v1/audit/export' + query({ ...f, format })
}
