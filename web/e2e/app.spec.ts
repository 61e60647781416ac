// The web application in a real browser (Chromium), against `taizhang serve`:
// login with a one-time password and the forced change, lockout after five
// failures, what a 填报员 may see (its unit's items only, not another
// unit's by URL either), the list's filters, paging and columns, the idle
// timeout and logging out everywhere; every page photographed at 1366×768.
import { test, expect, type Page } from '@playwright/test'
import { itemRows, logIn, logInToWorkbench, shot, submitLogin, unlabelledFields, watchConsole, world } from './helpers'


// The list's total as the page shows it ("共 N 项").
async function shownTotal(page: Page): Promise<number> {
  const text = await page.getByTestId('total').textContent()
  return Number(/共 (\d+) 项/.exec(text || '')?.[1])
}

test('一次性密码登录后须先修改密码，改后进入台账', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  // The built files come with content-hashed names, cached for a year;
  // the page itself is revalidated.
  const caching: Record<string, string> = {}
  const encoding: Record<string, string> = {}
  const sizes: Record<string, number> = {} // bytes of each body as sent (compressed where it was)
  page.on('response', (r) => {
    const headers = r.headers()
    const path = new URL(r.url()).pathname
    caching[path] = headers['cache-control'] ?? ''
    encoding[path] = headers['content-encoding'] ?? ''
    if (!(path in sizes)) sizes[path] = Number(headers['content-length'] ?? 0)
  })
  await page.goto(`${w.main}/items`)
  await expect(page).toHaveURL(/\/login\?redirect=/)
  await expect(page.getByRole('heading', { name: '台账管理系统' })).toBeVisible()
  await shot(page, '01-登录')
  const assets = Object.keys(caching).filter((p) => p.startsWith('/assets/'))
  expect(assets.length).toBeGreaterThan(2)
  for (const a of assets) expect(caching[a], a).toBe('public, max-age=31536000, immutable')
  expect(caching['/items']).toBe('no-cache')
  // Scripts and styles travel gzip-compressed; the whole first load is well
  // under 1 MB.
  for (const a of assets.filter((p) => /\.(js|css)$/.test(p))) expect(encoding[a], a).toBe('gzip')
  expect(await unlabelledFields(page)).toEqual([])

  await logIn(page, w.main, 'wangwu', w.users.wangwu)
  await expect(page).toHaveURL(/\/password$/)
  await expect(page.getByTestId('forced')).toBeVisible()
  // Nothing else opens before the change.
  await page.goto(`${w.main}/items`)
  await expect(page).toHaveURL(/\/password$/)
  await expect(page.getByRole('menuitem')).toHaveCount(0)
  await shot(page, '02-首次登录修改密码')
  expect(await unlabelledFields(page)).toEqual([])

  // The policy's refusal is shown in Chinese.
  await page.getByLabel('原密码').fill(w.users.wangwu)
  await page.getByLabel('新密码', { exact: true }).fill('abcdefgh')
  await page.getByLabel('确认新密码').fill('abcdefgh')
  await page.getByRole('button', { name: '修改密码' }).click()
  await expect(page.getByTestId('password-error')).toContainText('字符')
  await shot(page, '03-修改密码被拒绝')

  await page.getByLabel('新密码', { exact: true }).fill('Wangwu#2026')
  await page.getByLabel('确认新密码').fill('Wangwu#2026')
  await page.getByRole('button', { name: '修改密码' }).click()
  // Home is the 工作台; the list is one click away.
  await expect(page).toHaveURL(/\/workbench$/)
  await page.getByRole('menuitem', { name: '台账' }).click()
  await expect(page).toHaveURL(/\/items$/)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.water)
  // Login, password change and the list, from an empty cache: well under 1 MB sent.
  const sent = Object.values(sizes).reduce((a, b) => a + b, 0)
  expect(sent).toBeGreaterThan(100_000)
  expect(sent).toBeLessThan(1_000_000)
  console.log(`从空缓存到台账列表共传输 ${sent} 字节（脚本和样式为 gzip 压缩后）`)
  watch.check()
})

