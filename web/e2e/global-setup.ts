// Makes the world the browser tests act in, and tears it down after them:
// a fresh SQLite ledger with the bundled example imported and accepted
// (清河县农业农村局) and three items of 县水利局 (one of a long-named office of it), the unit tree, users made
// with `taizhang user add`, and two `taizhang serve` processes serving the
// built pages: the main one, and one whose sessions end after 3 idle
// seconds (--session-idle-timeout) on a ledger of its own, and one for the
// report uploads of e2e/reports.spec.ts (its own ledger, zhangsan and zhaoliu). What the tests
// need (addresses, passwords) is passed in TAIZHANG_E2E (JSON).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../..')

export interface World {
  main: string // http://127.0.0.1:port
  mainDb: string // the main server's ledger (e2e/remind.spec.ts runs `taizhang remind` on it)
  idle: string
  adminOnce: string // the main server's first-start password of admin
  password: string // every prepared user's password
  users: Record<string, string> // users still on their one-time password
  shots: string // where screenshots go
  itemCounts: { all: number; water: number }
  otherUnitItem: number // an item of 清河县农业农村局 (not 县水利局)
  waterItem: number // an item of 县水利局
  // A third server with a ledger of its own for the review and
  // rectification tests (review.spec.ts), which import and close off: the
  // counts the other tests expect stay as they are.
  review: string
  reports: string // a server of its own for the report uploads (e2e/reports.spec.ts), so their proposals stay out of the others' ledger
}

export const password = 'Ceshi#2026'

function bin(): string {
  const b = process.env.TAIZHANG_BIN || path.join(repo, 'build/taizhang')
  if (!existsSync(b)) throw new Error(`找不到 taizhang 程序：${b}（先编译，或设置 TAIZHANG_BIN）`)
  return b
}

function webDir(): string {
  if (process.env.TAIZHANG_WEB_DIR) return process.env.TAIZHANG_WEB_DIR
  const built = path.join(repo, 'build/web')
  if (existsSync(path.join(built, 'index.html'))) return built
  return path.join(here, '../dist')
}

function run(db: string, args: string[]): string {
  return execFileSync(bin(), args, {
    env: { ...process.env, TAIZHANG_DB: db },
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

function addUser(db: string, name: string, roles: string, unit: string, extra: string[] = []): string {
  const out = run(db, ['user', 'add', name, '--role', roles, '--unit', unit, ...extra])
  const m = /一次性密码：(\S+)/.exec(out)
  if (!m) throw new Error(`user add ${name}: ${out}`)
  return m[1]
}

// The ledger and the unit tree; no account yet (the server's first start
// makes the system administrator).
function seedLedger(db: string): void {
  run(db, ['import', 'examples/某县农业农村局2024年工作总结和2025年工作计划.txt', '--db', db, '--user', '测试'])
  run(db, ['ledger', 'review', 'accept', '--all', '--unit', '清河县农业农村局', '--db', db, '--user', '测试'])
  run(db, ['ledger', 'add', '--db', db, '--unit', '县水利局', '--task', '完成城区防洪排涝工程主体建设', '--target', '3处', '--deadline', '2025-10-31', '--user', '测试'])
  run(db, ['ledger', 'add', '--db', db, '--unit', '县水利局农村饮水安全工程建设管理服务中心', '--task', '推进农村供水规模化建设和小型供水工程标准化改造，年底前完成12处集中供水工程提质增效', '--target', '12处', '--deadline', '2026-12-31', '--user', '测试'])
  run(db, ['ledger', 'add', '--db', db, '--kind', 'problem', '--unit', '县水利局', '--task', '项目资金拨付不及时', '--source', '审计', '--found', '2025-03-01', '--deadline', '2025-06-30', '--user', '测试'])
  run(db, ['unit', 'add', '某县', '--alias', '某县人民政府'])
  run(db, ['unit', 'add', '清河县农业农村局', '--parent', '某县', '--alias', '县农业农村局'])
  run(db, ['unit', 'add', '县水利局', '--parent', '某县', '--alias', '某县水利局'])
}

// The users, from the command line beside the running server.
function addUsers(db: string): Record<string, string> {
  const once: Record<string, string> = {}
  once.zhangsan = addUser(db, 'zhangsan', '督查员', '某县', ['--scope', '某县', '--display-name', '张三'])
  once.lisi = addUser(db, 'lisi', '填报员', '县水利局', ['--display-name', '李四'])
  once.wangwu = addUser(db, 'wangwu', '填报员', '县水利局', ['--display-name', '王五'])
  once.zhaoliu = addUser(db, 'zhaoliu', '查看', '某县', ['--scope', '某县', '--display-name', '赵六'])
  once.sunqi = addUser(db, 'sunqi', '填报员', '清河县农业农村局', ['--display-name', '孙七'])
  return once
}

interface Server {
  process: ChildProcess
  url: string
  adminOnce: string
}

function serve(db: string, dir: string, extra: string[]): Promise<Server> {
  const child = spawn(
    bin(),
    ['serve', '--db', db, '--listen', '127.0.0.1:0', '--data-dir', path.join(dir, 'data'), '--static-dir', webDir(),
      '--access-log', path.join(dir, 'access.log'), '--analysis-threads', '1',
      // Every test logs in from 127.0.0.1: far more than the default 30
      // attempts per address in 15 minutes.
      '--login-attempts-per-address', '5000',
      // No reminders on the server's own schedule (every 300 s by default):
      // e2e/remind.spec.ts sends them with `taizhang remind` and checks its
      // exit code, which a scheduled run in between would have taken.
      '--remind-every', '0', ...extra],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let err = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`taizhang serve 未能启动：${err}`)), 30_000)
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => {
      err += chunk
      const listening = /正在监听 (http:\/\/[0-9.:]+)/.exec(err)
      if (listening) {
        clearTimeout(timer)
        const once = /一次性密码：(\S+)/.exec(err)
        resolve({ process: child, url: listening[1], adminOnce: once ? once[1] : '' })
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`taizhang serve 退出（${code}）：${err}`))
    })
  })
}

