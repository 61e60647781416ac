// The 报告 and 对标对表 pages in a real browser, against `taizhang serve`:
// the seed compilation and a county's two government work reports dropped
// on the page at once (each file's progress, then the import job's), the
// compilation listed as one file with its 16 reports; a report opened with
// its findings marked in place (as many as the API gives), the outline
// scrolling the text, the relations checked; unreadable files refused in
// Chinese, file by file; a Word file's annotated copy downloaded; the
// verdicts of a plan against its result (and of the ledger against a
// summary) equal to the API's, the evidence marked in the result's text;
// one indicator across the units; the keyboard and the labels; every page
// photographed at 1366×768. The documents come from ../shared/corpus (beside
// the repository) and the repository's examples/.
import { test, expect, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { logInToWorkbench, shot, unlabelledFields, watchConsole, world } from './helpers'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../..')
const corpus = path.resolve(repo, '../shared/corpus')
const seed = path.join(corpus, 'seed/000_149dd883a1863841.txt')
const planFile = path.join(corpus, 'more/county-gwr/baoding-boye_2024_gwr.txt')
const resultFile = path.join(corpus, 'more/county-gwr/baoding-boye_2025_gwr.txt')
const wordFile = path.join(corpus, 'fixtures/numbering-probe.docx')
const exampleSummary = path.join(repo, 'examples/清河县农业农村局2025年工作总结.txt')

test.describe.configure({ mode: 'serial' })

// The API as the page's session sees it (the context's cookies; the CSRF
// token from /auth/me for a POST).
async function api<T>(page: Page, method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const base = world().reports
  let headers: Record<string, string> = {}
  if (method === 'POST') {
    const me = await page.request.get(`${base}/api/v1/auth/me`)
    headers = { 'X-CSRF-Token': ((await me.json()) as { csrf_token: string }).csrf_token }
  }
  const response = method === 'GET' ? await page.request.get(base + url) : await page.request.post(base + url, { data: body, headers })
  expect(response.status(), `${method} ${url}: ${await response.text()}`).toBe(200)
  return (await response.json()) as T
}

interface Detail {
  title: string
  findings: { message: string; severity: string; span: { text: string } | null; related: { text: string; note: string }[] }[]
  relations: { status: string; statement: string }[]
  outline: { title: string; span: { line: number }; children: unknown[] }[]
}

interface Listed {
  sources: { id: number; name: string; format: string; reports: { id: number; title: string; doc_index: number; counts: { findings: number } }[] }[]
  total: number
}

async function listed(page: Page, text: string): Promise<Listed> {
  return api<Listed>(page, 'GET', `/api/v1/reports?text=${encodeURIComponent(text)}`)
}

async function asSupervisor(page: Page): Promise<void> {
  const w = world()
  await logInToWorkbench(page, w.reports, 'zhangsan', w.password)
}

// Drops files on the upload area as a person drags them from a folder.
async function drop(page: Page, files: { name: string; bytes: Buffer }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, data: f.bytes.toString('base64') }))
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer()
    for (const f of list) {
      const raw = atob(f.data)
      const bytes = new Uint8Array(raw.length)
      for (let i = 0; i < raw.length; ++i) bytes[i] = raw.charCodeAt(i)
      dt.items.add(new File([bytes], f.name))
    }
    return dt
  }, payload)
  await page.dispatchEvent('[data-test=drop] .el-upload-dragger', 'dragover', { dataTransfer: transfer })
  await page.dispatchEvent('[data-test=drop] .el-upload-dragger', 'drop', { dataTransfer: transfer })
}

function upload(page: Page, name: string) {
  return page.getByTestId('upload').filter({ has: page.getByTestId('upload-name').getByText(name, { exact: true }) })
}

