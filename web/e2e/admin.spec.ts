// 统计 and the administration pages in a real browser (Chromium), against
// `taizhang serve`: the charts are drawn (pixels on their canvases) and the
// tables beside them say what GET /api/v1/rates and /api/v1/dashboard say;
// a chart exports as a PNG file; the system administrator adds a unit and a
// user (the one-time password shown once, 三员 combinations refused in the
// form); the security administrator changes the policy; the audit
// administrator filters and exports the log, which no other role can open,
// by the menu or by its address. Every page photographed at 1366×768.
import { test, expect, request, type Locator, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { logIn, logInToWorkbench, shot, unlabelledFields, watchConsole, world } from './helpers'

interface RateRow {
  unit?: string | null
  month?: string | null
  total: boolean
  tasks: number
  done: number
  problems: number
  rectified: number
  completion_rate: string | null
  rectification_rate: string | null
  on_time_rectification_rate: string | null
}
const shownRate = (r: string | null) => (r === null ? '—' : `${r}%`)
const monthLabel = (m: string | null | undefined) => {
  const x = /^(\d{4})-(\d{2})$/.exec(m ?? '')
  return x ? `${x[1]}年${Number(x[2])}月` : '未注明'
}

// The cells of a table's body, row by row, as shown.
async function cells(table: Locator): Promise<string[][]> {
  return table.locator('.el-table__body tr').evaluateAll((rows) =>
    rows.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim())),
  )
}

// How many pixels of a chart's canvas are drawn (not transparent, not
// white), in how many distinct colours, and how many of the plot area
// (below the legend, right of the axis names and the pie's legend) are of
// the series colours: bars and slices, not only axes and text.
const seriesColours = [0x1f4e8c, 0x3ba272, 0xfac858, 0xee6666, 0x73c0de, 0x9a60b4]
async function drawnPixels(panel: Locator): Promise<{ drawn: number; colours: number; series: number }> {
  return panel.locator('canvas').first().evaluate((canvas: HTMLCanvasElement, palette: number[]) => {
    const ctx = canvas.getContext('2d')!
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
    const scale = canvas.width / canvas.getBoundingClientRect().width
    let drawn = 0
    let series = 0
    const colours = new Set<number>()
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]]
      if (a === 0 || (r > 245 && g > 245 && b > 245)) continue
      drawn++
      colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4))
      const x = (i / 4) % canvas.width
      const y = Math.floor(i / 4 / canvas.width)
      if (x < 160 * scale || y < 40 * scale) continue
      const near = (c: number) => Math.abs(r - (c >> 16)) < 8 && Math.abs(g - ((c >> 8) & 255)) < 8 && Math.abs(b - (c & 255)) < 8
      if (palette.some(near)) series++
    }
    return { drawn, colours: colours.size, series }
  }, seriesColours)
}

// Presses Tab from the top of the page until `target` (or something in it)
// has the focus: whether it was reached within `max` presses.
async function reachByTab(page: Page, target: Locator, max = 80): Promise<boolean> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  for (let i = 0; i < max; ++i) {
    await page.keyboard.press('Tab')
    if (await target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))) return true
  }
  return false
}

async function choose(page: Page, field: string, option: string, scope: Page | Locator = page): Promise<void> {
  // With the keyboard: focus the select, open it, choose.
  await scope.getByRole('combobox', { name: field }).focus()
  await page.keyboard.press('Enter')
  await page.getByRole('option', { name: option, exact: true }).click()
}

async function refusedByAddress(page: Page, base: string, path: string): Promise<void> {
  await page.goto(`${base}${path}`)
  await expect(page.getByTestId('refused')).toBeVisible()
  await expect(page.getByTestId('refused')).toContainText('没有权限访问此页面')
  await expect(page).toHaveURL(new RegExp(`${path}$`))
}

const longUnit = '县水利局水旱灾害防御与农村水利水电工作指导中心'

