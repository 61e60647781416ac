// The 工作台 and the 台账 list in a real browser: the workbench's numbers are
// the API's and each opens the list of exactly those items; the list's text
// search and sort live in the address (a copied link, reload and the back
// button show the same list); the list works from the keyboard; the Excel
// export downloads the workbook of the filter shown, which the server's own
// import (POST /api/v1/ledger/import) takes back unchanged.
import { test, expect, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { itemRows, logInToWorkbench, shot, unlabelledFields, watchConsole, world } from './helpers'

async function shownTotal(page: Page): Promise<number> {
  const text = await page.getByTestId('total').textContent()
  return Number(/共 (\d+) 项/.exec(text || '')?.[1])
}

async function apiJson<T>(page: Page, path: string): Promise<T> {
  const r = await page.request.get(`${world().main}${path}`)
  expect(r.status(), path).toBe(200)
  return (await r.json()) as T
}

interface Dashboard {
  within: number
  due_soon: { count: number }
  overdue: { count: number }
  awaiting_review: { count: number }
  awaiting_close_off: { count: number }
  lights: { red: number; yellow: number; green: number; none: number }
}

test('工作台的数字与接口相同，每个数字打开对应的台账列表', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'zhangsan', w.password)
  await expect(page.getByRole('menuitem', { name: '工作台' })).toBeVisible()
  const d = await apiJson<Dashboard>(page, '/api/v1/dashboard?within=7')
  const number = async (id: string) => Number(/(\d+)\s*项/.exec((await page.getByTestId(id).textContent()) || '')?.[1])
  await expect.poll(() => number('tile-due')).toBe(d.due_soon.count)
  expect(await number('tile-overdue')).toBe(d.overdue.count)
  expect(await number('tile-review')).toBe(d.awaiting_review.count)
  expect(await number('tile-close')).toBe(d.awaiting_close_off.count)
  expect(await number('light-red')).toBe(d.lights.red)
  expect(await number('light-yellow')).toBe(d.lights.yellow)
  expect(await number('light-green')).toBe(d.lights.green)
  // The seed has items past their deadline and lights of more than one colour.
  expect(d.overdue.count).toBeGreaterThan(0)
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '30-工作台-督查员')

  // 30 days: the API's number again (the example's 2026-12-31 item comes in).
  await page.getByRole('combobox', { name: '到期提醒' }).focus()
  await page.keyboard.press('Enter')
  await page.getByRole('option', { name: '30 天内' }).click()
  await expect(page).toHaveURL(/within=30/)
  const d30 = await apiJson<Dashboard>(page, '/api/v1/dashboard?within=30')
  await expect.poll(() => number('tile-due')).toBe(d30.due_soon.count)

  // Each number opens the list of exactly those items.
  for (const [id, count, url] of [
    ['tile-due', d30.due_soon.count, /due_within=30/],
    ['tile-overdue', d.overdue.count, /overdue=1/],
    ['light-red', d.lights.red, /warning=red/],
    ['light-green', d.lights.green, /warning=green/],
  ] as const) {
    await page.getByTestId(id).click()
    await expect(page).toHaveURL(url)
    await expect.poll(() => shownTotal(page)).toBe(count)
    if (id === 'tile-due') {
      await expect(page.getByTestId('extra-filters')).toContainText('30 天内到期')
      await shot(page, '31-台账-从工作台打开')
    }
    await page.goBack()
    await expect(page).toHaveURL(/\/workbench/)
  }

  // A 填报员's workbench: its unit's numbers, no review or close-off.
  await page.getByRole('button', { name: '账户菜单' }).click()
  await page.getByText('退出登录').click()
  await logInToWorkbench(page, w.main, 'lisi', w.password)
  const mine = await apiJson<Dashboard>(page, '/api/v1/dashboard?within=7')
  await expect.poll(() => number('tile-overdue')).toBe(mine.overdue.count)
  expect(await number('tile-due')).toBe(mine.due_soon.count)
  expect(mine.lights.red + mine.lights.yellow + mine.lights.green + mine.lights.none).toBe(w.itemCounts.water)
  await expect(page.getByTestId('tile-review')).toHaveCount(0)
  await shot(page, '32-工作台-填报员')
  watch.check()
})