test('报告：一次拖入汇编和两份政府工作报告，逐个显示进度，汇编列为一个文件 16 篇报告', async ({ page }) => {
  const watch = watchConsole(page)
  await asSupervisor(page)
  await page.getByRole('menuitem', { name: '报告' }).click()
  await expect(page).toHaveURL(/\/reports$/)
  await expect(page.getByRole('heading', { name: '报告' })).toBeVisible()
  expect(await unlabelledFields(page)).toEqual([])

  // Progress shows while the files are being taken in (a bar per file).
  const seedName = '2023年各单位工作总结和2024年工作计划汇编.txt'
  await drop(page, [
    { name: seedName, bytes: readFileSync(seed) },
    { name: '博野县2024年政府工作报告.txt', bytes: readFileSync(planFile) },
    { name: '博野县2025年政府工作报告.txt', bytes: readFileSync(resultFile) },
  ])
  await expect(page.getByTestId('upload')).toHaveCount(3)
  await expect(upload(page, seedName).getByRole('progressbar')).toBeVisible()
  for (const name of [seedName, '博野县2024年政府工作报告.txt', '博野县2025年政府工作报告.txt']) {
    await expect(upload(page, name).getByTestId('upload-stage')).toHaveText('完成', { timeout: 120_000 })
  }
  await expect(upload(page, seedName).getByTestId('upload-message')).toContainText(`${seedName}：已导入，报告 16 篇`)
  await shot(page, '20-报告-上传完成')

  // The compilation is one file with its 16 reports, as the API lists it.
  await page.getByLabel('文字').fill('汇编')
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page).toHaveURL(/text=/)
  const fromApi = await listed(page, '汇编')
  expect(fromApi.total).toBe(1)
  expect(fromApi.sources[0].reports).toHaveLength(16)
  await expect(page.getByTestId('file-name')).toHaveText([seedName])
  await expect(page.getByTestId('file-count')).toHaveText(['16 篇报告'])
  await expect(page.getByTestId('report-link')).toHaveCount(16)
  await expect(page.getByTestId('report-link')).toHaveText(fromApi.sources[0].reports.map((r) => r.title))
  await shot(page, '21-报告列表-汇编')
  watch.check()
})

test('报告视图：提纲在原文旁，问题在原处标出（与接口个数相同），点标题跳到原文', async ({ page }) => {
  const watch = watchConsole(page)
  await asSupervisor(page)
  const file = (await listed(page, '汇编')).sources[0]
  // The report whose findings include one with related figures.
  let chosen = 0
  let detail: Detail | null = null
  for (const r of file.reports) {
    const d = await api<Detail>(page, 'GET', `/api/v1/reports/${r.id}`)
    if (d.findings.some((f) => f.related.length > 0) && d.relations.length > 0) {
      chosen = r.id
      detail = d
      break
    }
  }
  expect(chosen, '汇编中应有带相关数字的问题和数字关系的报告').toBeGreaterThan(0)
  const report = detail!
  expect(report.findings.length).toBeGreaterThan(5)

  await page.goto(`${world().reports}/reports/${chosen}`)
  await expect(page.getByTestId('report-title')).toHaveText(report.title)
  // Every finding is marked in the text where it is, once.
  const starts = await page
    .locator('[data-test=report-text] mark[data-finding-start]')
    .evaluateAll((els) => els.flatMap((e) => (e.getAttribute('data-finding-start') || '').split(' ')).map(Number))
  expect(new Set(starts).size).toBe(report.findings.length)
  expect(starts).toHaveLength(report.findings.length)
  // … as its exact span: the marked text of each finding is the API's.
  for (const k of [0, report.findings.length - 1]) {
    const text = await page.locator(`[data-test=report-text] mark[data-findings~="${k}"]`).evaluateAll((els) =>
      els.map((e) => e.textContent).join(''),
    )
    expect(text).toBe(report.findings[k].span!.text)
  }
  await expect(page.getByTestId('finding-item')).toHaveCount(report.findings.length)
  await shot(page, '22-报告视图')

  // A finding from the list: selected in the text, scrolled into view, its
  // message and related figures shown.
  const k = report.findings.findIndex((f) => f.related.length > 0)
  await page.getByTestId('finding-item').nth(k).click()
  await expect(page).toHaveURL(new RegExp(`finding=${k + 1}`))
  const selected = page.locator('[data-test=report-text] mark.finding-selected').first()
  await expect(selected).toBeInViewport()
  await expect(page.getByTestId('finding-detail')).toContainText(report.findings[k].related[0].text)
  await expect(page.locator('[data-test=report-text] mark.related').first()).toBeVisible()
  await shot(page, '23-报告视图-问题与相关数字')

  // A heading of the outline, deep in the report: the text scrolls to it.
  const last = report.outline[report.outline.length - 1]
  const heading = page.getByTestId('outline').locator(`[data-heading-line="${last.span.line}"]`)
  await heading.click()
  await expect(page.locator(`[data-test=report-text] [data-line="${last.span.line}"]`)).toBeInViewport()

  // The relations checked, those that hold marked as such.
  await page.getByRole('tab', { name: /数字关系/ }).click()
  await expect(page.getByTestId('relation-item')).toHaveCount(report.relations.length)
  const holding = report.relations.filter((r) => r.status === 'consistent').length
  await expect(page.locator('[data-test=relation-item][data-status=consistent]')).toHaveCount(holding)
  await page.getByTestId('relation-item').first().click()
  await expect(page.locator('[data-test=report-text] mark.fig-selected').first()).toBeInViewport()
  await shot(page, '24-报告视图-数字关系')

  // The check page of the file.
  const check = await page.request.get(`${world().reports}/api/v1/reports/${chosen}/check.html`)
  expect(check.status()).toBe(200)
  expect(check.headers()['content-type']).toContain('text/html')
  await expect(page.getByTestId('check-page')).toHaveAttribute('href', `/api/v1/reports/${chosen}/check.html`)
  // A text file has no annotated Word copy.
  await expect(page.getByTestId('annotated-docx')).toHaveCount(0)
  expect(await unlabelledFields(page)).toEqual([])
  watch.check()
})

