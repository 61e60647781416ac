// 全文检索 in a real browser: the search field of the title bar opens the
// results page (the words in the address), each hit shows its text with the
// words marked and opens the item; a facet narrows the list and is written
// into the address; a 填报员 finds nothing outside their unit.
import { test, expect } from '@playwright/test'
import { logIn, shot, unlabelledFields, watchConsole, world } from './helpers'

test('标题栏检索：命中标出所查的词，分面筛选，链接打开事项', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logIn(page, w.main, 'zhangsan', w.password)
  await expect(page).toHaveURL(/\/workbench$/)
  const field = page.getByRole('textbox', { name: '全文检索' })
  await field.fill('防洪排涝')
  await field.press('Enter')
  await expect(page).toHaveURL(/\/search\?q=/)
  await expect(page.getByText(/“防洪排涝”：共 \d+ 处/)).toBeVisible()
  const hits = page.getByRole('region', { name: '检索结果' }).locator('li.hit')
  await expect(hits.first()).toBeVisible()
  await expect(hits.first().locator('mark')).toHaveText('防洪排涝')
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '60-全文检索-督查员')

  // A facet: only the ledger items, in the address too.
  await page.getByRole('textbox', { name: '查找' }).fill('粮食')
  await page.getByRole('button', { name: '检索', exact: true }).click()
  await expect(page.getByText(/“粮食”：共 \d+ 处/)).toBeVisible()
  const facets = page.getByRole('complementary', { name: '分面' })
  await facets.getByRole('button', { name: /台账事项/ }).click()
  await expect(page).toHaveURL(/kind=item/)
  await expect(hits.first()).toBeVisible()
  for (const tag of await page.getByRole('region', { name: '检索结果' }).locator('.meta .el-tag').allTextContents()) {
    expect(tag.trim()).toBe('台账事项')
  }
  // The hit opens its item, whose task holds the words.
  const link = hits.first().getByRole('link')
  await expect(link).toHaveText(/事项编号 \d+/)
  await link.click()
  await expect(page).toHaveURL(/\/items\/\d+$/)
  await expect(page.getByText('粮食').first()).toBeVisible()
  watch.check()
})

test('填报员只查到本单位范围内的', async ({ page }) => {
  const w = world()
  await logIn(page, w.main, 'lisi', w.password)
  await expect(page).toHaveURL(/\/workbench$/)
  await page.goto(`${w.main}/search?q=${encodeURIComponent('粮食')}`)
  await expect(page.getByText('“粮食”：共 0 处')).toBeVisible()
  await page.goto(`${w.main}/search?q=${encodeURIComponent('供水')}`)
  await expect(page.getByText(/“供水”：共 [1-9]\d* 处/)).toBeVisible()
  for (const unit of await page.locator('li.hit .unit').allTextContents()) expect(unit).toMatch(/^县水利局/)
  await shot(page, '61-全文检索-填报员')
})
