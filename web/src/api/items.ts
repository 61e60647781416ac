// The calls of the item pages beyond the list: the detail with its progress
// and history, reporting progress (If-Match: the version read), uploading
// evidence with progress, reading an attachment, the workbench (dashboard)
// and the Excel export's address.
import { ApiError, csrf, itemFilterQuery, request } from './client'
import type { Conflict, Dashboard, ItemDetail, ItemFields, ProgressRequest, UploadedFile } from './itemTypes'
import type { ItemQuery, LedgerItem } from './types'

export function getItemDetail(id: number): Promise<ItemDetail> {
  return request('GET', `/api/v1/items/${encodeURIComponent(String(id))}`)
}

// A change with the version it was based on; 412 when someone changed the
// item since (ApiError.details: changed_by, changed_at, version, current).
export function addProgress(id: number, version: number, body: ProgressRequest): Promise<LedgerItem> {
  return request('POST', `/api/v1/items/${id}/progress`, body, { headers: { 'If-Match': `"${version}"` } })
}

export function updateItem(id: number, version: number, fields: ItemFields): Promise<LedgerItem> {
  return request('PATCH', `/api/v1/items/${id}`, fields, { headers: { 'If-Match': `"${version}"` } })
}

// The conflict a 412 answer describes, for a form based on `mine`; null for
// any other error.
export function conflictOf(e: unknown, mine: LedgerItem): Conflict | null {
  if (!(e instanceof ApiError) || e.status !== 412 || !e.details.current) return null
  return {
    by: String(e.details.changed_by || '他人'),
    at: String(e.details.changed_at || ''),
    version: Number(e.details.version),
    mine,
    current: e.details.current as LedgerItem,
  }
}

export function dashboard(within: number): Promise<Dashboard> {
  return request('GET', `/api/v1/dashboard?within=${within}&limit=10`)
}

// The address of the Excel workbook of exactly the list under `q` (all
// pages: the export ignores offset and limit).
export function exportAddress(q: ItemQuery): string {
  return '/api/v1/items/export.xlsx' + itemFilterQuery({ ...q, offset: undefined, limit: undefined })
}

// POST /api/v1/files with the upload's progress (fetch cannot report it):
// `onProgress` gets 0–100.
export function uploadFile(file: File, onProgress: (percent: number) => void): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/v1/files')
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('X-CSRF-Token', csrf())
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', '无法连接服务器，请检查网络后重试。'))
    xhr.onload = () => {
      let data: { error?: { code?: string; message?: string } } & Partial<UploadedFile> = {}
      try {
        data = JSON.parse(xhr.responseText)
      } catch {
        // not JSON: the status decides
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100)
        resolve(data as UploadedFile)
      } else {
        const message = data.error?.message || `上传“${file.name}”失败（${xhr.status}）。`
        reject(new ApiError(xhr.status, data.error?.code || 'error', message))
      }
    }
    xhr.send(file)
  })
}

// An attachment's bytes and the type the server gave them.
export async function fetchAttachment(url: string): Promise<Blob> {
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' })
  if (!response.ok) throw new ApiError(response.status, 'error', response.status === 404 ? '佐证材料已不在服务器上。' : `无法读取佐证材料（${response.status}）。`)
  return response.blob()
}
