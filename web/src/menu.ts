// The menu of the layout: each page and the roles that see it (the roles of
// docs/accounts.md's 权限表 that may use the page's API).
import type { Role } from './api/types'

export interface MenuEntry {
  path: string
  title: string
  roles: Role[]
}

const everyone: Role[] = ['system_admin', 'security_admin', 'audit_admin', 'supervisor', 'reporter', 'viewer']

export const menu: MenuEntry[] = [
  { path: '/workbench', title: '工作台', roles: ['supervisor', 'reporter', 'viewer'] },
  { path: '/items', title: '台账', roles: ['supervisor', 'reporter', 'viewer'] },
  { path: '/review', title: '审核', roles: ['supervisor'] },
  { path: '/rectification', title: '问题整改', roles: ['supervisor', 'reporter', 'viewer'] },
  { path: '/reports', title: '报告', roles: ['supervisor', 'reporter', 'viewer'] },
  { path: '/compare', title: '对标对表', roles: ['supervisor', 'reporter', 'viewer'] },
  { path: '/stats', title: '统计', roles: ['supervisor', 'reporter', 'viewer'] },
  { path: '/documents', title: '文档', roles: ['supervisor', 'reporter', 'viewer'] },
  { path: '/admin/units', title: '单位管理', roles: ['system_admin'] },
  { path: '/admin/users', title: '用户管理', roles: ['system_admin', 'security_admin'] },
  { path: '/admin/backup', title: '数据库备份', roles: ['system_admin'] },
  { path: '/admin/policy', title: '安全策略', roles: ['security_admin'] },
  { path: '/admin/audit', title: '审计日志', roles: ['audit_admin'] },
  { path: '/admin/reminders', title: '催办设置', roles: ['system_admin', 'supervisor'] },
  { path: '/account', title: '我的账户', roles: everyone },
]

export function menuFor(roles: Role[]): MenuEntry[] {
  return menu.filter((entry) => entry.roles.some((r) => roles.includes(r)))
}
