// 审核 in a real browser, on the review server of global-setup (a ledger of
// its own): the seed compilation (16 reports, hundreds of proposals) is
// imported through the API, then reviewed on the page with the keyboard —
// moving, selecting, accepting one by one and the rest of a report at once —
// merged, split, rejected and assigned; each outcome checked against the
// server's own answer for the items.
import { test, expect, type Locator, type Page } from '@playwright/test'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { logInToWorkbench, shot, unlabelledFields, watchConsole, world } from './helpers'
import { importFile, item, proposals, type Item } from './review-api'

const here = path.dirname(fileURLToPath(import.meta.url))
const seed = path.resolve(here, '../../../shared/corpus/seed/000_149dd883a1863841.txt')

// Logged in as zhangsan (督查员 of 某县) with the seed imported (once: a second
// import of the same content changes nothing).
async function ready(page: Page): Promise<void> {
  const w = world()
  await logInToWorkbench(page, w.review, 'zhangsan', w.password)
  const result = await importFile(page, w.review, seed)
  expect(result.report_list.length).toBe(16)
}

function reviewList(page: Page): Locator {
  return page.getByRole('listbox', { name: /待确认的事项/ })
}

// Shows the proposals of one report, chosen in the 报告 select.
async function chooseReport(page: Page, label: string): Promise<void> {
  // With the keyboard: focus the select, open it, choose.
  await page.getByRole('combobox', { name: '报告' }).focus()
  await page.keyboard.press('Enter')
  await page.getByRole('option', { name: label, exact: true }).click()
  await expect(reviewList(page)).toBeFocused()
}

function groupsOf(items: Item[]): Map<number, Item[]> {
  const by = new Map<number, Item[]>()
  for (const p of items) {
    const id = p.source.report_id ?? 0
    by.set(id, [...(by.get(id) ?? []), p])
  }
  return by
}

async function reportLabel(page: Page, id: number, count: number): Promise<string> {
  const w = world()
  const body = (await (await page.request.get(`${w.review}/api/v1/reports?limit=200`)).json()) as {
    sources: { name: string; reports: { id: number; title: string; unit: string }[] }[]
  }
  for (const s of body.sources) {
    for (const r of s.reports) if (r.id === id) return `${r.unit ? `${r.unit}：` : ''}${r.title || s.name}（${count} 项）`
  }
  throw new Error(`没有报告 ${id}`)
}

test('导入汇编后用键盘审核：移动、选中、确认，再一次确认本报告的其余各项', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await ready(page)
  const all = await proposals(page, w.review)
  expect(all.length).toBeGreaterThan(300)

  await page.getByRole('menuitem', { name: '审核' }).click()
  await expect(page).toHaveURL(/\/review$/)
  await expect(page.getByTestId('left')).toHaveText(`待确认 ${all.length} 项`)
  const list = reviewList(page)
  // The list has the focus from the start: the keys work at once.
  await expect(list).toBeFocused()
  await expect(list.getByRole('option')).toHaveCount(all.length)
  await shot(page, '审核-全部报告')
  expect(await unlabelledFields(page)).toEqual([])

  // One report with enough proposals to move about in.
  const [reportId, mine] = [...groupsOf(all).entries()].find(([, ps]) => ps.length >= 10)!
  await chooseReport(page, await reportLabel(page, reportId, mine.length))
  await expect(page.getByTestId('left-report')).toHaveText(`本报告待确认 ${mine.length} 项`)
  await expect(list.getByRole('option')).toHaveCount(mine.length)
  // Each proposal with the sentence it came from.
  await expect(list.getByRole('option').first().locator('blockquote')).toContainText(mine[0].source.text.slice(0, 10))

  // Moving: j and ↓ down, k and ↑ up, End and Home.
  await expect(list).toHaveAttribute('aria-activedescendant', `p-${mine[0].id}`)
  await page.keyboard.press('j')
  await page.keyboard.press('ArrowDown')
  await expect(list).toHaveAttribute('aria-activedescendant', `p-${mine[2].id}`)
  await page.keyboard.press('k')
  await expect(list).toHaveAttribute('aria-activedescendant', `p-${mine[1].id}`)
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('End')
  await expect(list).toHaveAttribute('aria-activedescendant', `p-${mine[mine.length - 1].id}`)
  // The current row is scrolled into view.
  await expect(list.locator(`#p-${mine[mine.length - 1].id}`)).toBeInViewport()
  await page.keyboard.press('Home')
  await expect(list).toHaveAttribute('aria-activedescendant', `p-${mine[0].id}`)

  // Selecting two with x and space, accepting them with a.
  await page.keyboard.press('x')
  await page.keyboard.press('j')
  await page.keyboard.press(' ')
  await expect(page.getByTestId('selected-count')).toHaveText('已选 2 项')
  await expect(list.locator('[aria-selected="true"]')).toHaveCount(2)
  await shot(page, '审核-键盘选中')
  await page.keyboard.press('a')
  await expect(page.getByTestId('notice')).toContainText(`已确认 2 项：编号 ${mine[0].id}`)
  await expect(page.getByTestId('left-report')).toHaveText(`本报告待确认 ${mine.length - 2} 项`)
  await expect(page.getByTestId('left')).toHaveText(`待确认 ${all.length - 2} 项`)
  for (const p of mine.slice(0, 2)) {
    const now = await item(page, w.review, p.id)
    expect(now.review.state).toBe('accepted')
    expect(now.review.by).toBe('zhangsan')
  }

  // The rest of the report at once: * selects all, a accepts them in one request.
  await expect(list).toBeFocused()
  await page.keyboard.press('*')
  await expect(page.getByTestId('selected-count')).toHaveText(`已选 ${mine.length - 2} 项`)
  await expect(page.getByTestId('accept')).toHaveText(`确认选中的 ${mine.length - 2} 项（A）`)
  await page.keyboard.press('a')
  await expect(page.getByTestId('notice')).toContainText(`已确认 ${mine.length - 2} 项`)
  await expect(page.getByTestId('left-report')).toHaveText('本报告待确认 0 项')
  await expect(page.getByTestId('session-counts')).toContainText(`本次已确认 ${mine.length} 项`)
  await shot(page, '审核-本报告已审完')
  const left = await proposals(page, w.review)
  expect(left.length).toBe(all.length - mine.length)
  expect(left.some((p) => p.source.report_id === reportId)).toBe(false)
  for (const p of mine) expect((await item(page, w.review, p.id)).review.state).toBe('accepted')
  // On to the next report from the keyboard: its button has the focus.
  await expect(page.locator('#next-report')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(list).toBeFocused()
  const firstId = Number(await list.getByRole('option').first().getAttribute('data-id'))
  const first = left.find((p) => p.id === firstId)!
  const nextReport = left.filter((p) => p.source.report_id === first.source.report_id)
  await expect(page.getByTestId('left-report')).toHaveText(`本报告待确认 ${nextReport.length} 项`)
  watch.check()
})

