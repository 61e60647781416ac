// The calls of reminders (催办): an item's reminder log, and one's own
// calendar links (the secret addresses calendars subscribe to).
import { request } from './client'

export type ReminderState = 'sent' | 'failed' | 'sending'

export interface ReminderEntry {
  id: number
  rule: string
  occasion: string
  channel: string
  channel_kind: 'dingtalk' | 'wecom' | 'email' | 'webhook'
  recipient: string
  state: ReminderState
  error: string
  attempts: number
  message: string
  created_at: string
  sent_at: string
}

export const channelKindLabels: Record<ReminderEntry['channel_kind'], string> = {
  dingtalk: '钉钉群机器人',
  wecom: '企业微信群机器人',
  email: '电子邮件',
  webhook: 'JSON 回调',
}

export function itemReminders(id: number): Promise<{ item: number; reminders: ReminderEntry[] }> {
  return request('GET', `/api/v1/items/${encodeURIComponent(String(id))}/reminders`)
}

export interface CalendarLink {
  id: number
  name: string
  created_at: string
  last_used_at: string
  // Only in the answer that made it: shown once.
  token?: string
  path?: string
}

export function calendarLinks(): Promise<{ links: CalendarLink[] }> {
  return request('GET', '/api/v1/calendar-links')
}

export function createCalendarLink(name: string): Promise<CalendarLink> {
  return request('POST', '/api/v1/calendar-links', { name })
}

export function revokeCalendarLink(id: number): Promise<{ id: number; revoked: boolean }> {
  return request('DELETE', `/api/v1/calendar-links/${id}`)
}

// 催办设置: channels (系统管理员; the secret never comes back, only whether
// it is set) and rules (督查员, within the scope).
export type ChannelKind = ReminderEntry['channel_kind']

export interface ReminderChannel {
  id: number
  name: string
  kind: ChannelKind
  kind_label: string
  url: string
  secret_set: boolean
  login: string
  sender: string
  recipients: string[]
  enabled: boolean
  created_at: string
  created_by: string
}

export interface ChannelFields {
  name?: string
  kind?: ChannelKind
  url?: string
  secret?: string
  login?: string
  sender?: string
  recipients?: string[]
  enabled?: boolean
}

export type RuleKind = 'before' | 'due' | 'overdue' | 'closeoff' | 'digest'

export const ruleKindLabels: Record<RuleKind, string> = {
  before: '到期前',
  due: '到期当天',
  overdue: '逾期',
  closeoff: '待销号',
  digest: '汇总',
}

export interface ReminderRule {
  id: number
  name: string
  kind: RuleKind
  kind_label: string
  days: number
  when: string
  unit: string
  channels: string[]
  enabled: boolean
  created_at: string
  created_by: string
}

export interface RuleFields {
  name?: string
  kind?: RuleKind
  days?: number
  unit?: string
  channels?: string[]
  enabled?: boolean
}

export function reminderChannels(): Promise<{ channels: ReminderChannel[] }> {
  return request('GET', '/api/v1/reminders/channels')
}
export function addReminderChannel(fields: ChannelFields): Promise<ReminderChannel> {
  return request('POST', '/api/v1/reminders/channels', fields)
}
export function updateReminderChannel(id: number, fields: ChannelFields): Promise<ReminderChannel> {
  return request('PATCH', `/api/v1/reminders/channels/${id}`, fields)
}
export function deleteReminderChannel(id: number): Promise<{ id: number; deleted: boolean }> {
  return request('DELETE', `/api/v1/reminders/channels/${id}`)
}
export function reminderRules(): Promise<{ rules: ReminderRule[]; channels: string[] }> {
  return request('GET', '/api/v1/reminders/rules')
}
export function addReminderRule(fields: RuleFields): Promise<ReminderRule> {
  return request('POST', '/api/v1/reminders/rules', fields)
}
export function updateReminderRule(id: number, fields: RuleFields): Promise<ReminderRule> {
  return request('PATCH', `/api/v1/reminders/rules/${id}`, fields)
}
export function deleteReminderRule(id: number): Promise<{ id: number; deleted: boolean }> {
  return request('DELETE', `/api/v1/reminders/rules/${id}`)
}
