// The Chinese words of the administration pages: roles (src/access/authorize.cc),
// audit outcomes and the audit log's action names (src/access, src/server).
import type { Role } from './api/types'

export const roleLabels: Record<Role, string> = {
  system_admin: '系统管理员',
  security_admin: '安全管理员',
  audit_admin: '审计管理员',
  supervisor: '督查员',
  reporter: '填报员',
  viewer: '查看',
}

// 三员分立: no account holds two of these.
export const adminRoles: Role[] = ['system_admin', 'security_admin', 'audit_admin']
export const businessRoles: Role[] = ['supervisor', 'reporter', 'viewer']

export const separationRule =
  '三员分立：系统管理员、安全管理员、审计管理员三者互相制约，同一账户只能担任其中一个（可以另兼督查员、填报员、查看）。'

// The problem of a role choice, as the server would say it; '' when none.
export function roleChoiceProblem(roles: Role[]): string {
  if (roles.length === 0) return '请至少选择一个角色。'
  const admins = roles.filter((r) => adminRoles.includes(r))
  if (admins.length > 1) {
    return `系统管理员、安全管理员、审计管理员三者分立，同一账户不能兼任其中两个（此处为${admins
      .map((r) => roleLabels[r])
      .join('、')}）。`
  }
  return ''
}

export const outcomeLabels: Record<string, string> = { success: '成功', failure: '失败', refused: '拒绝' }

export const auditActionLabels: Record<string, string> = {
  login: '登录',
  logout: '退出登录',
  logout_everywhere: '在所有设备上退出',
  session_end: '会话结束',
  password_change: '修改密码',
  password_reset: '重置密码',
  bootstrap: '首次启动创建系统管理员',
  refused: '拒绝操作',
  user_add: '新增用户',
  user_update: '修改用户',
  user_roles: '修改角色',
  user_disable: '停用用户',
  user_enable: '启用用户',
  user_unlock: '解锁用户',
  unit_add: '新增单位',
  unit_rename: '单位改名',
  unit_aliases: '设置单位别名',
  unit_move: '移动单位',
  unit_disable: '停用单位',
  unit_enable: '启用单位',
  policy_set: '设置安全策略',
  audit_read: '查看审计日志',
  audit_export: '导出审计日志',
  audit_purge: '清理审计日志',
  backup: '备份数据库',
  backup_download: '下载备份',
  ledger_export: '导出台账',
  ledger_import: '导入台账',
  create_item: '新增事项',
  update_item: '修改事项',
  report_progress: '填报进展',
  close_off: '销号',
  review_accept: '确认事项',
  review_reject: '驳回事项',
  review_merge: '合并事项',
  review_split: '拆分事项',
  review_assign: '分派事项',
  calendar_link_add: '新建日历链接',
  calendar_link_revoke: '撤销日历链接',
  reminder_channel_add: '新增催办渠道',
  reminder_channel_update: '修改催办渠道',
  reminder_channel_delete: '删除催办渠道',
  reminder_rule_add: '新增催办规则',
  reminder_rule_update: '修改催办规则',
  reminder_rule_delete: '删除催办规则',
}

export function auditActionLabel(action: string): string {
  return auditActionLabels[action] ?? action
}
