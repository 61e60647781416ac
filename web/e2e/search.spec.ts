// 全文检索 in a real browser, on the review server with the seed compilation
// imported through the API (so the server has its text): the title bar's
// search field opens the results page, each hit shows its sentence with the
// words marked, the facets narrow the list (in the address too), the pager
// pages, a hit opens its report scrolled to the sentence (marked) or its
// item; a 填报员 finds nothing of another unit. Every count is the API's.
import { test, expect, type Page } from '@playwright/test'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { logInToWorkbench, shot, unlabelledFields, watchConsole, world } from './helpers'
import { importFile } from './review-api'

const here = path.dirname(fileURLToPath(import.meta.url))
const seed = path.resolve(here, '../../../shared/corpus/seed/000_149dd883a1863841.txt')

interface Hit {
  kind: string
  unit: string
  text: string
  parts: { text: string; hit: boolean }[]
  report_id?: number
  item_id?: number
  line?: number
}
interface Found {
  total: number
  hits: Hit[]
  facets: Record<string, { value: string; label: string; count: number }[]>
}

async function api(page: Page, params: Record<string, string>): Promise<Found> {
  const w = world()
  const r = await page.request.get(`${w.review}/api/v1/search?${new URLSearchParams(params)}`)
  expect(r.ok(), await r.text()).toBe(true)
  return (await r.json()) as Found
}

function results(page: Page) {
  return page.getByRole('region', { name: '检索结果' })
}

async function searchFromBar(page: Page, words: string): Promise<void> {
  const field = page.getByRole('textbox', { name: '全文检索' })
  await field.fill(words)
  await field.press('Enter')
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${encodeURIComponent(words)}$`))
}

test('检索：两字词与数字，命中标出，分面筛选，翻页，跳到报告原处与事项', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.review, 'zhangsan', w.password)
  const imported = await importFile(page, w.review, seed)
  expect(imported.report_list.length).toBe(16)

  // A two-character word from the title bar.
  await searchFromBar(page, '河长')
  const all = await api(page, { q: '河长' })
  expect(all.total).toBeGreaterThan(10)
  await expect(page.getByTestId('search-summary')).toHaveText(new RegExp(`^“河长”：共 ${all.total} 处`))
  const hits = results(page).locator('li.hit')
  await expect(hits).toHaveCount(Math.min(all.total, 20))
  // Every mark is the word, and each hit's text is the API's, pieces in order.
  const marks = await results(page).locator('li.hit mark').allTextContents()
  expect(marks.length).toBeGreaterThanOrEqual(Math.min(all.total, 20))
  for (const m of marks) expect(m).toBe('河长')
  expect(await hits.first().locator('p.text').textContent()).toBe(all.hits[0].text)
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '60-全文检索-督查员')

  // The facet 单位 → 街道: the address, the count, only its hits.
  const street = all.facets.unit.find((f) => f.value === '街道')!
  expect(street).toBeTruthy()
  const facets = page.getByRole('complementary', { name: '分面' })
  await facets.locator('button[data-facet="unit"]', { hasText: '街道' }).click()
  await expect(page).toHaveURL(/unit=%E8%A1%97%E9%81%93/)
  await expect(page.getByTestId('search-summary')).toHaveText(new RegExp(`^“河长”：共 ${street.count} 处`))
  await expect(hits).toHaveCount(street.count)
  for (const unit of await results(page).locator('li.hit .unit').allTextContents()) expect(unit).toBe('街道')

  // The hit with the figure opens the report at its sentence, marked.
  await searchFromBar(page, '400余次')
  const figure = await api(page, { q: '400余次' })
  expect(figure.total).toBe(1)
  await expect(page.getByTestId('search-summary')).toHaveText(/^“400余次”：共 1 处/)
  await expect(hits.first().locator('mark')).toHaveText('400余次')
  await hits.first().getByRole('link').click()
  await expect(page).toHaveURL(new RegExp(`/reports/${figure.hits[0].report_id}\\?line=${figure.hits[0].line}`))
  const marked = page.getByTestId('report-text').locator('mark.search-hit')
  await expect(marked.first()).toBeVisible()
  expect((await marked.allTextContents()).join('')).toBe(figure.hits[0].text)
  await expect(page.getByTestId('report-text').locator(`[data-line="${figure.hits[0].line}"]`)).toBeInViewport()
  await shot(page, '61-全文检索-跳到报告原处')

  // Paging: the second page of 水利 is the API's second page.
  await searchFromBar(page, '水利')
  const water = await api(page, { q: '水利' })
  expect(water.total).toBeGreaterThan(20)
  await page.locator('.page-pager .el-pager li', { hasText: /^2$/ }).click()
  await expect(page).toHaveURL(/page=2/)
  const second = await api(page, { q: '水利', offset: '20', limit: '20' })
  await expect(page.getByTestId('search-summary')).toHaveText(new RegExp(`第 21—${20 + second.hits.length} 处`))
  await expect(hits.first().locator('p.text')).toHaveText(second.hits[0].text)

  // The facet 类别 → 台账事项: a hit opens its item.
  await facets.locator('button[data-facet="kind"]', { hasText: '台账事项' }).click()
  await expect(page).toHaveURL(/kind=item/)
  await expect(page).not.toHaveURL(/page=2/)
  const items = await api(page, { q: '水利', kind: 'item' })
  expect(items.total).toBeGreaterThan(0)
  await expect(hits).toHaveCount(Math.min(items.total, 20))
  for (const tag of await results(page).locator('.kind').allTextContents()) expect(tag.trim()).toBe('台账事项')
  const link = hits.first().getByRole('link')
  await expect(link).toHaveText(`事项编号 ${items.hits[0].item_id}`)
  await link.click()
  await expect(page).toHaveURL(new RegExp(`/items/${items.hits[0].item_id}$`))
  await expect(page.getByText('水利').first()).toBeVisible()
  watch.check()
})

test('检索：填报员只查到本单位范围内的', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.review, 'zhangsan', w.password)
  await importFile(page, w.review, seed)
  const everyone = await api(page, { q: '河长' })
  expect(everyone.facets.unit.some((f) => f.value !== '县水利局')).toBe(true)
  await page.context().clearCookies()

  await logInToWorkbench(page, w.review, 'lisi', w.password)
  await searchFromBar(page, '河长')
  const own = await api(page, { q: '河长' })
  expect(own.total).toBeGreaterThan(0)
  expect(own.total).toBeLessThan(everyone.total)
  for (const f of own.facets.unit) expect(f.value).toBe('县水利局')
  await expect(page.getByTestId('search-summary')).toHaveText(new RegExp(`^“河长”：共 ${own.total} 处`))
  for (const unit of await results(page).locator('li.hit .unit').allTextContents()) expect(unit).toBe('县水利局')
  // 街道 and 腾冲市水务局 are not even offered as facets.
  await expect(page.getByRole('complementary', { name: '分面' }).getByText('街道')).toHaveCount(0)
  // By address, with another unit asked for: nothing.
  await page.goto(`${w.review}/search?q=${encodeURIComponent('400余次')}`)
  await expect(page.getByTestId('search-summary')).toHaveText(/^“400余次”：共 0 处/)
  await shot(page, '62-全文检索-填报员')
  watch.check()
})