test('系统管理员首次登录：改密码后只有管理页面和“我的账户”，没有台账', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logIn(page, w.main, 'admin', w.adminOnce)
  await expect(page).toHaveURL(/\/password$/)
  await page.getByLabel('原密码').fill(w.adminOnce)
  await page.getByLabel('新密码', { exact: true }).fill('Xitong#2026')
  await page.getByLabel('确认新密码').fill('Xitong#2026')
  await page.getByRole('button', { name: '修改密码' }).click()
  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByRole('menuitem')).toHaveText(['单位管理', '用户管理', '数据库备份', '催办设置', '我的账户'])
  await expect(page.locator('.el-descriptions')).toContainText('系统管理员')
  await shot(page, '04-我的账户-系统管理员')
  // The list is not for this role: the page sends it home.
  await page.goto(`${w.main}/items`)
  await expect(page).toHaveURL(/\/account$/)
  watch.check()
})

test('连续 5 次密码错误后账户锁定，正确的密码也显示锁定提示', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await page.goto(`${w.main}/login`)
  for (let i = 0; i < 5; ++i) {
    await submitLogin(page, 'sunqi', `wrong-${i}`)
    await expect(page.getByTestId('login-error')).toBeVisible()
    if (i < 4) await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误')
  }
  await submitLogin(page, 'sunqi', w.password)
  await expect(page.getByTestId('login-error')).toContainText('锁定')
  await expect(page).toHaveURL(/\/login/)
  await shot(page, '05-账户锁定')
  watch.check()
})

test('填报员只看到本单位的事项，按地址也打不开其他单位的事项', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'lisi', w.password)
  await page.goto(`${w.main}/items`)
  await expect(itemRows(page)).toHaveCount(w.itemCounts.water)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.water)
  // Its unit's items, the one of a long-named 县水利局 office included.
  const units = (await itemRows(page).locator('td:nth-child(2)').allTextContents()).map((u) => u.trim())
  expect(units.every((u) => u.startsWith('县水利局'))).toBe(true)
  expect(units).toContain('县水利局农村饮水安全工程建设管理服务中心')
  await shot(page, '06-台账-填报员')

  await page.getByRole('link', { name: '完成城区防洪排涝工程主体建设' }).click()
  await expect(page).toHaveURL(new RegExp(`/items/${w.waterItem}$`))
  await expect(page.getByTestId('item-task')).toHaveText('完成城区防洪排涝工程主体建设')
  await shot(page, '07-事项详情-填报员')

  // Another unit's item, typed into the address bar: as if it did not exist.
  await page.goto(`${w.main}/items/${w.otherUnitItem}`)
  await expect(page.getByTestId('missing')).toBeVisible()
  await expect(page.getByTestId('item-task')).toHaveCount(0)
  await shot(page, '08-无权查看的事项')
  // And the API says the same to this session.
  expect((await page.request.get(`${w.main}/api/v1/items/${w.otherUnitItem}`)).status()).toBe(404)
  watch.check()
})

test('督查员的台账：全部事项、筛选、分页、选择显示的列、原文', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'zhangsan', w.password)
  await page.goto(`${w.main}/items`)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.all)
  const api = await (await page.request.get(`${w.main}/api/v1/items?limit=1`)).json()
  expect(api.total).toBe(w.itemCounts.all)
  await expect(itemRows(page)).toHaveCount(Math.min(50, w.itemCounts.all))
  await shot(page, '09-台账-督查员')
  expect(await unlabelledFields(page)).toEqual([])

  // Page 2 of 20 a page: the address keeps it.
  await page.goto(`${w.main}/items?size=20&page=2`)
  await expect(itemRows(page)).toHaveCount(20)
  await expect(itemRows(page).first().locator('td').first()).toHaveText('21')

  // 责任单位 filter from the form.
  await page.goto(`${w.main}/items`)
  await page.getByRole('textbox', { name: '责任单位' }).fill('县水利局')
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page).toHaveURL(/unit=/)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.water)

  // Problems only, from the kind filter.
  await page.getByRole('button', { name: '重置' }).click()
  // With the keyboard: focus the select, open it, choose.
  await page.getByRole('combobox', { name: '类型' }).focus()
  await page.keyboard.press('Enter')
  await page.getByRole('option', { name: '问题整改' }).click()
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page).toHaveURL(/kind=problem/)
  await expect.poll(() => shownTotal(page)).toBe(1)

  // Columns: 责任人 added, then shown in the header.
  await page.getByRole('button', { name: '重置' }).click()
  await page.getByRole('button', { name: '显示列' }).click()
  await page.locator('.column-choice').getByText('责任人').click()
  await page.locator('.column-choice').getByText('最新进展').click()
  await expect(page.getByTestId('items-table').locator('thead th', { hasText: '责任人' })).toBeVisible()
  await page.getByRole('button', { name: '显示列' }).click()
  await expect(page.locator('.column-choice')).toBeHidden()
  await shot(page, '10-台账-显示列')

  // An item of the example with its source sentence.
  await page.goto(`${w.main}/items/${w.otherUnitItem}`)
  await expect(page.getByTestId('source-text')).not.toBeEmpty()
  await shot(page, '11-事项详情-原文')
  watch.check()
})

