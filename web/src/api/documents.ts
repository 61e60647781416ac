// Files made by the server and saved by the browser: the Word documents out
// of the ledger (GET /api/v1/documents/bulletin.docx and draft.docx) and the
// database backup (POST /api/v1/backup, then its one download). A download
// is fetched first, so that a refusal (400, 404) shows as the server's
// Chinese message on the page instead of a page of JSON.
import { ApiError, query, request } from './client'

export interface BulletinParams {
  unit?: string
  year?: number
  from?: string
  to?: string
  title?: string
  issuer?: string
}

export function bulletinPath(p: BulletinParams): string {
  return '/api/v1/documents/bulletin.docx' + query({ ...p })
}

export function draftPath(p: { unit: string; year: number; title?: string }): string {
  return '/api/v1/documents/draft.docx' + query({ ...p })
}

// The file name a Content-Disposition gives (RFC 6266: filename* first).
function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)
  return plain ? plain[1] : fallback
}

// Fetches `path` and has the browser save it under the server's file name;
// the name saved. A refusal throws ApiError with the server's message.
export async function download(path: string, fallbackName: string): Promise<string> {
  let response: Response
  try {
    response = await fetch(path, { credentials: 'same-origin', cache: 'no-store' })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试。')
  }
  if (!response.ok) {
    let message = `下载失败（${response.status}）。`
    let code = 'error'
    try {
      const body = (await response.json()) as { error?: { code?: string; message?: string } }
      if (body.error?.message) message = body.error.message
      if (body.error?.code) code = body.error.code
    } catch {
      // not JSON: the status says it
    }
    throw new ApiError(response.status, code, message)
  }
  const name = fileNameOf(response.headers.get('Content-Disposition'), fallbackName)
  const url = URL.createObjectURL(await response.blob())
  try {
    const a = document.createElement('a')
    a.href = url
    a.download = name
    document.body.appendChild(a)
    a.click()
    a.remove()
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
  return name
}

// --- 备份（系统管理员） -------------------------------------------------------------

export interface Backup {
  id: string
  file: string
  size: number
  history_head: string
  download: string
}

export function createBackup(): Promise<Backup> {
  return request('POST', '/api/v1/backup')
}
