// The 台账 list of 100,000 items in the browser: a ledger filled by
// bench's generator (build/ledger_bench list: 20 counties × 10 offices,
// 2023–2025, plans and problems, as bench/serve-list.sh), the unit tree of
// bench/serve-list.sh, a 督查员 over 某市 who reads all of it, and a
// `taizhang serve` of its own. The time from a click on the pager (or a
// sort header) until the new rows are on the screen is measured inside the
// page (performance.now() at the click, then the first animation frame that
// shows the new first row) and reported (the goal: under 300 ms).
import { test, expect } from '@playwright/test'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { itemRows, logInToWorkbench, shot, watchConsole, world } from './helpers'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../..')
const items = Number(process.env.TAIZHANG_E2E_BIG_ITEMS || 100000)
const password = 'Ceshi#2026big'

let dir = ''
let server: ChildProcess | null = null
let indexed: Promise<void> = Promise.resolve()
let base = ''

function bin(): string {
  return process.env.TAIZHANG_BIN || path.join(repo, 'build/taizhang')
}

test.beforeAll(async () => {
  test.setTimeout(600_000)
  const generator = process.env.TAIZHANG_LEDGER_BENCH || path.join(path.dirname(bin()), 'ledger_bench')
  if (!existsSync(generator)) throw new Error(`找不到 ledger_bench（${generator}）：先编译（cmake --build build）`)
  dir = mkdtempSync(path.join(tmpdir(), 'taizhang-e2e-big-'))
  const db = path.join(dir, 'taizhang.db')
  const seed = path.resolve(repo, '../shared/corpus/seed/000_149dd883a1863841.txt')
  execFileSync(generator, ['list', db, String(items), '1', seed], { stdio: ['ignore', 'ignore', 'inherit'] })
  const run = (args: string[]) => execFileSync(bin(), [...args, '--db', db], { encoding: 'utf8', cwd: repo })
  run(['unit', 'add', '某市'])
  const counties = ['安平县', '临河县', '东山县', '青川县', '白水县', '永宁县', '长乐县', '金沙县', '石门县', '龙泉县',
    '凤台县', '新丰县', '南江县', '北流市', '西乡县', '江源县', '丰城市', '和平县', '宁远县', '清河县']
  const offices = ['水利局', '住建局', '市场监督管理局', '应急管理局', '审计局', '经信局', '教育局', '卫健局', '交通运输局', '自然资源局']
  for (const county of counties) {
    run(['unit', 'add', county, '--parent', '某市'])
    for (const office of offices) run(['unit', 'add', county + office, '--parent', county])
  }
  const once = /一次性密码：(\S+)/.exec(run(['user', 'add', 'city', '--role', '督查员', '--unit', '某市', '--scope', '某市', '--display-name', '钱八']))![1]
  const web = process.env.TAIZHANG_WEB_DIR || path.join(repo, 'build/web')
  const child = spawn(bin(), ['serve', '--db', db, '--listen', '127.0.0.1:0', '--data-dir', path.join(dir, 'data'),
    '--static-dir', web, '--access-log', path.join(dir, 'access.log'), '--analysis-threads', '1'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  server = child
  // The search index catches up with the 100,000 items on a thread of its
  // own after the server listens; the measurement waits for it (its CPU is
  // the process's too).
  indexed = new Promise<void>((resolve) => {
    let said = ''
    child.stderr!.on('data', (chunk: string) => {
      said += chunk
      if (/检索索引/.test(said)) resolve()
    })
  })
  base = await new Promise<string>((resolve, reject) => {
    let err = ''
    const timer = setTimeout(() => reject(new Error(`taizhang serve 未能启动：${err}`)), 60_000)
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => {
      err += chunk
      const m = /正在监听 (http:\/\/[0-9.:]+)/.exec(err)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.on('exit', (code) => reject(new Error(`taizhang serve 退出（${code}）：${err}`)))
  })
  // The one-time password changed through the API, as global-setup does.
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'city', password: once }),
  })
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0]
  const { csrf_token } = (await login.json()) as { csrf_token: string }
  const changed = await fetch(`${base}/api/v1/auth/password`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf_token },
    body: JSON.stringify({ old_password: once, new_password: password }),
  })
  if (!changed.ok) throw new Error(`password: ${changed.status} ${await changed.text()}`)
})

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise((r) => server!.once('exit', r))
  }
  if (dir && !process.env.TAIZHANG_E2E_KEEP) rmSync(dir, { recursive: true, force: true })
})