test('统计：图表画出来了，表格的数字与接口的完成率、整改率相同，可导出图片', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'zhangsan', w.password)
  await page.getByRole('menuitem', { name: '统计' }).click()
  await expect(page).toHaveURL(/\/stats$/)
  await choose(page, '年度', '2025年')
  await expect(page.getByTestId('scope')).toContainText('2025年全年')

  // Rates by unit: the table is the API's rows, the total last.
  const rates = (await (await page.request.get(`${w.main}/api/v1/rates?year=2025`)).json()) as { rows: RateRow[] }
  expect(rates.rows.length).toBeGreaterThan(1)
  const expected = rates.rows.map((r) => [
    r.total ? '合计' : (r.unit ?? ''),
    String(r.tasks),
    String(r.done),
    shownRate(r.completion_rate),
    String(r.problems),
    String(r.rectified),
    shownRate(r.rectification_rate),
    shownRate(r.on_time_rectification_rate),
  ])
  await expect.poll(() => cells(page.getByTestId('table-rates'))).toEqual(expected)
  // The ledger has tasks of 2025 in more than one unit, and a problem found in 2025.
  expect(rates.rows.filter((r) => !r.total && r.tasks > 0).length).toBeGreaterThan(1)
  expect(rates.rows.find((r) => r.total)!.problems).toBeGreaterThan(0)

  // Month by month.
  const months = (await (await page.request.get(`${w.main}/api/v1/rates?year=2025&group=month`)).json()) as { rows: RateRow[] }
  await expect
    .poll(() => cells(page.getByTestId('table-trend')))
    .toEqual(
      months.rows.map((r) => [
        r.total ? '合计' : monthLabel(r.month),
        String(r.tasks),
        String(r.done),
        shownRate(r.completion_rate),
        String(r.problems),
        shownRate(r.rectification_rate),
      ]),
    )

  // Status distribution and overdue by unit and month: the dashboard's counts.
  const board = (await (await page.request.get(`${w.main}/api/v1/dashboard?limit=0`)).json()) as {
    status: { label: string; count: number }[]
    overdue_by_unit_month: { unit: string; month: string; count: number }[]
  }
  const statusCells = await cells(page.getByTestId('table-status'))
  expect(statusCells.map((r) => [r[0], r[1]])).toEqual(board.status.map((s) => [s.label, String(s.count)]))
  const overdue2025 = board.overdue_by_unit_month.filter((r) => r.month.startsWith('2025-'))
  expect(overdue2025.length).toBeGreaterThan(0)
  expect(await cells(page.getByTestId('table-overdue'))).toEqual(overdue2025.map((r) => [r.unit, monthLabel(r.month), String(r.count)]))

  // Each chart is drawn: many coloured pixels, several colours. Where the
  // numbers are not all 0 (no task of 2025 is done yet: the rates are 0%),
  // bars or slices of the first series colour fill a good part of it.
  for (const id of ['chart-rates', 'chart-overdue', 'chart-status', 'chart-trend']) {
    const { drawn, colours, series } = await drawnPixels(page.getByTestId(id))
    expect(drawn, id).toBeGreaterThan(2000)
    expect(colours, id).toBeGreaterThan(3)
    if (id !== 'chart-rates') expect(series, id).toBeGreaterThan(1000)
  }
  await shot(page, '20-统计')
  expect(await unlabelledFields(page)).toEqual([])

  // The first chart's 导出图片, reached and pressed with the keyboard: a PNG file.
  const exportButton = page.getByTestId('chart-rates').getByRole('button', { name: '导出图片' })
  expect(await reachByTab(page, exportButton)).toBe(true)
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
  expect(download.suggestedFilename()).toBe('各单位完成率和整改率-2025年全年.png')
  const png = readFileSync((await download.path())!)
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  expect(png.readUInt32BE(16)).toBeGreaterThan(400) // IHDR width
  expect(png.length).toBeGreaterThan(5000)

  // A period and a unit: the table follows the API again.
  await choose(page, '期间', '下半年')
  await choose(page, '单位', '县水利局')
  const half = (await (
    await page.request.get(`${w.main}/api/v1/rates?from=2025-07-01&to=2025-12-31&unit=${encodeURIComponent('县水利局')}`)
  ).json()) as { rows: RateRow[] }
  await expect
    .poll(async () => (await cells(page.getByTestId('table-rates'))).map((r) => r.slice(0, 3)))
    .toEqual(half.rows.map((r) => [r.total ? '合计' : (r.unit ?? ''), String(r.tasks), String(r.done)]))
  await shot(page, '21-统计-单位和期间')

  // Not the administration pages: a refusal in Chinese, by address too.
  await expect(page.getByRole('menuitem', { name: '审计日志' })).toHaveCount(0)
  await refusedByAddress(page, w.main, '/admin/audit')
  await shot(page, '22-无权访问-审计日志')
  expect((await page.request.get(`${w.main}/api/v1/audit`)).status()).toBe(403)
  await refusedByAddress(page, w.main, '/admin/users')
  watch.check()
})

