// The Chinese words of the API's English values (src/ledger/ledger_types.cc).
import type { ItemKind, ItemStatus, Warning } from './api/types'

export const kindLabels: Record<ItemKind, string> = { plan: '工作任务', problem: '问题整改' }

export const statusLabels: Record<ItemStatus, string> = {
  not_started: '未启动',
  in_progress: '推进中',
  done: '已完成',
  cancelled: '已取消',
  rectifying: '整改中',
  awaiting_close_off: '待销号',
  closed_off: '已销号',
}

export const warningLabels: Record<Warning, string> = { '': '', green: '绿灯', yellow: '黄灯', red: '红灯' }

export const warningTagTypes: Record<Warning, 'success' | 'warning' | 'danger' | 'info'> = {
  '': 'info',
  green: 'success',
  yellow: 'warning',
  red: 'danger',
}

// "2025-06-30" → "2025年6月30日"; other text as it is.
export function chineseDate(date: string | null | undefined): string {
  if (!date) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date)
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date
}

// A time the server wrote in UTC ("2026-12-07T08:05:35Z") as the browser's
// local time: "2026年12月7日 16:05"; other text as it is.
export function chineseTime(time: string | null | undefined): string {
  if (!time) return ''
  const t = new Date(time)
  if (!/^\d{4}-\d{2}-\d{2}T/.test(time) || Number.isNaN(t.getTime())) return time
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${t.getFullYear()}年${t.getMonth() + 1}月${t.getDate()}日 ${pad(t.getHours())}:${pad(t.getMinutes())}`
}

// A time the server wrote in UTC as Beijing time whatever the browser's
// zone: "2026-03-01T02:20:00Z" → "2026年3月1日 10:20"; other text as it is.
export function beijingTime(time: string | null | undefined): string {
  if (!time) return ''
  const t = new Date(time)
  if (!/^\d{4}-\d{2}-\d{2}T/.test(time) || Number.isNaN(t.getTime())) return time
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`
}
