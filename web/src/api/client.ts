// The one client of the server's API. Every call goes through `request`:
// the session is the HttpOnly cookie the server set at login; the CSRF token
// (from the login, or from /auth/me after a reload) is kept in memory only
// and sent as X-CSRF-Token on every change; an answer other than 2xx becomes
// an ApiError carrying the server's Chinese message. A 401 from any call but
// the login tells `onSessionLost` (the app returns to the login page).
import type { ItemPage, ItemQuery, LedgerItem, LoginResponse, MeResponse } from './types'
import type {
  AcrossResponse,
  CompareRequest,
  CompareResponse,
  Job,
  ReportDetail,
  ReportPage,
  ReportQuery,
  UploadedFile,
} from './types'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    // The whole `error` object of the answer ({"error":{…}}; 412: changed_by,
    // changed_at, version, current; a refused workbook: rows).
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

let csrfToken = ''
let sessionLost: (() => void) | null = null

export function setCsrfToken(token: string): void {
  csrfToken = token
}

export function csrf(): string {
  return csrfToken
}

export function onSessionLost(handler: () => void): void {
  sessionLost = handler
}

const fallbackMessages: Record<number, string> = {
  401: '请先登录。',
  403: '没有权限进行此操作。',
  404: '没有找到。',
  429: '操作过于频繁，请稍后再试。',
  500: '服务器内部错误，请稍后再试或联系管理员。',
}

// `options.headers`: more headers (If-Match); a Blob body (a file to upload)
// is sent as it is, any other body as JSON.
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { login?: boolean; headers?: Record<string, string> } = {},
): Promise<T> {
  const raw = body instanceof Blob
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
  if (body !== undefined) headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json'
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试。')
  }
  const text = await response.text()
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string } } | null)?.error
    const message = error?.message || fallbackMessages[response.status] || `请求失败（${response.status}）。`
    if (response.status === 401 && !options.login && sessionLost) sessionLost()
    throw new ApiError(response.status, error?.code || 'error', message, (error ?? {}) as Record<string, unknown>)
  }
  return data as T
}

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '' || value === false) continue
    search.set(key, value === true ? '1' : String(value))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}

// --- 账户 ---------------------------------------------------------------------

export function login(name: string, password: string): Promise<LoginResponse> {
  return request('POST', '/api/v1/auth/login', { name, password }, { login: true })
}

export function logout(): Promise<{ status: string }> {
  return request('POST', '/api/v1/auth/logout')
}

export function logoutEverywhere(): Promise<{ sessions: number }> {
  return request('POST', '/api/v1/auth/logout-all')
}

// The current account; `quiet`: a 401 only means "not logged in" (the app's
// start), not a lost session.
export function me(quiet = false): Promise<MeResponse> {
  return request('GET', '/api/v1/auth/me', undefined, { login: quiet })
}

export function changePassword(oldPassword: string, newPassword: string): Promise<{ status: string }> {
  return request('POST', '/api/v1/auth/password', { old_password: oldPassword, new_password: newPassword })
}

// --- 台账 ---------------------------------------------------------------------

// The filter of GET /api/v1/items as query parameters (the Excel export takes the same).
export function itemFilterQuery(q: ItemQuery): string {
  return query({
    kind: q.kind,
    unit: q.unit,
    year: q.year,
    status: q.status,
    overdue: q.overdue,
    due_within: q.due_within,
    deadline_from: q.deadline_from,
    deadline_to: q.deadline_to,
    warning: q.warning,
    review: q.review,
    q: q.q,
    sort: q.sort,
    offset: q.offset,
    limit: q.limit,
  })
}

export function listItems(q: ItemQuery): Promise<ItemPage> {
  return request('GET', '/api/v1/items' + itemFilterQuery(q))
}

export function getItem(id: number): Promise<LedgerItem> {
  return request('GET', `/api/v1/items/${encodeURIComponent(String(id))}`)
}

// --- 报告 ---------------------------------------------------------------------

// Uploads one file (the body is its bytes), telling `onProgress` the share
// sent (0–100) as it goes: fetch cannot report an upload's progress, so
// this one call is an XMLHttpRequest, with the same headers and errors as
// `request`.
export function uploadFile(file: Blob, onProgress: (percent: number) => void): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/v1/files')
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.round((e.loaded * 100) / e.total))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', '无法连接服务器，请检查网络后重试。'))
    xhr.onload = () => {
      let data: unknown = null
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null
      } catch {
        data = null
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100)
        resolve(data as UploadedFile)
        return
      }
      const error = (data as { error?: { code?: string; message?: string } } | null)?.error
      const message =
        error?.message ||
        (xhr.status === 413 ? '文件超过服务器允许的大小。' : '') ||
        fallbackMessages[xhr.status] ||
        `上传失败（${xhr.status}）。`
      if (xhr.status === 401 && sessionLost) sessionLost()
      reject(new ApiError(xhr.status, error?.code || 'error', message))
    }
    xhr.send(file)
  })
}

// Imports an uploaded file into the ledger as a job (202).
export function importReport(file: string, name: string): Promise<Job> {
  return request('POST', '/api/v1/reports', { file, name })
}

export function getJob(id: string): Promise<Job> {
  return request('GET', `/api/v1/jobs/${encodeURIComponent(id)}`)
}

export function listReports(q: ReportQuery): Promise<ReportPage> {
  return request(
    'GET',
    '/api/v1/reports' +
      query({ unit: q.unit, year: q.year, kind: q.kind, text: q.text, offset: q.offset, limit: q.limit }),
  )
}

export function getReport(id: number): Promise<ReportDetail> {
  return request('GET', `/api/v1/reports/${encodeURIComponent(String(id))}`)
}

// Addresses the browser opens itself (the session cookie goes along).
export function checkPageUrl(reportId: number): string {
  return `/api/v1/reports/${encodeURIComponent(String(reportId))}/check.html`
}

export function annotatedDocxUrl(sourceId: number): string {
  return `/api/v1/sources/${encodeURIComponent(String(sourceId))}/annotated.docx`
}

// --- 对标对表 -------------------------------------------------------------------

export function compare(body: CompareRequest): Promise<CompareResponse> {
  return request('POST', '/api/v1/compare', body)
}

export function compareAcross(indicator: string, unit?: string): Promise<AcrossResponse> {
  return request('GET', '/api/v1/compare/across' + query({ indicator, unit }))
}