test('10 万项的台账：浏览器中翻页的时间（目标 300 毫秒内）', async ({ page }) => {
  test.setTimeout(300_000)
  void world() // the shared world is not used, but must exist (global-setup ran)
  const watch = watchConsole(page)
  // The workbench (the page after login) asks for the dashboard: counted
  // in SQL, tens of milliseconds of the server's CPU over 100,000 items
  // (it read every item before: seconds). Waited for, so that it does not
  // run beside the page turns measured here.
  const dashboard = page.waitForResponse((r) => r.url().includes('/api/v1/dashboard'), { timeout: 120_000 })
  await logInToWorkbench(page, base, 'city', password)
  await dashboard
  await page.goto(`${base}/items`)
  const shown = async () => Number(/共 (\d+) 项/.exec((await page.getByTestId('total').textContent()) || '')?.[1])
  await expect.poll(shown, { timeout: 60_000 }).toBeGreaterThan(0)
  const total = await shown()
  const api = await (await page.request.get(`${base}/api/v1/items?limit=1`)).json()
  expect(api.total).toBe(total)
  expect(total).toBeGreaterThan(items * 0.9) // the accepted ones: all but the generator's few proposals
  await expect(itemRows(page)).toHaveCount(50)

  // In the page: click `selector`, then wait for frames until the first
  // row's 编号 differs; the milliseconds between.
  const timed = (selector: string) =>
    page.evaluate(
      (sel) =>
        new Promise<number>((resolve, reject) => {
          const first = () => document.querySelector('[data-test="items-table"] tbody tr td')?.textContent?.trim() ?? ''
          const was = first()
          const target = document.querySelector(sel) as HTMLElement | null
          if (!target) return reject(new Error(`no ${sel}`))
          const start = performance.now()
          target.click()
          const check = () => {
            const now = first()
            if (now && now !== was) resolve(performance.now() - start)
            else if (performance.now() - start > 10_000) reject(new Error('the page did not change in 10 s'))
            else requestAnimationFrame(check)
          }
          requestAnimationFrame(check)
        }),
      selector,
    )
  const next = '.el-pagination .btn-next'
  // The server process's CPU (utime + stime, clock ticks of 10 ms): wall
  // time alone says little on a loaded machine.
  const cpu = () => {
    const fields = readFileSync(`/proc/${server!.pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  }
  // A first page turn warms the caches of both ends; then ten measured,
  // once the search index has caught up (not to count its CPU).
  await indexed
  await timed(next)
  const cpuBefore = cpu()
  const times: number[] = []
  for (let i = 0; i < 10; i++) times.push(await timed(next))
  const serverCpu = (cpu() - cpuBefore) / 10
  // Deep in the list: the last page, then sorted by 时限 and 最近修改.
  const last = Math.ceil(total / 50)
  await page.goto(`${base}/items?page=${last - 1}`)
  await expect(itemRows(page)).toHaveCount(50)
  times.push(await timed(next))
  times.push(await timed('[data-test="sort-deadline"]'))
  await page.getByRole('button', { name: '显示列' }).click()
  await page.locator('.column-choice').getByText('修改时间').click()
  await page.getByRole('button', { name: '显示列' }).click()
  times.push(await timed('[data-test="sort-updated"]'))
  await shot(page, '34-台账-10万项')
  const sorted = [...times].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]
  console.log(
    `10 万项（${total} 项可见）的台账在浏览器中翻页：中位数 ${median.toFixed(0)} 毫秒，最慢 ${sorted[sorted.length - 1].toFixed(0)} 毫秒；` +
      `各次 ${times.map((t) => t.toFixed(0)).join('、')}；服务进程每翻一页 ${serverCpu.toFixed(0)} 毫秒 CPU；` +
      `负载 ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
  )
  // The goal is 300 ms; on a 2-core machine under other load the
  // browser's own part (Element Plus drawing 50 rows) is 250–700 ms, so
  // that is not asserted yet (see web/README.md). Asserted: the server's
  // share stays small (a list page is an indexed SQL page, not a scan of
  // the ledger), and a page turn stays under two seconds.
  expect(serverCpu).toBeLessThan(60)
  expect(median).toBeLessThan(2000)
  watch.check()
})