test('系统管理员：新增单位和用户，一次性密码只显示一次，三员不能兼任', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logIn(page, w.main, 'xitong', w.password)
  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByRole('menuitem')).toHaveText(['单位管理', '用户管理', '数据库备份', '催办设置', '我的账户'])

  // A unit under 县水利局, with a long name and an alias.
  await page.getByRole('menuitem', { name: '单位管理' }).click()
  await expect(page).toHaveURL(/\/admin\/units$/)
  await expect(page.getByTestId('unit-tree')).toContainText('县水利局')
  await shot(page, '23-单位管理')
  const addButton = page.getByRole('button', { name: '新增单位' })
  expect(await reachByTab(page, addButton)).toBe(true)
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: '新增单位' })
  await expect(dialog).toBeVisible()
  await dialog.getByLabel('单位名称').fill(longUnit)
  await choose(page, '上级单位', '某县 / 县水利局', dialog)
  await dialog.getByLabel('别名').fill('县水旱中心')
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '24-新增单位')
  await dialog.getByRole('button', { name: '新增', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('unit-tree')).toContainText(longUnit)
  await expect(page.getByTestId('unit-edit')).toContainText(`某县 / 县水利局 / ${longUnit}`)
  // A second alias, from the panel of the chosen unit.
  await page.locator('#unit-aliases').fill('县水旱中心、县水利局防御中心')
  await page.getByRole('button', { name: '保存别名' }).click()
  await expect(page.getByTestId('unit-tree')).toContainText('县水利局防御中心')
  const units = JSON.stringify(await (await page.request.get(`${w.main}/api/v1/units`)).json())
  expect(units).toContain(`"aliases":["县水旱中心","县水利局防御中心"]`)
  expect(units).toContain(`"path":"某县 / 县水利局 / ${longUnit}"`)
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '25-单位管理-新单位')

  // A user of that unit. The three administrator roles exclude each other in the form.
  await page.getByRole('menuitem', { name: '用户管理' }).click()
  await expect(page).toHaveURL(/\/admin\/users$/)
  await expect(page.getByTestId('users')).toContainText('zhangsan')
  await page.getByRole('button', { name: '新增用户' }).click()
  const form = page.getByRole('dialog', { name: '新增用户' })
  await expect(form).toBeVisible()
  await form.getByLabel('登录名').fill('zhoujiu')
  await form.getByLabel('姓名').fill('周九')
  await form.locator('label', { hasText: '系统管理员' }).click()
  await expect(form.getByRole('checkbox', { name: '系统管理员' })).toBeChecked()
  await expect(form.getByRole('checkbox', { name: '安全管理员' })).toBeDisabled()
  await expect(form.getByRole('checkbox', { name: '审计管理员' })).toBeDisabled()
  await expect(form.getByTestId('separation')).toContainText('已选“系统管理员”，另两种管理员角色不能再选')
  await expect(form.getByTestId('separation')).toContainText('三员分立')
  // Clicking a refused role changes nothing.
  await form.locator('label', { hasText: '审计管理员' }).click({ force: true })
  await expect(form.getByRole('checkbox', { name: '审计管理员' })).not.toBeChecked()
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '26-新增用户-三员分立')
  await form.locator('label', { hasText: '系统管理员' }).click()
  await expect(form.getByRole('checkbox', { name: '安全管理员' })).toBeEnabled()
  await form.locator('label', { hasText: '填报员' }).click()
  await choose(page, '所属单位', `某县 / 县水利局 / ${longUnit}`, form)
  await form.getByRole('button', { name: '新增', exact: true }).click()

  const secret = page.getByTestId('one-time-password')
  await expect(secret).toHaveText(/^[A-Za-z0-9]{16}$/)
  const once = (await secret.textContent())!.trim()
  await shot(page, '27-一次性密码')
  await page.getByRole('button', { name: '我已记下' }).click()
  await expect(secret).toBeHidden()
  expect(await page.content()).not.toContain(once)
  const row = page.getByTestId('users').locator('.el-table__body tr', { hasText: 'zhoujiu' })
  await expect(row).toContainText(longUnit)
  await expect(row).toContainText('填报员')
  await expect(row).toContainText('须修改密码')
  await shot(page, '28-用户管理')
  // The password works once, and must be changed.
  const other = await request.newContext({ baseURL: w.main })
  const login = await other.post('/api/v1/auth/login', { data: { name: 'zhoujiu', password: once } })
  expect(login.status()).toBe(200)
  expect((await login.json()).user.must_change_password).toBe(true)
  await other.dispose()

  // The audit log is not this administrator's.
  await expect(page.getByRole('menuitem', { name: '审计日志' })).toHaveCount(0)
  await refusedByAddress(page, w.main, '/admin/audit')
  await refusedByAddress(page, w.main, '/stats')
  watch.check()
})

