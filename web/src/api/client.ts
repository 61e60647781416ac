// The one client of the server's API. Every call goes through `request`:
// the session is the HttpOnly cookie the server set at login; the CSRF token
// (from the login, or from /auth/me after a reload) is kept in memory only
// and sent as X-CSRF-Token on every change; an answer other than 2xx becomes
// an ApiError carrying the server's Chinese message. A 401 from any call but
// the login tells `onSessionLost` (the app returns to the login page).
import type { ItemPage, ItemQuery, LedgerItem, LoginResponse, MeResponse } from './types'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

let csrfToken = ''
let sessionLost: (() => void) | null = null

export function setCsrfToken(token: string): void {
  csrfToken = token
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

export async function request<T>(method: string, path: string, body?: unknown, options: { login?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
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
    throw new ApiError(response.status, error?.code || 'error', message)
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

export function listItems(q: ItemQuery): Promise<ItemPage> {
  return request(
    'GET',
    '/api/v1/items' +
      query({
        kind: q.kind,
        unit: q.unit,
        year: q.year,
        status: q.status,
        overdue: q.overdue,
        offset: q.offset,
        limit: q.limit,
      }),
  )
}

export function getItem(id: number): Promise<LedgerItem> {
  return request('GET', `/api/v1/items/${encodeURIComponent(String(id))}`)
}