test('合并、拆分、驳回、指定牵头单位和责任人，回车查看原文', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await ready(page)
  const all = await proposals(page, w.review)
  // A report with a proposal whose task has a comma (to split there) and
  // enough others to merge, reject and assign.
  const [reportId, mine] = [...groupsOf(all).entries()].find(
    ([, ps]) => ps.length >= 8 && ps.slice(0, 5).some((p) => p.task.includes('，')),
  )!
  await page.goto(`${w.review}/review`)
  const list = reviewList(page)
  await expect(page.getByTestId('left')).toHaveText(`待确认 ${all.length} 项`)
  await expect(list).toBeFocused()
  await chooseReport(page, await reportLabel(page, reportId, mine.length))

  // Split: move to the proposal with a comma, s, one task a line, Ctrl+Enter.
  const at = mine.findIndex((p) => p.task.includes('，'))
  const splitting = mine[at]
  for (let i = 0; i < at; ++i) await page.keyboard.press('j')
  await expect(list).toHaveAttribute('aria-activedescendant', `p-${splitting.id}`)
  await page.keyboard.press('s')
  const split = page.getByRole('dialog', { name: '拆分' })
  await expect(split).toBeVisible()
  const comma = splitting.task.indexOf('，')
  const parts = [splitting.task.slice(0, comma), splitting.task.slice(comma + 1)]
  const tasks = split.getByLabel('拆分后的任务（每行一项，至少两项）')
  await expect(tasks).toBeFocused()
  await tasks.fill(parts.join('\n'))
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '审核-拆分')
  await tasks.press('Control+Enter')
  await expect(split).toBeHidden()
  await expect(page.getByTestId('notice')).toContainText(`已拆分：编号 ${splitting.id} 拆为 2 项待确认的事项`)
  expect((await item(page, w.review, splitting.id)).review.state).toBe('split')
  const made = (await proposals(page, w.review)).filter((p) => p.review.split_from === splitting.id)
  expect(made.map((p) => p.task)).toEqual(parts)
  // The parts take the original's place in the list, with its sentence.
  for (const p of made) {
    const row = list.locator(`#p-${p.id}`)
    await expect(row).toContainText(`由 ${splitting.id} 拆分`)
    await expect(row.locator('blockquote')).toHaveText(splitting.source.text)
  }
  await expect(page.getByTestId('left-report')).toHaveText(`本报告待确认 ${mine.length + 1} 项`)

  // Merge: the first two rows selected (Home, x, j, x), m, the merged task.
  await expect(list).toBeFocused()
  await page.keyboard.press('Home')
  const rows = list.getByRole('option')
  const first = Number(await rows.nth(0).getAttribute('data-id'))
  const second = Number(await rows.nth(1).getAttribute('data-id'))
  const [a, b] = await Promise.all([item(page, w.review, first), item(page, w.review, second)])
  await page.keyboard.press('x')
  await page.keyboard.press('j')
  await page.keyboard.press('x')
  await page.keyboard.press('m')
  const merge = page.getByRole('dialog', { name: '合并' })
  await expect(merge).toBeVisible()
  const merged = merge.getByLabel('合并后的任务')
  await expect(merged).toHaveValue(`${a.task}；${b.task}`)
  await shot(page, '审核-合并')
  await merge.getByRole('button', { name: '合并' }).click()
  await expect(merge).toBeHidden()
  await expect(page.getByTestId('notice')).toContainText(`已合并：编号 ${second} 并入编号 ${first}`)
  const kept = await item(page, w.review, first)
  expect(kept.review.state).toBe('accepted')
  expect(kept.task).toBe(`${a.task}；${b.task}`)
  const gone = await item(page, w.review, second)
  expect(gone.review.state).toBe('merged')
  expect(gone.review.merged_into).toBe(first)
  await expect(list.locator(`#p-${first}`)).toHaveCount(0)
  await expect(list.locator(`#p-${second}`)).toHaveCount(0)

  // Reject the current one: r, a reason, Enter.
  await expect(list).toBeFocused()
  const rejecting = Number(await list.getAttribute('aria-activedescendant').then((s) => s!.slice(2)))
  await page.keyboard.press('r')
  const reject = page.getByRole('dialog', { name: '驳回' })
  const reason = reject.getByLabel('驳回理由')
  await expect(reason).toBeFocused()
  await reason.fill('是工作思路，不是可考核的任务')
  await reason.press('Enter')
  await expect(reject).toBeHidden()
  await expect(page.getByTestId('notice')).toContainText(`已驳回 1 项：编号 ${rejecting}`)
  const rejected = await item(page, w.review, rejecting)
  expect(rejected.review.state).toBe('rejected')
  expect(rejected.review.reason).toBe('是工作思路，不是可考核的任务')

  // Assign 牵头单位, 配合单位 and 责任人 to the current one: p.
  await expect(list).toBeFocused()
  const assigning = Number((await list.getAttribute('aria-activedescendant'))!.slice(2))
  await page.keyboard.press('p')
  const assign = page.getByRole('dialog', { name: '指定牵头单位、配合单位和责任人' })
  await expect(assign).toBeVisible()
  // Units from the tree, by typing the start of a name and Enter.
  await assign.getByRole('combobox', { name: '牵头单位' }).focus()
  await page.keyboard.type('县水利')
  await expect(page.getByRole('option', { name: '县水利局', exact: true })).toBeVisible()
  await page.keyboard.press('Enter')
  await assign.getByRole('combobox', { name: '配合单位' }).focus()
  await page.keyboard.type('清河县')
  await expect(page.getByRole('option', { name: '清河县农业农村局', exact: true })).toBeVisible()
  await page.keyboard.press('Enter')
  // Tab closes the list and moves on to 责任人.
  await page.keyboard.press('Tab')
  await expect(assign.getByLabel('责任人')).toBeFocused()
  await page.keyboard.type('王五')
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '审核-指定牵头单位')
  await assign.getByRole('button', { name: '保存' }).click()
  await expect(assign).toBeHidden()
  await expect(page.getByTestId('notice')).toContainText(`已指定 1 项：编号 ${assigning}`)
  const assigned = await item(page, w.review, assigning)
  expect(assigned.lead_unit).toBe('县水利局')
  expect(assigned.support_units).toEqual(['清河县农业农村局'])
  expect(assigned.responsible_person).toBe('王五')
  expect(assigned.review.state).toBe('proposed')
  await expect(list.locator(`#p-${assigning}`)).toContainText('牵头：县水利局')
  await expect(list.locator(`#p-${assigning}`)).toContainText('责任人：王五')

  // Enter opens the current proposal with its sentence; Esc returns to the list.
  await expect(list).toBeFocused()
  await page.keyboard.press('Enter')
  const detail = page.getByTestId('proposal-detail')
  await expect(detail).toBeVisible()
  await expect(page.getByTestId('detail-sentence')).toHaveText(assigned.source.text)
  await expect(detail).toContainText('王五')
  await shot(page, '审核-查看原文')
  await page.keyboard.press('Escape')
  await expect(detail).toBeHidden()
  await expect(list).toBeFocused()
  watch.check()
})

test('只有督查员能审核：填报员没有“审核”菜单，按地址也进不去', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.review, 'lisi', w.password)
  await expect(page.getByRole('menuitem', { name: '问题整改' })).toBeVisible()
  await expect(page.getByRole('menuitem', { name: '审核' })).toHaveCount(0)
  await page.goto(`${w.review}/review`)
  await expect(page).toHaveURL(/\/workbench$/)
  // The server agrees.
  expect((await page.request.get(`${w.review}/api/v1/review`)).status()).toBe(403)
  watch.check()
})
