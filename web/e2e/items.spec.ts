// The item detail in a real browser: a 填报员 reports progress with an
// evidence file (upload with progress, then the entry), sees it in the
// timeline, previews the PDF (drawn by PDF.js on canvases) and downloads it
// byte for byte; the history reads as "field: old → new" with who and when
// in Beijing time; two browser contexts change the same item and the second
// is shown "已被…于…修改" with both versions side by side, then re-applies.
import { test, expect, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { logInToWorkbench, shot, unlabelledFields, watchConsole, world } from './helpers'

const here = path.dirname(fileURLToPath(import.meta.url))
const corpus = path.resolve(here, '../../../shared/corpus')
const pdf = path.join(corpus, 'fixtures/seed-compilation.pdf')

interface Item {
  id: number
  task: string
  version: number
  unit: string
  kind: string
  status: string
  progress_entries: { note: string; attachments: { name: string; file: string; size: number }[] }[]
  history: { actor: string; at: string; action_label: string; changes: { label: string; before: string; after: string }[] }[]
}

async function item(page: Page, id: number): Promise<Item> {
  const r = await page.request.get(`${world().main}/api/v1/items/${id}`)
  expect(r.status()).toBe(200)
  return (await r.json()) as Item
}

// A plan item of 县水利局 itself (not of its office) that 李四 may report on.
async function waterPlan(page: Page, task: string): Promise<Item> {
  const r = await page.request.get(`${world().main}/api/v1/items?kind=plan&q=${encodeURIComponent(task)}`)
  const list = (await r.json()) as { items: Item[] }
  expect(list.items.length).toBe(1)
  return list.items[0]
}

// "2026年3月1日 10:20" of a UTC time, in Beijing (UTC+8).
function beijing(utc: string): string {
  const t = new Date(new Date(utc).getTime() + 8 * 3600 * 1000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`
}

test('填报员填报进展并上传佐证材料：时间线、预览 PDF、下载、历史', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'lisi', w.password)
  const target = await waterPlan(page, '城区防洪排涝')
  const before = await item(page, target.id)
  await page.goto(`${w.main}/items/${target.id}`)
  await expect(page.getByTestId('item-task')).toHaveText(target.task)
  await expect(page.getByRole('heading', { name: '填报进展' })).toBeVisible()
  expect(await unlabelledFields(page)).toEqual([])

  await page.getByLabel('数值').fill('2处')
  await page.getByLabel('进展说明').fill('已完成两处泵站主体结构，第三处正在浇筑底板。')
  await page.getByLabel('佐证材料').setInputFiles(pdf)
  await expect(page.getByRole('progressbar', { name: 'seed-compilation.pdf 上传进度' })).toBeVisible()
  await shot(page, '20-填报进展-表单')
  await page.getByRole('button', { name: '提交进展' }).click()
  await expect(page.getByText('进展已保存。')).toBeVisible()

  // The server has the entry with the file; the page shows it on top of the timeline.
  const after = await item(page, target.id)
  expect(after.version).toBe(before.version + 1)
  const entry = after.progress_entries[after.progress_entries.length - 1]
  expect(entry.note).toBe('已完成两处泵站主体结构，第三处正在浇筑底板。')
  expect(entry.attachments.map((a) => a.name)).toEqual(['seed-compilation.pdf'])
  expect(entry.attachments[0].size).toBe(readFileSync(pdf).length)
  const timeline = page.getByTestId('timeline')
  await expect(timeline.getByTestId('entry-note').first()).toContainText('已完成两处泵站主体结构')
  await expect(timeline.getByTestId('attachment').first()).toContainText('seed-compilation.pdf')
  await shot(page, '21-事项详情-进展时间线')

  // Download: the very bytes uploaded.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    timeline.getByTestId('attachment').first().getByRole('link', { name: '下载' }).click(),
  ])
  expect(download.suggestedFilename()).toBe('seed-compilation.pdf')
  expect(readFileSync(await download.path()).equals(readFileSync(pdf))).toBe(true)

  // Preview: PDF.js draws the first page on a canvas that is not blank.
  await timeline.getByTestId('attachment').first().getByRole('button', { name: '预览' }).click()
  const dialog = page.getByRole('dialog', { name: /预览：seed-compilation\.pdf/ })
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('preview-pages')).toContainText(/共 \d+ 页/)
  const canvas = dialog.getByRole('img', { name: '第 1 页' })
  await expect(canvas).toBeVisible()
  await expect
    .poll(() =>
      canvas.evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
        let dark = 0
        for (let i = 0; i < data.length; i += 4) if (data[i] < 128 && data[i + 3] > 0) dark++
        return dark
      }),
    )
    .toBeGreaterThan(500)
  await shot(page, '22-佐证材料预览-PDF')
  await dialog.getByRole('button', { name: '关闭', exact: true }).click()
  await expect(dialog).toBeHidden()

  // History: the progress change as field: old → new, by 李四, in Beijing time.
  const last = after.history[after.history.length - 1]
  expect(last.actor).toBe('lisi')
  const history = page.getByTestId('history')
  await expect(history.locator('.history-row').first()).toContainText(beijing(last.at))
  await expect(history.locator('.history-row').first()).toContainText('lisi')
  const change = last.changes.find((c) => c.after.includes('已完成两处泵站主体结构'))!
  expect(change).toBeTruthy()
  await expect(history.locator('.history-row').first().getByTestId('change').filter({ hasText: change.label })).toContainText(
    `${change.label}：${change.before}→${change.after}`,
  )
  await history.scrollIntoViewIfNeeded()
  await shot(page, '23-事项详情-历史')
  watch.check()
})

test('两个浏览器同时改同一事项：后提交的看到“已被某某于某时修改”和两个版本，可在新版本上重做', async ({ browser }) => {
  const w = world()
  const first = await browser.newContext()
  const second = await browser.newContext()
  const a = await first.newPage()
  const b = await second.newPage()
  const consoles = [watchConsole(a), watchConsole(b)]
  await logInToWorkbench(a, w.main, 'lisi', w.password)
  await logInToWorkbench(b, w.main, 'lisi', w.password)
  const target = await waterPlan(a, '城区防洪排涝')
  await a.goto(`${w.main}/items/${target.id}`)
  await b.goto(`${w.main}/items/${target.id}`)
  await expect(a.getByTestId('item-task')).toHaveText(target.task)
  await expect(b.getByTestId('item-task')).toHaveText(target.task)
  const read = await item(a, target.id)

  // The first saves.
  await a.getByLabel('数值').fill('3处')
  await a.getByLabel('进展说明').fill('三处泵站主体全部完工（甲）。')
  await a.getByRole('button', { name: '提交进展' }).click()
  await expect(a.getByText('进展已保存。')).toBeVisible()
  const current = await item(a, target.id)
  expect(current.version).toBe(read.version + 1)

  // The second, still on the version it read: the conflict, side by side.
  await b.getByLabel('进展说明').fill('第三处泵站底板浇筑完成（乙）。')
  await b.getByRole('button', { name: '提交进展' }).click()
  const conflict = b.getByTestId('conflict')
  await expect(conflict).toBeVisible()
  const changedAt = current.history[current.history.length - 1].at
  await expect(b.getByTestId('conflict-title')).toHaveText(`已被 lisi 于 ${beijing(changedAt)} 修改`)
  await expect(conflict).toContainText(`您看到的（第 ${read.version} 版）`)
  await expect(conflict).toContainText(`当前（第 ${current.version} 版）`)
  const progressRow = conflict.locator('tr', { hasText: '最新进展' })
  await expect(progressRow.getByTestId('conflict-current')).toContainText('三处泵站主体全部完工（甲）')
  await expect(progressRow.getByTestId('conflict-mine')).not.toContainText('（甲）')
  await expect(progressRow).toHaveClass(/differs/)
  await expect(b.getByTestId('conflict-pending')).toContainText('第三处泵站底板浇筑完成（乙）')
  await shot(b, '24-修改冲突-两个版本')
  // Nothing of the second was saved.
  expect((await item(b, target.id)).version).toBe(current.version)

  // Re-applied on the current version: saved after the first's.
  await b.getByTestId('reapply').click()
  await expect(b.getByText('进展已保存。')).toBeVisible()
  await expect(conflict).toBeHidden()
  const final = await item(b, target.id)
  expect(final.version).toBe(current.version + 1)
  expect(final.progress_entries.map((p) => p.note).slice(-2)).toEqual(['三处泵站主体全部完工（甲）。', '第三处泵站底板浇筑完成（乙）。'])
  await expect(b.getByTestId('timeline').getByTestId('entry-note').first()).toContainText('（乙）')

  // Discarding: the page reloads the current version and the form is empty.
  await a.getByLabel('进展说明').fill('不会保存的进展（丙）。')
  await a.getByRole('button', { name: '提交进展' }).click()
  await expect(a.getByTestId('conflict')).toBeVisible()
  await a.getByTestId('discard').click()
  await expect(a.getByTestId('conflict')).toBeHidden()
  await expect(a.getByLabel('进展说明')).toHaveValue('')
  await expect(a.getByTestId('timeline').getByTestId('entry-note').first()).toContainText('（乙）')
  expect((await item(a, target.id)).version).toBe(final.version)
  for (const c of consoles) c.check()
  await first.close()
  await second.close()
})

test('督查员修改事项的字段；两个浏览器同时修改，后保存的看到两个版本，可在新版本上重新保存或放弃', async ({ browser }) => {
  const w = world()
  const first = await browser.newContext()
  const second = await browser.newContext()
  const a = await first.newPage()
  const b = await second.newPage()
  const consoles = [watchConsole(a), watchConsole(b)]
  for (const p of [a, b]) {
    await logInToWorkbench(p, w.main, 'zhangsan', w.password)
  }
  // The newest item of 清河县农业农村局 (no other test reads its fields).
  const list = await (await a.request.get(`${w.main}/api/v1/items?unit=${encodeURIComponent('清河县农业农村局')}&sort=-id&limit=1`)).json()
  const id = (list.items[0] as Item).id
  const read = await item(a, id)
  for (const p of [a, b]) {
    await p.goto(`${w.main}/items/${id}`)
    await expect(p.getByTestId('item-task')).toHaveText(read.task)
    await p.getByTestId('edit-item').click()
    await expect(p.getByRole('form', { name: '修改事项' })).toBeVisible()
    await expect(p.getByLabel('工作任务')).toHaveValue(read.task)
  }
  expect(await unlabelledFields(a)).toEqual([])
  await expect(a.getByLabel('工作任务')).toBeFocused()

  // The first changes the task, the deadline, the 责任人 and 配合单位.
  const task = `${read.task}（已修订）`
  await a.getByLabel('工作任务').fill(task)
  await a.getByLabel('责任人').fill('王建国')
  await a.getByLabel('配合单位').fill('县财政局、县发改局')
  await a.getByLabel('时限').fill('2026年12月31日')
  await a.getByLabel('时限').press('Enter')
  await shot(a, '25-事项详情-修改')
  await a.getByTestId('save-fields').click()
  await expect(a.getByText('修改已保存。')).toBeVisible()
  await expect(a.getByTestId('edit-card')).toBeHidden()
  await expect(a.getByTestId('item-task')).toHaveText(task)
  const changed = await item(a, id)
  expect(changed.version).toBe(read.version + 1)
  const saved = (await (await a.request.get(`${w.main}/api/v1/items/${id}`)).json()) as {
    responsible_person: string
    support_units: string[]
    deadline: string
    task: string
  }
  expect(saved).toMatchObject({ responsible_person: '王建国', support_units: ['县财政局', '县发改局'], deadline: '2026-12-31', task })
  await expect(a.getByText('2026年12月31日').first()).toBeVisible()
  const last = changed.history[changed.history.length - 1]
  expect(last.actor).toBe('zhangsan')
  expect(last.changes.map((c) => c.label)).toEqual(expect.arrayContaining(['责任人', '配合单位', '完成时限']))
  await expect(a.getByTestId('history').getByTestId('change').filter({ hasText: '王建国' }).first()).toBeVisible()

  // The second, still on the version it read: the conflict, side by side.
  await b.getByLabel('责任人').fill('李建设')
  await b.getByTestId('save-fields').click()
  const conflict = b.getByTestId('conflict')
  await expect(conflict).toBeVisible()
  await expect(b.getByTestId('conflict-title')).toHaveText(`已被 zhangsan 于 ${beijing(last.at)} 修改`)
  await expect(conflict).toContainText(`您看到的（第 ${read.version} 版）`)
  await expect(conflict).toContainText(`当前（第 ${changed.version} 版）`)
  // A field's row by its header cell (the row of the changes waiting names 责任人 too).
  const fieldRow = (label: string) => conflict.locator('tbody tr').filter({ has: b.getByRole('rowheader', { name: label, exact: true }) })
  const personRow = fieldRow('责任人')
  await expect(personRow.getByTestId('conflict-current')).toHaveText('王建国')
  await expect(personRow).toHaveClass(/differs/)
  await expect(fieldRow('配合单位').getByTestId('conflict-current')).toHaveText('县财政局、县发改局')
  await expect(b.getByTestId('conflict-pending')).toHaveText('责任人：李建设')
  await shot(b, '26-修改事项-冲突')
  expect((await item(b, id)).version).toBe(changed.version) // nothing of the second saved

  // Saved again on the current version: only the second's change, over the first's.
  await b.getByTestId('reapply').click()
  await expect(b.getByText('修改已保存。')).toBeVisible()
  await expect(conflict).toBeHidden()
  const final = (await (await b.request.get(`${w.main}/api/v1/items/${id}`)).json()) as typeof saved & { version: number }
  expect(final).toMatchObject({ responsible_person: '李建设', support_units: ['县财政局', '县发改局'], task, version: changed.version + 1 })

  // Discarding: the form shows the current version again.
  await a.getByTestId('edit-item').click()
  await a.getByLabel('目标').fill('不会保存的目标（丙）')
  await a.getByTestId('save-fields').click()
  await expect(a.getByTestId('conflict')).toBeVisible()
  await a.getByTestId('discard').click()
  await expect(a.getByTestId('conflict')).toBeHidden()
  await expect(a.getByLabel('责任人')).toHaveValue('李建设')
  await expect(a.getByLabel('目标')).not.toHaveValue('不会保存的目标（丙）')
  expect((await item(a, id)).version).toBe(final.version)
  for (const c of consoles) c.check()
  await first.close()
  await second.close()

  // Not for a 填报员 or 查看: no 修改 (the server refuses them anyway).
  const other = await browser.newPage()
  await logInToWorkbench(other, w.main, 'zhaoliu', w.password)
  await other.goto(`${w.main}/items/${id}`)
  await expect(other.getByTestId('item-task')).toHaveText(task)
  await expect(other.getByTestId('edit-item')).toHaveCount(0)
  await other.close()
})

test('佐证图片的预览：上传测试中画的 PNG，预览中显示的正是这张图', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.main, 'lisi', w.password)
  const target = await waterPlan(page, '城区防洪排涝')
  await page.goto(`${w.main}/items/${target.id}`)
  await expect(page.getByTestId('item-task')).toHaveText(target.task)
  // A 64×48 PNG encoded by the browser's canvas: the left half red, the right blue.
  const base64 = await page.evaluate(() => {
    const c = document.createElement('canvas')
    c.width = 64
    c.height = 48
    const g = c.getContext('2d')!
    g.fillStyle = '#d00000'
    g.fillRect(0, 0, 32, 48)
    g.fillStyle = '#0000d0'
    g.fillRect(32, 0, 32, 48)
    return c.toDataURL('image/png').split(',')[1]
  })
  const png = Buffer.from(base64, 'base64')
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
  await page.getByLabel('进展说明').fill('现场照片（测试中画的图）。')
  // (The timeline's lists of files are labelled 佐证材料 too: the form's file input by its id.)
  await page.locator('input#progress-files').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: png })
  await page.getByRole('button', { name: '提交进展' }).click()
  await expect(page.getByText('进展已保存。')).toBeVisible()
  const attachment = page.getByTestId('timeline').getByTestId('attachment').filter({ hasText: '现场照片.png' })
  await expect(attachment).toHaveCount(1)

  await attachment.getByRole('button', { name: '预览' }).click()
  const dialog = page.getByRole('dialog', { name: /预览：现场照片\.png/ })
  await expect(dialog).toBeVisible()
  const img = dialog.getByTestId('preview-image')
  await expect(img).toBeVisible()
  await expect(img).toHaveAttribute('alt', '现场照片.png')
  // The picture shown is the one uploaded: its size and the colours of its halves.
  const seen = await img.evaluate(async (el: HTMLImageElement) => {
    await el.decode()
    const c = document.createElement('canvas')
    c.width = el.naturalWidth
    c.height = el.naturalHeight
    const g = c.getContext('2d')!
    g.drawImage(el, 0, 0)
    const px = (x: number, y: number) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3))
    const box = el.getBoundingClientRect()
    return { width: el.naturalWidth, height: el.naturalHeight, left: px(8, 24), right: px(56, 24), src: el.src.slice(0, 22), shown: box.width > 0 && box.height > 0 }
  })
  expect(seen).toMatchObject({ width: 64, height: 48, src: 'data:image/png;base64,', shown: true })
  const near = (got: number[], want: number[]) => got.every((v, i) => Math.abs(v - want[i]) <= 4)
  expect(near(seen.left, [208, 0, 0]), `左半 ${seen.left}`).toBe(true)
  expect(near(seen.right, [0, 0, 208]), `右半 ${seen.right}`).toBe(true)
  await shot(page, '27-佐证材料预览-图片')
  await dialog.getByRole('button', { name: '关闭', exact: true }).click()
  await expect(dialog).toBeHidden()
  watch.check()
})