test('查看角色（领导）只读台账', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'zhaoliu', w.password)
  await page.goto(`${w.main}/items`)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.all)
  await expect(page.getByRole('menuitem', { name: '台账' })).toBeVisible()
  await expect(page.getByRole('menuitem', { name: '我的账户' })).toBeVisible()
  await expect(page.getByRole('menuitem', { name: '审核' })).toHaveCount(0)
  await expect(page.getByRole('menuitem', { name: '统计' })).toBeVisible()
  await page.getByRole('menuitem', { name: '我的账户' }).click()
  await expect(page).toHaveURL(/\/account$/)
  await shot(page, '12-我的账户-查看')
  watch.check()
})

test('空闲超时后回到登录页并提示', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  // Straight to the list (the login returns to the page asked for): a
  // second page load after the 工作台 could outlast the 3 idle seconds.
  await page.goto(`${w.idle}/items`)
  await expect(page).toHaveURL(/\/login\?redirect=/)
  await submitLogin(page, 'lisi', w.password)
  await expect(page).toHaveURL(/\/items$/)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.water)
  // The idle server ends sessions after 3 idle seconds.
  await page.waitForTimeout(5_000)
  await page.getByRole('link', { name: '完成城区防洪排涝工程主体建设' }).click()
  await expect(page).toHaveURL(/\/login\?redirect=/)
  await expect(page.getByTestId('notice')).toContainText('登录已超时')
  await shot(page, '13-空闲超时')
  // Logging in again goes back to the page asked for.
  await submitLogin(page, 'lisi', w.password)
  await expect(page).toHaveURL(new RegExp(`/items/\\d+$`))
  await expect(page.getByTestId('item-task')).toHaveText('完成城区防洪排涝工程主体建设')
  watch.check()
})

test('退出登录；在所有设备上退出后另一处的登录也结束', async ({ browser }) => {
  const w = world()
  const first = await browser.newContext()
  const second = await browser.newContext()
  const a = await first.newPage()
  const b = await second.newPage()
  const consoles = [watchConsole(a), watchConsole(b)]
  await logInToWorkbench(a, w.main, 'zhangsan', w.password)
  await a.goto(`${w.main}/items`)
  await logInToWorkbench(b, w.main, 'zhangsan', w.password)
  await b.goto(`${w.main}/items`)

  // A reload keeps the session (the CSRF token is asked for again).
  await a.reload()
  await expect(a).toHaveURL(/\/items$/)
  await a.getByRole('button', { name: '账户菜单' }).click()
  await a.getByText('在所有设备上退出').click()
  await expect(a.getByRole('dialog')).toBeVisible()
  await shot(a, '14-在所有设备上退出')
  await a.getByRole('button', { name: '全部退出' }).click()
  await expect(a).toHaveURL(/\/login$/)

  // The other browser's next step finds its session over.
  await itemRows(b).locator('a').first().click()
  await expect(b).toHaveURL(/\/login\?redirect=/)
  await expect(b.getByTestId('notice')).toBeVisible()

  // Plain logout.
  await logInToWorkbench(b, w.main, 'zhangsan', w.password)
  await b.goto(`${w.main}/items`)
  await b.getByRole('button', { name: '账户菜单' }).click()
  await b.getByText('退出登录').click()
  await expect(b).toHaveURL(/\/login$/)
  await b.goto(`${w.main}/items`)
  await expect(b).toHaveURL(/\/login\?redirect=/)
  for (const c of consoles) c.check()
  await first.close()
  await second.close()
})

test('不存在的页面', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await page.goto(`${w.main}/no-such-page`)
  await expect(page.getByText('页面不存在')).toBeVisible()
  await shot(page, '15-页面不存在')
  watch.check()
})