test('报告视图：键盘可以走到提纲、原文和每个问题，回车选中问题', async ({ page }) => {
  const watch = watchConsole(page)
  await asSupervisor(page)
  const file = (await listed(page, '汇编')).sources[0]
  const id = file.reports.find((r) => r.counts.findings > 3)!.id
  await page.goto(`${world().reports}/reports/${id}`)
  await expect(page.getByTestId('finding-item').first()).toBeVisible()
  // From the page's start, Tab reaches the outline, the text and the findings.
  const reached = new Set<string>()
  for (let i = 0; i < 40 && !reached.has('finding'); ++i) {
    await page.keyboard.press('Tab')
    const where = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null
      if (!a) return ''
      if (a.closest('[data-test=outline]')) return 'outline'
      if (a.getAttribute('data-test') === 'report-text') return 'text'
      if (a.getAttribute('data-test') === 'finding-item') return 'finding'
      return ''
    })
    if (where) reached.add(where)
  }
  expect([...reached].sort()).toEqual(['finding', 'outline', 'text'])
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('finding-item').first()).toHaveAttribute('aria-pressed', 'true')
  await expect(page.locator('[data-test=report-text] mark.finding-selected').first()).toBeInViewport()
  // The next finding is one Tab away.
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('finding-item').nth(1)).toHaveAttribute('aria-pressed', 'true')
  watch.check()
})