// Logs in with the one-time password and sets `password` (as a person
// would on the page; the page's own flow is tested with another user).
async function prepare(url: string, name: string, once: string): Promise<void> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, password: once }),
  })
  if (!login.ok) throw new Error(`login ${name}: ${login.status} ${await login.text()}`)
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0]
  const { csrf_token } = (await login.json()) as { csrf_token: string }
  const headers = { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf_token }
  const changed = await fetch(`${url}/api/v1/auth/password`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ old_password: once, new_password: password }),
  })
  if (!changed.ok) throw new Error(`password ${name}: ${changed.status} ${await changed.text()}`)
  await fetch(`${url}/api/v1/auth/logout`, { method: 'POST', headers })
}

function itemIds(db: string, unit: string): number[] {
  const out = JSON.parse(run(db, ['ledger', 'list', '--db', db, '--unit', unit, '--json'])) as { items: { id: number }[] }
  return out.items.map((i) => i.id)
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'taizhang-e2e-'))
  const mainDir = path.join(dir, 'main')
  const idleDir = path.join(dir, 'idle')
  mkdirSync(mainDir)
  mkdirSync(idleDir)
  const reportsDir = path.join(dir, 'reports')
  mkdirSync(reportsDir)
  const reportsDb = path.join(reportsDir, 'taizhang.db')
  const mainDb = path.join(mainDir, 'taizhang.db')
  const idleDb = path.join(idleDir, 'taizhang.db')
  const reviewDir = path.join(dir, 'review')
  mkdirSync(reviewDir)
  const reviewDb = path.join(reviewDir, 'taizhang.db')
  seedLedger(mainDb)
  seedLedger(idleDb)
  seedLedger(reviewDb)
  seedLedger(reportsDb)
  const all = JSON.parse(run(mainDb, ['ledger', 'list', '--db', mainDb, '--json'])) as { items: unknown[] }
  const water = itemIds(mainDb, '县水利局')
  const other = itemIds(mainDb, '清河县农业农村局')

  const servers: Server[] = []
  const stop = async () => {
    for (const s of servers) {
      if (s.process.exitCode === null) {
        s.process.kill('SIGTERM')
        await new Promise((r) => s.process.once('exit', r))
      }
    }
    if (!process.env.TAIZHANG_E2E_KEEP) rmSync(dir, { recursive: true, force: true })
  }
  try {
    servers.push(await serve(mainDb, mainDir, []))
    servers.push(await serve(idleDb, idleDir, ['--session-idle-timeout', '3']))
    servers.push(await serve(reviewDb, reviewDir, []))
    if (!servers[0].adminOnce) throw new Error('taizhang serve 首次启动没有打印 admin 的一次性密码')
    const [main, idle] = servers
    const mainOnce = addUsers(mainDb)
    const idleOnce = addUsers(idleDb)
    // zhangsan, zhaoliu, sunqi ready on the main server; lisi on both;
    // wangwu keeps its one-time password for the page's own first login.
    for (const name of ['zhangsan', 'lisi', 'zhaoliu', 'sunqi']) await prepare(main.url, name, mainOnce[name])
    await prepare(idle.url, 'lisi', idleOnce.lisi)
    // The review server: zhangsan, lisi, and zhouba, a 督查员 who is also a
    // 填报员 of 县水利局 (may submit, may not close off what he submitted).
    const review = servers[2]
    const reviewOnce = addUsers(reviewDb)
    reviewOnce.zhouba = addUser(reviewDb, 'zhouba', '督查员、填报员', '县水利局', ['--scope', '县水利局', '--display-name', '周八'])
    for (const name of ['zhangsan', 'lisi', 'zhouba']) await prepare(review.url, name, reviewOnce[name])
    const reports = await serve(reportsDb, reportsDir, [])
    servers.push(reports)
    const reportsOnce = addUsers(reportsDb)
    for (const name of ['zhangsan', 'zhaoliu']) await prepare(reports.url, name, reportsOnce[name])
    // The three administrators (三员) of the administration pages, ready on the main server.
    for (const [name, role] of [['xitong', '系统管理员'], ['anquan', '安全管理员'], ['shenji', '审计管理员']]) {
      await prepare(main.url, name, addUser(mainDb, name, role, '某县'))
    }
    const shots = process.env.TAIZHANG_E2E_OUT || path.join(repo, 'build/web-screenshots')
    mkdirSync(shots, { recursive: true })
    const world: World = {
      main: main.url,
      mainDb,
      idle: idle.url,
      adminOnce: main.adminOnce,
      password,
      users: { wangwu: mainOnce.wangwu },
      shots,
      itemCounts: { all: all.items.length, water: water.length },
      otherUnitItem: other[0],
      waterItem: water[0],
      review: review.url,
      reports: reports.url,
    }
    process.env.TAIZHANG_E2E = JSON.stringify(world)
  } catch (e) {
    await stop()
    throw e
  }
  return stop
}
