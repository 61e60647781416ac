// Reminders in the browser: on 催办设置 the 系统管理员 adds two webhook channels
// (and a DingTalk robot whose token and secret never come back to the page)
// and a 督查员 an overdue rule; `taizhang remind` runs on the
// main ledger — one channel answers on 127.0.0.1 (a receiver started here),
// the other's port has no one — and the 填报员 sees the item's 催办记录: when,
// channel, rule, the day, 已送达 and 未送达 with the reason. On 我的账户 the
// 填报员 makes a calendar link: its address is shown once, a calendar
// fetching it gets text/calendar with the item (and not another unit's),
// and after 撤销 the address answers 404.
import { test, expect, type Locator, type Page } from '@playwright/test'
import { execFile } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { logIn, logInToWorkbench, shot, unlabelledFields, watchConsole, world } from './helpers'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../..')

// Chooses `option` of the select labelled `field` within `scope`.
async function choose(page: Page, scope: Locator, field: string, option: string): Promise<void> {
  // With the keyboard (the placeholder covers the input): focus, open, choose.
  await scope.getByRole('combobox', { name: field }).focus()
  await page.keyboard.press('Enter')
  await page.getByRole('option', { name: option, exact: true }).click()
}

test('催办设置、事项的催办记录、日历订阅链接', async ({ page, browser, playwright }) => {
  const consoleWatch = watchConsole(page)
  const w = world()
  // A webhook receiver on 127.0.0.1 and a port where no one listens.
  const received: string[] = []
  const receiver = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      received.push(body)
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const port = (receiver.address() as AddressInfo).port
  const down = http.createServer()
  await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve))
  const downPort = (down.address() as AddressInfo).port
  await new Promise<void>((resolve) => down.close(() => resolve()))

  try {
    // 催办设置 on the page: the 系统管理员 adds the two channels, the 督查员 the rule.
    const adminContext = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    const admin = await adminContext.newPage()
    const adminWatch = watchConsole(admin)
    await logIn(admin, w.main, 'xitong', w.password)
    await admin.getByRole('menuitem', { name: '催办设置' }).click()
    await expect(admin).toHaveURL(/\/admin\/reminders$/)
    await expect(admin.getByTestId('rules')).toHaveCount(0) // rules are the 督查员's
    const channelsCard = admin.getByTestId('channels')
    for (const [name, url] of [['办公系统回调', `http://127.0.0.1:${port}/hook`], ['断线回调', `http://127.0.0.1:${downPort}/hook`]]) {
      await channelsCard.getByLabel('名称').fill(name)
      await choose(admin, channelsCard, '类型', 'JSON 回调')
      await channelsCard.getByLabel('Webhook 地址').fill(url)
      await channelsCard.getByTestId('channel-add').click()
      await expect(channelsCard.getByTestId('channel').filter({ hasText: name })).toBeVisible()
    }
    await expect(channelsCard.getByTestId('channel')).toHaveCount(2)
    // A DingTalk robot's token and secret never come back to the page.
    await channelsCard.getByLabel('名称').fill('督查群')
    await choose(admin, channelsCard, '类型', '钉钉群机器人')
    await channelsCard.getByLabel('Webhook 地址').fill('https://oapi.dingtalk.com/robot/send?access_token=tok123456789')
    await channelsCard.getByLabel('加签密钥').fill('SECabcdef0123456789')
    await channelsCard.getByTestId('channel-add').click()
    const robot = channelsCard.getByTestId('channel').filter({ hasText: '督查群' })
    await expect(robot).toContainText('https://oapi.dingtalk.com/robot/send?…')
    await expect(robot).toContainText('已设置')
    expect(await admin.content()).not.toContain('tok123456789')
    expect(await admin.content()).not.toContain('SECabcdef0123456789')
    expect(await unlabelledFields(admin)).toEqual([])
    await shot(admin, '42-催办设置-渠道')
    // Disabled, enabled again, then deleted (no rule uses it, nothing logged).
    await robot.getByRole('button', { name: '停用', exact: true }).click()
    await robot.getByRole('button', { name: '启用', exact: true }).click()
    await expect(robot.getByRole('button', { name: '停用', exact: true })).toBeVisible()
    await robot.getByRole('button', { name: '删除', exact: true }).click()
    await admin.locator('.el-message-box').getByRole('button', { name: '删除', exact: true }).click()
    await expect(channelsCard.getByTestId('channel')).toHaveCount(2)
    adminWatch.check()

    const supContext = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    const sup = await supContext.newPage()
    const supWatch = watchConsole(sup)
    await logInToWorkbench(sup, w.main, 'zhangsan', w.password)
    await sup.getByRole('menuitem', { name: '催办设置' }).click()
    await expect(sup.getByTestId('channels')).toHaveCount(0) // channels are the 系统管理员's
    const rulesCard = sup.getByTestId('rules')
    await rulesCard.getByLabel('名称').fill('水利局逾期每周')
    await choose(sup, rulesCard, '类型', '逾期')
    await rulesCard.getByLabel('每隔几天').fill('7')
    await rulesCard.getByLabel('单位').fill('县水利局')
    await rulesCard.getByRole('combobox', { name: '渠道' }).focus()
    await sup.keyboard.press('Enter')
    await sup.getByRole('option', { name: '办公系统回调', exact: true }).click()
    await sup.getByRole('option', { name: '断线回调', exact: true }).click()
    await sup.keyboard.press('Escape')
    await rulesCard.getByTestId('rule-add').click()
    const ruleRow = rulesCard.getByTestId('rule').filter({ hasText: '水利局逾期每周' })
    await expect(ruleRow).toContainText('逾期后每 7 天')
    await expect(ruleRow).toContainText('办公系统回调、断线回调')
    expect(await unlabelledFields(sup)).toEqual([])
    await shot(sup, '43-催办设置-规则')
    // Disabled and enabled again (the run below needs it).
    await ruleRow.getByRole('button', { name: '停用', exact: true }).click()
    await expect(ruleRow.getByRole('button', { name: '启用', exact: true })).toBeVisible()
    await ruleRow.getByRole('button', { name: '启用', exact: true }).click()
    await expect(ruleRow.getByRole('button', { name: '停用', exact: true })).toBeVisible()
    supWatch.check()
    await adminContext.close()
    await supContext.close()

    const bin = process.env.TAIZHANG_BIN || path.join(repo, 'build/taizhang')
    // Asynchronously: the receiver answers from this process's event loop.
    const code = await new Promise<number>((resolve) => {
      execFile(bin, ['remind', '--db', w.mainDb], { encoding: 'utf8' }, (e) => {
        resolve(e ? Number((e as { code?: number }).code ?? 1) : 0)
      })
    })
    expect(code).toBe(8) // one channel is down: delivered to the other, the failure recorded
    expect(received.some((body) => body.includes(`"id":${w.waterItem}`))).toBe(true)

    // The item's 催办记录, as the 填报员 sees it.
    await logInToWorkbench(page, w.main, 'lisi', w.password)
    await page.goto(`${w.main}/items/${w.waterItem}`)
    const log = page.getByTestId('reminders')
    await expect(log.getByRole('heading', { name: /催办记录（2）/ })).toBeVisible()
    const rows = log.getByTestId('reminder')
    await expect(rows).toHaveCount(2)
    const sent = rows.filter({ hasText: '办公系统回调' })
    await expect(sent).toContainText('已送达')
    await expect(sent).toContainText('水利局逾期每周')
    await expect(sent).toContainText('JSON 回调')
    await expect(sent).toContainText(/\d{4}年\d{1,2}月\d{1,2}日/)
    const failed = rows.filter({ hasText: '断线回调' })
    await expect(failed).toContainText('未送达')
    await expect(failed.getByTestId('reminder-error')).toContainText('原因：')
    const api = (await (await page.request.get(`${w.main}/api/v1/items/${w.waterItem}/reminders`)).json()) as {
      reminders: { channel: string; state: string; error: string }[]
    }
    expect(api.reminders.map((r) => `${r.channel}:${r.state}`).sort()).toEqual(['办公系统回调:sent', '断线回调:failed'])
    await expect(failed.getByTestId('reminder-error')).toContainText(api.reminders.find((r) => r.state === 'failed')!.error)
    await log.scrollIntoViewIfNeeded()
    await shot(page, '40-事项催办记录')

    // 我的账户: a calendar link, its address once; read by a calendar; revoked.
    await page.goto(`${w.main}/account`)
    const calendar = page.getByTestId('calendar-links')
    await expect(calendar.getByText('还没有日历链接')).toBeVisible()
    await calendar.getByLabel('链接名称').fill('办公电脑 Outlook')
    await calendar.getByTestId('calendar-create').click()
    const address = calendar.getByLabel('订阅地址（只显示这一次）')
    await expect(address).toHaveValue(new RegExp(`^${w.main.replace(/[.]/g, '\\.')}/api/v1/calendar/[A-Za-z0-9_-]{43}\\.ics$`))
    const url = await address.inputValue()
    await expect(calendar.getByTestId('calendar-list')).toContainText('办公电脑 Outlook')
    await expect(calendar.getByTestId('calendar-list')).toContainText('尚未读取')
    expect(await unlabelledFields(page)).toEqual([])
    await shot(page, '41-我的账户-日历订阅')

    const feeder = await playwright.request.newContext() // a calendar: no session
    const feed = await feeder.get(url)
    expect(feed.status()).toBe(200)
    expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8')
    const ics = await feed.text()
    expect(ics).toContain(`UID:taizhang-item-${w.waterItem}@taizhang`)
    expect(ics).not.toContain(`UID:taizhang-item-${w.otherUnitItem}@taizhang`)
    expect(ics).toContain('X-WR-CALNAME:台账时限（县水利局，李四）')
    await page.reload()
    await expect(calendar.getByTestId('calendar-list')).not.toContainText('尚未读取')
    await expect(calendar.getByTestId('calendar-made')).toHaveCount(0) // shown once

    await calendar.getByRole('button', { name: '撤销' }).click()
    await page.getByRole('dialog').getByRole('button', { name: '撤销' }).click()
    await expect(calendar.getByText('还没有日历链接')).toBeVisible()
    expect((await feeder.get(url)).status()).toBe(404)
    consoleWatch.check()
  } finally {
    receiver.close()
  }
})