test('上传读不了的文件：每个文件各自显示中文说明，台账中什么也不存', async ({ page }) => {
  const watch = watchConsole(page)
  await asSupervisor(page)
  await page.goto(`${world().reports}/reports`)
  const before = (await api<Listed>(page, 'GET', '/api/v1/reports')).total
  const word = readFileSync(wordFile)
  // A picture (refused on upload), a Word file cut short (its import
  // fails) and an empty file, chosen together.
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d1c5a60000000049454e44ae426082', 'hex')
  await page.locator('[data-test=drop] input[type=file]').setInputFiles([
    { name: '现场照片.png', mimeType: 'image/png', buffer: png },
    { name: '残缺的总结.docx', mimeType: 'application/octet-stream', buffer: word.subarray(0, Math.floor(word.length / 2)) },
    { name: '空文件.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
  ])
  for (const name of ['现场照片.png', '残缺的总结.docx', '空文件.txt']) {
    await expect(upload(page, name).getByTestId('upload-stage')).toHaveText('失败', { timeout: 60_000 })
  }
  // The picture's bytes are damaged (a wrong check sum): refused on upload.
  await expect(upload(page, '现场照片.png').getByTestId('upload-message')).toContainText('PNG 图片已损坏或不完整')
  await expect(upload(page, '残缺的总结.docx').getByTestId('upload-message')).toContainText('残缺的总结.docx')
  await expect(upload(page, '空文件.txt').getByTestId('upload-message')).toHaveText('文件是空的，没有可以导入的内容。')
  // Every message is Chinese (no English word in it).
  for (const text of await page.getByTestId('upload-message').allTextContents()) {
    expect(text).toMatch(/[\u4e00-\u9fff]/)
    expect(text.replace(/Word|PDF|PNG|JPEG|docx|doc|\.txt|\.png/g, '')).not.toMatch(/[A-Za-z]{3,}/)
  }
  await shot(page, '25-报告-上传失败')
  expect((await api<Listed>(page, 'GET', '/api/v1/reports')).total).toBe(before)
  watch.check()
})

test('带批注的 Word 文件：上传 .docx，从报告视图下载，每个问题是一条批注', async ({ page }) => {
  const watch = watchConsole(page)
  await asSupervisor(page)
  await page.goto(`${world().reports}/reports`)
  const chooser = page.waitForEvent('filechooser')
  await page.getByTestId('drop').locator('.el-upload').click()
  await (await chooser).setFiles(wordFile)
  await expect(upload(page, 'numbering-probe.docx').getByTestId('upload-stage')).toHaveText('完成', { timeout: 60_000 })
  await upload(page, 'numbering-probe.docx').getByRole('link', { name: '查看报告' }).click()
  await expect(page).toHaveURL(/\/reports\/\d+$/)
  const id = Number(/\/reports\/(\d+)/.exec(page.url())![1])
  const detail = await api<{ findings: unknown[]; source: { id: number } }>(page, 'GET', `/api/v1/reports/${id}`)
  expect(detail.findings.length).toBeGreaterThan(0)
  const downloading = page.waitForEvent('download')
  await page.getByTestId('annotated-docx').click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('numbering-probe（批注）.docx')
  const bytes = readFileSync((await download.path())!)
  expect(bytes.subarray(0, 2).toString()).toBe('PK')
  expect(bytes.includes(Buffer.from('word/comments.xml'))).toBe(true)
  await shot(page, '26-报告视图-Word')
  watch.check()
})

interface CompareAnswer {
  pairs: { items: { verdict: string; verdict_label: string; target: { text: string }; evidence: { figure_text: string }[] }[] }[]
}

// Chooses a report in an el-select by typing part of its name.
async function choose(page: Page, label: string, text: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label })
  await box.click()
  await box.fill(text)
  await page.getByRole('option', { name: text }).first().click()
}

test('对标对表：博野县 2024 年计划对 2025 年报告，判定与接口相同，依据在原文中标出', async ({ page }) => {
  const watch = watchConsole(page)
  await asSupervisor(page)
  const plan = (await listed(page, '博野县2024')).sources[0].reports[0]
  const result = (await listed(page, '博野县2025')).sources[0].reports[0]
  await page.getByRole('menuitem', { name: '对标对表' }).click()
  await expect(page).toHaveURL(/\/compare$/)
  expect(await unlabelledFields(page)).toEqual([])
  await choose(page, '计划报告', plan.title)
  await choose(page, '结果报告', result.title)
  await page.getByRole('button', { name: '对照' }).click()
  await expect(page).toHaveURL(new RegExp(`plan=${plan.id}`))
  const answer = await api<CompareAnswer>(page, 'POST', '/api/v1/compare', { plan_report: plan.id, result_report: result.id })
  const items = answer.pairs[0].items
  expect(items.length).toBeGreaterThan(3)
  await expect(page.getByTestId('verdict')).toHaveText(items.map((i) => i.verdict_label))
  await shot(page, '27-对标对表')

  // An item with a figure: its evidence marked in the result's text.
  const k = items.findIndex((i) => i.evidence.length > 0 && i.evidence[0].figure_text)
  await page.locator(`.verdicts button.target[data-index="${k}"]`).click()
  const figure = page.locator('[data-test=result-text] mark.ev-figure.ev-chosen').first()
  await expect(figure).toBeInViewport()
  await expect(figure).toHaveText(items[k].evidence[0].figure_text)
  await expect(page.getByTestId('reason')).toContainText(items[k].verdict_label)
  await shot(page, '28-对标对表-依据')
  expect(await unlabelledFields(page)).toEqual([])
  watch.check()
})