test('安全管理员修改安全策略；不合规定的策略被拒绝并说明原因', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logIn(page, w.main, 'anquan', w.password)
  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByRole('menuitem')).toHaveText(['用户管理', '安全策略', '我的账户'])
  await page.getByRole('menuitem', { name: '安全策略' }).click()
  await expect(page).toHaveURL(/\/admin\/policy$/)
  const minLength = page.getByLabel('最短长度')
  await expect(minLength).toHaveValue('8')
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '29-安全策略')

  await minLength.fill('10')
  await page.getByLabel('锁定时长').fill('20')
  await page.getByLabel('锁定时长').press('Tab')
  await page.getByRole('button', { name: '保存' }).click()
  await expect(page.getByText('安全策略已保存。')).toBeVisible()
  await expect
    .poll(async () => (await (await page.request.get(`${w.main}/api/v1/policy`)).json()) as Record<string, number>)
    .toMatchObject({ min_length: 10, lockout_minutes: 20 })

  // Fewer than 180 days of audit log: the server's refusal, nothing saved.
  await page.getByLabel('保存期限').fill('90')
  await page.getByLabel('保存期限').press('Tab')
  await page.getByRole('button', { name: '保存' }).click()
  await expect(page.getByTestId('policy-error')).toContainText('180')
  await shot(page, '30-安全策略-被拒绝')
  expect(((await (await page.request.get(`${w.main}/api/v1/policy`)).json()) as Record<string, number>).audit_retention_days).toBe(180)

  // Back as it was (the other tests' passwords follow the default policy).
  await page.getByRole('button', { name: '还原' }).click()
  await minLength.fill('8')
  await page.getByLabel('锁定时长').fill('15')
  await page.getByLabel('锁定时长').press('Tab')
  await page.getByRole('button', { name: '保存' }).click()
  await expect
    .poll(async () => (await (await page.request.get(`${w.main}/api/v1/policy`)).json()) as Record<string, number>)
    .toMatchObject({ min_length: 8, lockout_minutes: 15, audit_retention_days: 180 })

  // Users: seen, unlockable, not editable by this role.
  await page.getByRole('menuitem', { name: '用户管理' }).click()
  await expect(page.getByTestId('users')).toContainText('zhangsan')
  await expect(page.getByRole('button', { name: '新增用户' })).toHaveCount(0)
  await expect(page.getByTestId('users').getByRole('button', { name: '解锁' }).first()).toBeVisible()
  await shot(page, '31-用户管理-安全管理员')
  await refusedByAddress(page, w.main, '/admin/audit')
  await refusedByAddress(page, w.main, '/admin/units')
  watch.check()
})

test('审计管理员筛选并导出审计日志（CSV 和 Excel）', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logIn(page, w.main, 'shenji', w.password)
  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByRole('menuitem')).toHaveText(['审计日志', '我的账户'])
  await page.getByRole('menuitem', { name: '审计日志' }).click()
  await expect(page).toHaveURL(/\/admin\/audit$/)
  await expect(page.getByTestId('audit-table').locator('.el-table__body tr').first()).toBeVisible()
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '32-审计日志')

  // zhangsan's logins (global-setup logged zhangsan in).
  await page.getByLabel('操作人').fill('zhangsan')
  await choose(page, '操作', '登录')
  await choose(page, '结果', '成功')
  await page.getByRole('button', { name: '查询' }).click()
  const api = (await (
    await page.request.get(`${w.main}/api/v1/audit?user=zhangsan&action=login&outcome=success&limit=50`)
  ).json()) as { entries: { id: number; user: string }[] }
  expect(api.entries.length).toBeGreaterThan(0)
  await expect
    .poll(async () => (await cells(page.getByTestId('audit-table'))).map((r) => r[0]))
    .toEqual(api.entries.map((e) => String(e.id)))
  for (const r of await cells(page.getByTestId('audit-table'))) {
    expect(r[2]).toBe('zhangsan')
    expect(r[4]).toBe('登录')
    expect(r[6]).toBe('成功')
  }
  await shot(page, '33-审计日志-筛选')

  // The export is of the same filter.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
  expect(csv.suggestedFilename()).toBe('审计日志.csv')
  const text = readFileSync((await csv.path())!)
  expect([...text.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const lines = text.toString('utf8').slice(1).trim().split(/\r?\n/)
  expect(lines.length).toBe(api.entries.length + 1)
  for (const line of lines.slice(1)) expect(line).toContain('zhangsan')
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()])
  expect(xlsx.suggestedFilename()).toBe('审计日志.xlsx')
  expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK')

  // The reading and the exports are themselves in the log.
  const own = (await (await page.request.get(`${w.main}/api/v1/audit?user=shenji&action=audit_export`)).json()) as {
    entries: unknown[]
  }
  expect(own.entries.length).toBe(2)

  // Keyboard: the filters and the export links are reachable with Tab.
  expect(await reachByTab(page, page.getByTestId('export-xlsx'))).toBe(true)
  expect(await reachByTab(page, page.getByLabel('截止日期'))).toBe(true)

  // Nothing else is this administrator's.
  await refusedByAddress(page, w.main, '/admin/users')
  await shot(page, '34-无权访问-用户管理')
  await refusedByAddress(page, w.main, '/admin/policy')
  await refusedByAddress(page, w.main, '/stats')
  watch.check()
})
