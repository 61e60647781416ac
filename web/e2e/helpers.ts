// What the browser tests share: the world global-setup made, logging in
// through the page, screenshots at 1366×768 under build/web-screenshots, and
// a watch on the console (no CSP violation, no uncaught error).
import { expect, type Locator, type Page } from '@playwright/test'
import path from 'node:path'
import type { World } from './global-setup'

export function world(): World {
  const text = process.env.TAIZHANG_E2E
  if (!text) throw new Error('TAIZHANG_E2E is not set: run through playwright test (global-setup)')
  return JSON.parse(text) as World
}

// Fills the login form the page shows and presses 登录.
export async function submitLogin(page: Page, name: string, password: string): Promise<void> {
  await page.getByLabel('登录名').fill(name)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
}

// Opens the login page of `base` and logs in (the outcome is the caller's to check).
export async function logIn(page: Page, base: string, name: string, password: string): Promise<void> {
  await page.goto(`${base}/login`)
  await submitLogin(page, name, password)
}

// Logs in and waits for the 工作台, the page after a login.
export async function logInToWorkbench(page: Page, base: string, name: string, password: string): Promise<void> {
  await logIn(page, base, name, password)
  await expect(page).toHaveURL(/\/workbench$/)
}

// The rows of the 台账 list's table (one per item of the page).
export function itemRows(page: Page): Locator {
  return page.getByTestId('items-table').locator('tbody tr')
}

export async function shot(page: Page, name: string): Promise<void> {
  // Let transitions and fonts settle so the picture is what a person sees.
  await page.evaluate(() => document.fonts.ready)
  await page.waitForTimeout(300)
  await page.screenshot({ path: path.join(world().shots, `${name}.png`), fullPage: false })
}

// Collects what the console says that a page must never say: CSP
// violations and uncaught errors. Call check() at the end of a test.
export function watchConsole(page: Page): { problems: string[]; check: () => void } {
  const problems: string[] = []
  page.on('console', (msg) => {
    const text = msg.text()
    if (/Content Security Policy|Refused to (apply|execute|load)/i.test(text)) problems.push(`CSP: ${text}`)
  })
  page.on('pageerror', (error) => problems.push(`错误：${error.message}`))
  return { problems, check: () => expect(problems, problems.join('\n')).toEqual([]) }
}

// Every visible form field has an accessible name (a <label for>, a label
// around it, aria-label or aria-labelledby): the fields a page shows that
// have none, described.
export async function unlabelledFields(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const missing: string[] = []
    for (const el of Array.from(document.querySelectorAll('input, select, textarea'))) {
      const field = el as HTMLInputElement
      if (field.type === 'hidden') continue
      const box = field.getBoundingClientRect()
      const style = getComputedStyle(field)
      const shown = box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
      const inLabel = field.closest('label') !== null
      if (!shown && !inLabel) continue
      const named =
        (field.labels && field.labels.length > 0) ||
        !!field.getAttribute('aria-label') ||
        !!field.getAttribute('aria-labelledby')
      if (!named) missing.push(`${field.tagName.toLowerCase()}#${field.id || '?'}.${field.className}`)
    }
    return missing
  })
}
