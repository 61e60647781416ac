// 问题整改 in a real browser, on the review server of global-setup (a ledger
// of its own): problems by source (审计, 巡察, 督查); zhouba, a 督查员 who is
// also the 填报员 of 县水利局, submits a rectification with an evidence file
// and is refused the close-off of his own submission (the page says why, the
// server answers 403); zhangsan, another 督查员, closes it off; 整改率 and
// 按期整改率 on the page are the API's at every step.
import { test, expect, type Page } from '@playwright/test'
import { logInToWorkbench, shot, unlabelledFields, watchConsole, world } from './helpers'
import { csrf, item, type Item } from './review-api'

interface RateRow {
  total: boolean
  problems: number
  rectified: number
  rectified_on_time: number
  rectification_rate: string | null
  on_time_rectification_rate: string | null
}

async function problemRates(page: Page): Promise<RateRow> {
  const body = (await (await page.request.get(`${world().review}/api/v1/rates?kind=problem`)).json()) as { rows: RateRow[] }
  return body.rows.find((r) => r.total) ?? body.rows[0]
}

// The page's two rates equal the API's, numerator and denominator too.
async function expectRatesOfApi(page: Page): Promise<RateRow> {
  const r = await problemRates(page)
  expect(r.rectification_rate).not.toBeNull()
  await expect(page.getByTestId('rate-rectification')).toHaveText(`${r.rectification_rate}%（${r.rectified}/${r.problems}）`)
  await expect(page.getByTestId('rate-on-time')).toHaveText(
    `${r.on_time_rectification_rate}%（${r.rectified_on_time}/${r.problems}）`,
  )
  return r
}

async function problems(page: Page): Promise<Item[]> {
  const body = (await (await page.request.get(`${world().review}/api/v1/items?kind=problem&limit=200`)).json()) as { items: Item[] }
  return body.items
}

// zhangsan adds a 巡察 and a 督查 problem of 县水利局 (once).
async function addProblems(page: Page): Promise<void> {
  const w = world()
  const have = await problems(page)
  const token = await csrf(page, w.review)
  const wanted = [
    { problem_source: '巡察', task: '河道采砂监管不到位，部分河段存在非法采砂现象', found_date: '2025-04-10', deadline: '2026-06-30' },
    { problem_source: '督查', task: '农村饮水安全工程水质检测频次不足', found_date: '2025-05-20', deadline: '2025-09-30' },
  ]
  for (const p of wanted) {
    if (have.some((h) => h.task === p.task)) continue
    const r = await page.request.post(`${w.review}/api/v1/items`, {
      data: { kind: 'problem', unit: '县水利局', year: 2025, ...p },
      headers: { 'X-CSRF-Token': token },
    })
    expect(r.status(), await r.text()).toBe(201)
  }
}

