// The pages and who may open them. Before each page: the session is known
// (asked once after a load), a page needing login sends to /login, a
// password that must be changed first sends to /password, and a page of
// other roles sends home.
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import type { Role } from './api/types'
import { useAuth } from './stores/auth'
import AppLayout from './layout/AppLayout.vue'
import LoginPage from './pages/LoginPage.vue'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    roles?: Role[]
    title?: string
    // Opened by address without the role: the page says so (in Chinese)
    // instead of sending home.
    refuse?: boolean
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginPage, meta: { public: true, title: '登录' } },
    {
      path: '/',
      component: AppLayout,
      children: [
        { path: '', name: 'home', redirect: () => useAuth().homePath },
        {
          path: 'password',
          name: 'password',
          component: () => import('./pages/ChangePasswordPage.vue'),
          meta: { title: '修改密码' },
        },
        {
          path: 'account',
          name: 'account',
          component: () => import('./pages/AccountPage.vue'),
          meta: { title: '我的账户' },
        },
        {
          path: 'workbench',
          name: 'workbench',
          component: () => import('./pages/WorkbenchPage.vue'),
          meta: { title: '工作台', roles: ['supervisor', 'reporter', 'viewer'] },
        },
        {
          path: 'items',
          name: 'items',
          component: () => import('./pages/ItemsPage.vue'),
          meta: { title: '台账', roles: ['supervisor', 'reporter', 'viewer'] },
        },
        {
          path: 'items/:id',
          name: 'item',
          component: () => import('./pages/ItemDetailPage.vue'),
          meta: { title: '事项详情', roles: ['supervisor', 'reporter', 'viewer'] },
        },
        {
          path: 'review',
          name: 'review',
          component: () => import('./pages/ReviewPage.vue'),
          meta: { title: '审核', roles: ['supervisor'] },
        },
        {
          path: 'rectification',
          name: 'rectification',
          component: () => import('./pages/RectificationPage.vue'),
          meta: { title: '问题整改', roles: ['supervisor', 'reporter', 'viewer'] },
        },
        {
          path: 'reports',
          name: 'reports',
          component: () => import('./pages/ReportsPage.vue'),
          meta: { title: '报告', roles: ['supervisor', 'reporter', 'viewer'] },
        },
        {
          path: 'reports/:id',
          name: 'report',
          component: () => import('./pages/ReportViewPage.vue'),
          meta: { title: '报告', roles: ['supervisor', 'reporter', 'viewer'] },
        },
        {
          path: 'compare',
          name: 'compare',
          component: () => import('./pages/ComparePage.vue'),
          meta: { title: '对标对表', roles: ['supervisor', 'reporter', 'viewer'] },
        },
        {
          path: 'search',
          name: 'search',
          component: () => import('./pages/SearchPage.vue'),
          meta: { title: '全文检索', roles: ['supervisor', 'reporter', 'viewer'], refuse: true },
        },
        {
          path: 'stats',
          name: 'stats',
          component: () => import('./pages/StatsPage.vue'),
          meta: { title: '统计', roles: ['supervisor', 'reporter', 'viewer'], refuse: true },
        },
        {
          path: 'documents',
          name: 'documents',
          component: () => import('./pages/DocumentsPage.vue'),
          meta: { title: '文档', roles: ['supervisor', 'reporter', 'viewer'], refuse: true },
        },
        {
          path: 'admin/reminders',
          name: 'admin-reminders',
          component: () => import('./pages/admin/RemindSettingsPage.vue'),
          meta: { title: '催办设置', roles: ['system_admin', 'supervisor'], refuse: true },
        },
        {
          path: 'admin/units',
          name: 'admin-units',
          component: () => import('./pages/admin/UnitsPage.vue'),
          meta: { title: '单位管理', roles: ['system_admin'], refuse: true },
        },
        {
          path: 'admin/users',
          name: 'admin-users',
          component: () => import('./pages/admin/UsersPage.vue'),
          meta: { title: '用户管理', roles: ['system_admin', 'security_admin'], refuse: true },
        },
        {
          path: 'admin/policy',
          name: 'admin-policy',
          component: () => import('./pages/admin/PolicyPage.vue'),
          meta: { title: '安全策略', roles: ['security_admin'], refuse: true },
        },
        {
          path: 'admin/backup',
          name: 'admin-backup',
          component: () => import('./pages/admin/BackupPage.vue'),
          meta: { title: '数据库备份', roles: ['system_admin'], refuse: true },
        },
        {
          path: 'admin/audit',
          name: 'admin-audit',
          component: () => import('./pages/admin/AuditPage.vue'),
          meta: { title: '审计日志', roles: ['audit_admin'], refuse: true },
        },
      ],
    },
    { path: '/:pathMatch(.*)*', name: 'missing', component: () => import('./pages/NotFoundPage.vue'), meta: { public: true, title: '页面不存在' } },
  ],
})

router.beforeEach(async (to: RouteLocationNormalized) => {
  const auth = useAuth()
  if (!auth.checked) await auth.load()
  if (to.meta.public) {
    if (to.name === 'login' && auth.user) return auth.user.must_change_password ? '/password' : auth.homePath
    return true
  }
  if (!auth.user) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  if (auth.user.must_change_password && to.name !== 'password') return { name: 'password' }
  if (to.meta.roles && !to.meta.roles.some((r) => auth.roles.includes(r))) return to.meta.refuse ? true : auth.homePath
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 台账` : '台账'
})
