// The logged-in account (Pinia): who it is, its roles, and the message the
// login page shows after a session ended (timeout, logout elsewhere).
import { defineStore } from 'pinia'
import * as api from '../api/client'
import type { Principal, Role } from '../api/types'

export const useAuth = defineStore('auth', {
  state: () => ({
    user: null as Principal | null,
    // Whether the session has been asked for since the page loaded.
    checked: false,
    // Shown once on the login page ("登录已超时……").
    notice: '',
  }),
  getters: {
    roles: (state): Role[] => state.user?.roles ?? [],
    // 事项列表、事项详情: 督查员、填报员、查看 (docs/accounts.md 权限表).
    canReadItems(): boolean {
      return this.roles.some((r) => r === 'supervisor' || r === 'reporter' || r === 'viewer')
    },
    homePath(): string {
      return this.canReadItems ? '/workbench' : '/account'
    },
  },
  actions: {
    // After a page load: the session the cookie holds, if any, and its CSRF token.
    async load(): Promise<void> {
      try {
        const me = await api.me(true)
        api.setCsrfToken(me.csrf_token ?? '')
        const { csrf_token: _, ...user } = me
        this.user = user
      } catch {
        this.user = null
      }
      this.checked = true
    },
    async login(name: string, password: string): Promise<Principal> {
      const result = await api.login(name, password)
      api.setCsrfToken(result.csrf_token)
      this.user = result.user
      this.checked = true
      this.notice = ''
      return result.user
    },
    async changePassword(oldPassword: string, newPassword: string): Promise<void> {
      await api.changePassword(oldPassword, newPassword)
      if (this.user) this.user = { ...this.user, must_change_password: false }
    },
    async logout(everywhere = false): Promise<number> {
      let sessions = 1
      try {
        if (everywhere) sessions = (await api.logoutEverywhere()).sessions
        else await api.logout()
      } finally {
        this.forget('')
      }
      return sessions
    },
    // The session is over (a 401, or logged out): nothing of it is kept.
    forget(notice: string): void {
      this.user = null
      this.notice = notice
      api.setCsrfToken('')
    },
  },
})