test('台账：文字搜索与排序写在地址里，后退回到上一个列表', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'zhangsan', w.password)
  await page.goto(`${w.main}/items`)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.all)

  // Text search.
  const found = await apiJson<{ total: number }>(page, `/api/v1/items?q=${encodeURIComponent('建设')}&limit=1`)
  expect(found.total).toBeGreaterThan(1)
  expect(found.total).toBeLessThan(w.itemCounts.all)
  await page.getByLabel('关键词').fill('建设')
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page).toHaveURL(/q=%E5%BB%BA%E8%AE%BE/)
  await expect.poll(() => shownTotal(page)).toBe(found.total)
  const tasks = await itemRows(page).locator('a.task').allTextContents()
  expect(tasks.every((t) => t.includes('建设'))).toBe(true)

  // Sort by clicking the header: 编号 descending, then 时限.
  const firstId = () => itemRows(page).first().locator('td').first().textContent()
  await page.getByTestId('sort-id').click() // id → -id
  await expect(page).toHaveURL(/sort=-id/)
  const desc = await apiJson<{ items: { id: number }[] }>(page, `/api/v1/items?q=${encodeURIComponent('建设')}&sort=-id&limit=1`)
  await expect.poll(firstId).toBe(String(desc.items[0].id))
  await expect(page.getByTestId('sort-id')).toHaveAttribute('data-sort', 'descending')
  await page.getByTestId('sort-deadline').click()
  await expect(page).toHaveURL(/sort=deadline/)
  const byDeadline = await apiJson<{ items: { id: number }[] }>(page, `/api/v1/items?q=${encodeURIComponent('建设')}&sort=deadline&limit=1`)
  await expect.poll(firstId).toBe(String(byDeadline.items[0].id))
  await shot(page, '33-台账-搜索与排序')

  // A copied link shows the same list; back returns to the one before.
  const address = page.url()
  await page.goto(address)
  await expect.poll(firstId).toBe(String(byDeadline.items[0].id))
  await expect(page.getByLabel('关键词')).toHaveValue('建设')
  await page.goBack()
  await expect(page).toHaveURL(/sort=-id/)
  await expect.poll(firstId).toBe(String(desc.items[0].id))
  await page.goBack()
  await expect(page).not.toHaveURL(/sort=/)
  await expect(page).toHaveURL(/q=/)
  await page.goBack()
  await expect(page).not.toHaveURL(/q=/)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.all)
  await expect(page.getByLabel('关键词')).toHaveValue('')
  watch.check()
})

test('台账的键盘操作：搜索、按表头排序、打开事项都不用鼠标', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'zhangsan', w.password)
  await page.goto(`${w.main}/items`)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.all)
  // Type a search and submit it with Enter.
  await page.getByLabel('关键词').focus()
  await page.keyboard.type('防洪')
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/q=/)
  await expect.poll(() => shownTotal(page)).toBe(1)
  // Tab from the search field reaches the sort headers and the item's link.
  const reached: string[] = []
  await page.getByLabel('关键词').focus()
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab')
    const now = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      return el ? `${el.tagName}|${el.getAttribute('data-test') || ''}|${el.textContent?.trim() || ''}` : ''
    })
    reached.push(now)
    if (now.startsWith('A|') && now.includes('防洪')) break
  }
  expect(reached.some((r) => r.startsWith('BUTTON|sort-id'))).toBe(true)
  expect(reached.some((r) => r.startsWith('A|export'))).toBe(true)
  expect(reached[reached.length - 1]).toContain('完成城区防洪排涝工程主体建设')
  // Enter on the link opens the item; back returns to the same list.
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/items\/\d+$/)
  await expect(page.getByTestId('item-task')).toHaveText('完成城区防洪排涝工程主体建设')
  await page.goBack()
  await expect(page).toHaveURL(/q=/)
  // A header sorts from the keyboard too.
  await page.getByTestId('sort-deadline').focus()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/sort=deadline/)
  await expect(page.getByTestId('sort-deadline')).toHaveAttribute('data-sort', 'ascending')
  watch.check()
})

test('导出 Excel：下载的正是列表的条件，服务自己的导入原样接受', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'zhangsan', w.password)
  await page.goto(`${w.main}/items?unit=${encodeURIComponent('县水利局')}&sort=deadline`)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.water)
  const link = page.getByTestId('export')
  await expect(link).toHaveAttribute('href', /\/api\/v1\/items\/export\.xlsx\?unit=%E5%8E%BF%E6%B0%B4%E5%88%A9%E5%B1%80&sort=deadline$/)
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
  const bytes = readFileSync(await download.path())
  expect(bytes.subarray(0, 2).toString()).toBe('PK')

  // The server's import takes it back: every row unchanged, nothing added.
  const me = await apiJson<{ csrf_token: string }>(page, '/api/v1/auth/me')
  const imported = await page.request.post(`${w.main}/api/v1/ledger/import`, {
    headers: { 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    data: bytes,
  })
  expect(imported.status(), await imported.text()).toBe(200)
  const result = (await imported.json()) as { added: number; updated: number; unchanged: number; rows: number }
  expect(result).toMatchObject({ added: 0, updated: 0, unchanged: w.itemCounts.water, rows: w.itemCounts.water })

  // Everything (no filter): as many rows as the list's total, again unchanged.
  await page.goto(`${w.main}/items`)
  await expect.poll(() => shownTotal(page)).toBe(w.itemCounts.all)
  const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()])
  const again = await page.request.post(`${w.main}/api/v1/ledger/import`, {
    headers: { 'X-CSRF-Token': me.csrf_token },
    data: readFileSync(await all.path()),
  })
  expect(again.status()).toBe(200)
  expect(await again.json()).toMatchObject({ added: 0, updated: 0, rows: w.itemCounts.all })
  watch.check()
})