test('对标对表：台账中清河县农业农村局 2025 年的工作任务对上传的年度总结', async ({ page }) => {
  const watch = watchConsole(page)
  await asSupervisor(page)
  await page.goto(`${world().reports}/reports`)
  await page.locator('[data-test=drop] input[type=file]').setInputFiles(exampleSummary)
  const name = path.basename(exampleSummary)
  await expect(upload(page, name).getByTestId('upload-stage')).toHaveText('完成', { timeout: 60_000 })
  const result = (await listed(page, '清河县农业农村局2025年工作总结')).sources[0].reports[0]

  await page.goto(`${world().reports}/compare`)
  await page.getByRole('radio', { name: '台账中的工作任务' }).check({ force: true })
  await page.getByLabel('责任单位').fill('清河县农业农村局')
  await page.getByLabel('年度').fill('2025')
  await choose(page, '结果报告', result.title)
  await page.getByRole('button', { name: '对照' }).click()
  await expect(page).toHaveURL(/unit=/)
  const answer = await api<CompareAnswer>(page, 'POST', '/api/v1/compare', {
    ledger: { unit: '清河县农业农村局', year: 2025 },
    result_report: result.id,
  })
  const items = answer.pairs[0].items
  expect(items.length).toBeGreaterThan(10)
  await expect(page.getByTestId('verdict')).toHaveText(items.map((i) => i.verdict_label))
  await shot(page, '29-对标对表-台账')
  watch.check()
})

test('各单位同一指标：整改率，各行与接口相同', async ({ page }) => {
  const watch = watchConsole(page)
  await asSupervisor(page)
  await page.goto(`${world().reports}/compare`)
  await page.getByRole('tab', { name: '各单位同一指标' }).click()
  await expect(page).toHaveURL(/tab=across/)
  await page.getByLabel('指标', { exact: true }).fill('整改率')
  await page.getByRole('button', { name: '查询' }).click()
  const answer = await api<{ rows: { unit: string; figure_text: string }[] }>(
    page,
    'GET',
    `/api/v1/compare/across?indicator=${encodeURIComponent('整改率')}`,
  )
  expect(answer.rows.length).toBeGreaterThan(1)
  const rows = page.getByTestId('across').locator('.el-table__body tr')
  await expect(rows).toHaveCount(answer.rows.length)
  await expect(rows.locator('td:nth-child(2)')).toHaveText(answer.rows.map((r) => r.figure_text))
  await expect(rows.locator('td:nth-child(1)')).toHaveText(answer.rows.map((r) => r.unit))
  expect(await unlabelledFields(page)).toEqual([])
  await shot(page, '30-各单位同一指标')
  watch.check()
})

test('查看角色：看得到报告和对标对表，没有上传', async ({ page }) => {
  const w = world()
  const watch = watchConsole(page)
  await logInToWorkbench(page, w.reports, 'zhaoliu', w.password)
  await page.getByRole('menuitem', { name: '报告' }).click()
  await expect(page.getByTestId('report-link').first()).toBeVisible()
  await expect(page.getByTestId('drop')).toHaveCount(0)
  await expect(page.getByRole('menuitem', { name: '对标对表' })).toBeVisible()
  watch.check()
})