test('整改：按来源列出问题，本人提交的整改不能由本人销号，由另一位督查员销号，整改率与接口相同', async ({ browser }) => {
  const w = world()
  // zhangsan: the problems by source, the rates.
  const boss = await (await browser.newContext()).newPage()
  const bossWatch = watchConsole(boss)
  await logInToWorkbench(boss, w.review, 'zhangsan', w.password)
  await addProblems(boss)
  const all = await problems(boss)
  const audit = all.find((p) => p.task === '项目资金拨付不及时')!
  expect(audit.problem?.source).toBe('审计')
  await boss.getByRole('menuitem', { name: '问题整改' }).click()
  await expect(boss).toHaveURL(/\/rectification$/)
  await expect(boss.getByTestId('problem-count')).toHaveText(`共 ${all.length} 个问题`)
  for (const source of ['审计', '巡察', '督查']) {
    const n = all.filter((p) => p.problem?.source === source).length
    expect(n).toBeGreaterThan(0)
    await expect(boss.getByRole('radio', { name: `${source}（${n}）` })).toBeAttached()
  }
  const before = await expectRatesOfApi(boss)
  expect(await unlabelledFields(boss)).toEqual([])
  await shot(boss, '整改-督查员')
  // Problems by source: 巡察 only.
  await boss.getByText('巡察（1）').click()
  await expect(boss.getByTestId('problems').locator('.el-table__body tr')).toHaveCount(1)
  await expect(boss.getByTestId('problems')).toContainText('河道采砂监管不到位')
  await boss.getByText(`全部（${all.length}）`).click()

  // zhouba (督查员 and 填报员 of 县水利局) submits the 审计 problem's rectification.
  const self = await (await browser.newContext()).newPage()
  const selfWatch = watchConsole(self)
  await logInToWorkbench(self, w.review, 'zhouba', w.password)
  await self.goto(`${w.review}/rectification`)
  await self.getByTestId(`submit-${audit.id}`).click()
  const submit = self.getByRole('dialog', { name: '提交整改' })
  await expect(submit).toBeVisible()
  await submit.getByLabel('整改措施').fill('已于2025年6月20日将滞拨资金全部拨付到位，并建立项目资金拨付月调度制度')
  await submit.getByLabel(/佐证材料/).setInputFiles({
    name: '资金拨付整改报告.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('县水利局关于项目资金拨付不及时问题的整改报告\n滞拨资金已于2025年6月20日全部拨付到位。\n', 'utf8'),
  })
  await expect(submit).toContainText('资金拨付整改报告.txt')
  expect(await unlabelledFields(self)).toEqual([])
  await shot(self, '整改-提交整改')
  await submit.getByRole('button', { name: '提交' }).click()
  await expect(submit).toBeHidden()
  const submitted = await item(self, w.review, audit.id)
  expect(submitted.status).toBe('awaiting_close_off')
  expect(submitted.problem?.submitted_by).toBe('zhouba')
  expect(submitted.problem?.measures).toContain('滞拨资金全部拨付到位')
  const evidence = submitted.progress_entries!.flatMap((e) => e.attachments ?? [])
  expect(evidence.map((a) => a.name)).toEqual(['资金拨付整改报告.txt'])

  // zhouba is a 督查员 too, but may not close off what he submitted: the
  // page says why, and the server refuses.
  const row = self.getByTestId('problems').locator('.el-table__body tr', { hasText: '项目资金拨付不及时' })
  await expect(row).toContainText('待销号')
  await expect(self.getByTestId(`close-off-${audit.id}`)).toBeDisabled()
  await expect(self.getByTestId(`close-off-refused-${audit.id}`)).toHaveText('整改由您本人提交，销号须由另一位督查员核实。')
  await shot(self, '整改-本人不能销号')
  const refused = await self.request.post(`${w.review}/api/v1/items/${audit.id}/close-off`, {
    data: {},
    headers: { 'X-CSRF-Token': await csrf(self, w.review), 'If-Match': `"${submitted.version}"` },
  })
  expect(refused.status()).toBe(403)
  expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
    '整改由您本人提交，销号须由另一位督查员核实。',
  )
  expect((await item(self, w.review, audit.id)).status).toBe('awaiting_close_off')

  // lisi, a 填报员 only: no close-off at all.
  const reporter = await (await browser.newContext()).newPage()
  await logInToWorkbench(reporter, w.review, 'lisi', w.password)
  await reporter.goto(`${w.review}/rectification`)
  await expect(reporter.getByTestId(`close-off-${audit.id}`)).toHaveCount(0)
  await expect(reporter.getByTestId('problems').locator('.el-table__body tr', { hasText: '项目资金拨付不及时' })).toContainText(
    '待督查员销号',
  )
  await expectRatesOfApi(reporter)
  await shot(reporter, '整改-填报员')

  // zhangsan closes it off, seeing the measures and the evidence.
  await boss.reload()
  await boss.getByTestId(`close-off-${audit.id}`).click()
  const close = boss.getByRole('dialog', { name: '销号' })
  await expect(close).toContainText('滞拨资金全部拨付到位')
  await expect(close.getByRole('link', { name: '资金拨付整改报告.txt' })).toBeVisible()
  await shot(boss, '整改-销号')
  await close.getByRole('button', { name: '确认销号' }).click()
  await expect(close).toBeHidden()
  const closed = await item(boss, w.review, audit.id)
  expect(closed.status).toBe('closed_off')
  expect(closed.problem?.verified_by).toBe('zhangsan')
  const bossRow = boss.getByTestId('problems').locator('.el-table__body tr', { hasText: '项目资金拨付不及时' })
  await expect(bossRow).toContainText('已销号')
  await expect(bossRow).toContainText('销号：zhangsan')
  const after = await expectRatesOfApi(boss)
  expect(after.rectified).toBe(before.rectified + 1)
  await shot(boss, '整改-已销号')
  bossWatch.check()
  selfWatch.check()
})
