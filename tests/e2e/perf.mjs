#!/usr/bin/env node
// tests/e2e/perf.mjs — how long the busiest screens take to render in the
// browser with a `demo --scale 30` month loaded (docs/performance.md).
//
//   node tests/e2e/perf.mjs [DB]     (default build/perf/s30.db)
//
// Without DB the script makes it first with `init` and `demo --month 2024-05
// --scale 30` (5.7 M events: 10-15 minutes on two busy cores), which is why
// this is not part of `make test`.  The server is the release build
// (build/rel/hotline; HOTLINE_BIN to change it) with data/server.json.  Each
// screen is opened RUNS times after one warm-up; a time runs from the
// navigation (a full page load, or a click in the menu) until the table's
// rows are on screen with the loading mask gone or fading out.  Prints one line per screen and
// exits non-zero when the median of the unit inbox or the assessment opened
// in the running app (the menu) is 1 s or more; page loads (the app's own start included) and the
// folded history are reported beside them.
import fs from 'node:fs'
import path from 'node:path'
import { CHROME, CHROME_ARGS, chromium, login, password, root, runAsync, startServer, stopServer } from './lib.mjs'

const BIN = process.env.HOTLINE_BIN || path.join(root, 'build/rel/hotline')
const DB = path.resolve(process.argv[2] || path.join(root, 'build/perf/s30.db'))
const DIR = path.join(root, 'build/perf')
const RUNS = 5
const LIMIT_MS = 1000
const MONTH = '2024-05'
const EMPTY = '2023-01' // a month without orders: the page's own cost
const UNIT = 'C10' // 岳阳楼区, the demo registry's busiest unit
const USERS = [['perf-unit', 'unit_handler', UNIT], ['perf-mgr', 'manager', null]]

async function prepare() {
  const hl = (args, input) => runAsync(BIN, ['--db', DB, ...args], input)
  if (!fs.existsSync(DB)) {
    console.log(`perf: generating ${DB} (demo --month ${MONTH} --scale 30) …`)
    await hl(['init'])
    await hl(['demo', '--month', MONTH, '--scale', '30'])
  }
  for (const [name, role, unit] of USERS)
    await hl(['user', 'add', name, '--role', role, ...(unit ? ['--unit', unit] : [])], `${password(name)}\n`)
      .catch((e) => { if (!/已存在|exists/.test(e.message)) throw e })
}

// After before(): ms from go() until the table under `table` shows its
// rows (or says it has none) with no loading mask, once `api` (a URL part)
// has answered; and of those, the ms until the answer arrived.
async function timed(page, { before, go, api, table }) {
  if (before) await before()
  const t0 = Date.now()
  let answeredAt = 0
  const answered = page.waitForResponse((r) => r.url().includes(api) && r.status() === 200, { timeout: 60000 })
    .then((r) => r.finished()).then(() => (answeredAt = Date.now()))
  await go()
  await answered
  // the rows are in the page and the loading mask is hidden or leaving (its
  // element stays up to 0.4 s more while it fades out over the rows)
  await page.waitForFunction((sel) => {
    const m = document.querySelector(`${sel} .el-loading-mask`)
    const masked = m && getComputedStyle(m).display !== 'none' && !m.classList.contains('el-loading-fade-leave-active')
    return !masked && document.querySelector(`${sel} tbody tr, ${sel} .empty`)
  }, table, { timeout: 60000, polling: 'raf' })
  const t = Date.now() - t0
  return { t, api: answeredAt - t0 }
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1]

async function measure(page, label, how) {
  await timed(page, how) // warm-up: the bundle's chunks, the server's caches
  const runs = []
  for (let i = 0; i < RUNS; i++) runs.push(await timed(page, how))
  const ms = runs.map((r) => r.t)
  const rows = await page.locator(`${how.table} tbody tr`).count()
  const r = { label, budget: !!how.budget, median: median(ms), max: Math.max(...ms), api: median(runs.map((x) => x.api)), runs: ms, rows }
  console.log(`perf: ${label}: median ${r.median} ms (answer in ${r.api} ms), max ${r.max} ms (${ms.join(', ')}; ${rows} rows on screen)`)
  return r
}

async function main() {
  fs.mkdirSync(DIR, { recursive: true })
  await prepare()
  const config = JSON.parse(fs.readFileSync(path.join(root, 'data/server.json'), 'utf8'))
  const server = await startServer(BIN, DIR, DB, config)
  const base = `http://127.0.0.1:${server.port}`
  const browser = await chromium.launch({ executablePath: CHROME, args: CHROME_ARGS })
  const results = []
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage()
    const orders = await (async () => {
      await login(page, base, 'perf-unit')
      const r = await page.request.get(`${base}/api/v1/orders?page_size=1`)
      const q = await page.request.get(`${base}/api/v1/queues/inbox?page_size=1`)
      return { all: (await r.json()).total, inbox: (await q.json()).total }
    })()
    console.log(`perf: ${UNIT} holds ${orders.all} orders, ${orders.inbox} of them in its inbox`)
    const inbox = '[data-test=order-table]'
    // budget: the two screens (the unit inbox, the assessment), opened in the running
    // app and by a page load (the app's start included)
    const viaMenu = (away, to, budget = false) => ({
      before: () => page.click(`.el-menu-item:has-text("${away}")`), go: () => page.click(`.el-menu-item:has-text("${to}")`), budget,
    })
    results.push(await measure(page, `unit inbox, page load (${orders.inbox} orders)`,
      { go: () => page.goto(`${base}/inbox`), api: '/api/v1/queues/inbox', table: inbox, budget: true }))
    results.push(await measure(page, `unit inbox, from the menu (${orders.inbox} orders)`,
      { ...viaMenu('知识库检索', '单位收件箱', true), api: '/api/v1/queues/inbox', table: inbox }))
    results.push(await measure(page, `unit order list, from the menu (${orders.all} orders)`,
      { ...viaMenu('单位收件箱', '工单'), api: '/api/v1/orders?', table: inbox }))
    await page.click('button:has-text("退出登录")')

    await login(page, base, 'perf-mgr')
    const table = '[data-test=assessment-table]'
    const at = (q, budget = false) => ({ go: () => page.goto(`${base}/assessment?${q}`), api: '/api/v1/assessment?', table, budget })
    results.push(await measure(page, `assessment hotline ${MONTH}, page load`, at(`month=${MONTH}&channel=hotline`, true)))
    results.push(await measure(page, `assessment mailbox ${MONTH}, page load`, at(`month=${MONTH}&channel=mailbox`)))
    results.push(await measure(page, `assessment hotline ${MONTH}, from the menu`, { ...viaMenu('知识库检索', '考核结果', true), api: '/api/v1/assessment?', table }))
    results.push(await measure(page, `baseline: assessment of a month without orders (${EMPTY}), page load`, at(`month=${EMPTY}&channel=hotline`)))
    results.push(await measure(page, `assessment hotline ${MONTH} as of 2024-06-24 (the history folded), page load`,
      at(`month=${MONTH}&as_of=2024-06-24T00:00:00&channel=hotline`)))
  } finally {
    await browser.close().catch(() => {})
    await stopServer(server)
  }
  fs.writeFileSync(path.join(DIR, 'render-times.json'), JSON.stringify(results, null, 2))
  const slow = results.filter((r) => r.budget && r.median >= LIMIT_MS)
  if (slow.length) console.log(`perf: over ${LIMIT_MS} ms: ${slow.map((r) => r.label).join('; ')}`)
  process.exit(slow.length ? 1 : 0)
}

main().catch((e) => {
  console.log(`perf: FAIL ${e.stack || e}`)
  process.exit(1)
})
