#!/usr/bin/env node
// tests/e2e/run.mjs — browser tests of the web application (web/dist) against
// the sanitized server (build/san/hotline) on a temporary database, driven by
// playwright-core in Debian's Chromium (/usr/bin/chromium, headless).
//
//   node tests/e2e/run.mjs        (make e2e; make test runs it after the Check runner)
//   E2E_ONLY='admin|manager' node tests/e2e/run.mjs   (the tests whose names match)
//
// Any console error or uncaught exception in the page fails the test it
// happens in.  Screenshots go to build/e2e-artifacts/.  The last line is the
// summary: "e2e: N passed, N failed".
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CHROME, CHROME_ARGS, WEB, chromium, login, logout, password, root, runAsync, startServer, stopServer } from './lib.mjs'
import { SEEDED, seededTests } from './seeded.mjs'

const BIN = process.env.HOTLINE_BIN || path.join(root, 'build/san/hotline')
const ART = path.join(root, 'build/e2e-artifacts')
const STEP_MS = 15000
const SHARED = process.env.HOTLINE_SHARED || path.resolve(root, '../shared')

const UNITS = 'code\tname\tkind\tparent_code\nC1\t东城区\tcounty\t\nC1-1\t东城区甲镇\tcounty\tC1\nC2\t西城区\tcounty\t\nA1\t市住建局\tagency\t\n'
const KB = 'id\ttitle\tbody\tcategory\towner_unit\tvalid_from\tvalid_to\treview_days\n' +
  'KB-0001\t夜间施工噪音扰民的处理\t夜间施工噪音扰民可向住建部门反映，22时至次日6时禁止产生环境噪声污染的建筑施工作业。\t环境保护类 › 噪音污染\tA1\t\t\t180\n'
const USERS = [
  ['op', 'operator', null],
  ['disp', 'dispatcher', null],
  ['h1', 'unit_handler', 'C1'],
  ['h2', 'unit_handler', 'C2'],
  ['a1', 'unit_admin', 'C1'],
  ['t1', 'unit_handler', 'C1-1'],
  ['cb', 'callback', null],
  ['sup', 'supervisor', null],
  ['mgr', 'manager', null],
]
// cheap password hashing and a small server: the test is about the page
const CONFIG = {
  threads: 4, body_max: 262144, session_idle_min: 60, session_max_hours: 12, login_max_failures: 20,
  login_window_s: 900, mailbox_per_hour: 5, page_size_default: 20, page_size_max: 200, pwhash_ops: 1,
  pwhash_mem_kib: 8, idempotency_hours: 24, checkpoint_ms: 100, checkpoint_restart_frames: 1000,
  kb_remind_minutes: 60,
  fts_merge_pages: 64,
  write_linger_us: 1000,
  session_cache_s: 10,
  report_threads: 2,
  static_max_age_s: 31536000,
}

// A database in dir from a unit registry and an event history (files), a
// knowledge base (TSV text) and users ([name, role, unit]).
async function makeDb(dir, { units, events, kb, users, remind }) {
  const db = path.join(dir, 'e2e.db')
  const hl = (args, input) => runAsync(BIN, ['--db', db, ...args], input)
  await hl(['init'])
  await hl(['import', units, events])
  fs.writeFileSync(path.join(dir, 'kb.tsv'), kb)
  await hl(['kb', 'import', path.join(dir, 'kb.tsv')])
  for (const [name, role, unit] of users)
    await hl(['user', 'add', name, '--role', role, ...(unit ? ['--unit', unit] : [])], `${password(name)}\n`)
  if (remind) await hl(['kb', 'remind', '--now', remind])
  return db
}

// The workflow tests' database: a small registry, no history.
function smallDb(dir) {
  fs.writeFileSync(path.join(dir, 'units.tsv'), UNITS)
  fs.writeFileSync(path.join(dir, 'events.jsonl'), '')
  return makeDb(dir, { units: path.join(dir, 'units.tsv'), events: path.join(dir, 'events.jsonl'), kb: KB, users: USERS })
}

// The report tests' database: the seed bulletin's history (shared/tools/seed-events.py),
// whose May 2024 assessment is the fixtures' annexes.
async function seedDb(dir) {
  await runAsync('python3', [path.join(SHARED, 'tools/seed-events.py'), dir])
  return makeDb(dir, { units: path.join(dir, 'units.tsv'), events: path.join(dir, 'events.jsonl'), ...SEEDED })
}

// --- the tests -----------------------------------------------------------------
// The operator's intake in the workbench (a complaint, made an order with
// Ctrl+Enter); answers the new order's number.
async function intake(page, { phone, name, location, content }) {
  await page.waitForURL(/\/workbench/)
  await page.fill('[data-test=phone]', phone)
  await page.locator('[data-test=phone]').press('Tab')
  await page.locator('[data-test=caller-history]').waitFor()
  if (name) await page.fill('input[placeholder="来电人姓名"]', name)
  await page.fill('[data-test=location]', location)
  await page.fill('[data-test=content]', content)
  await page.locator('[data-test=nature] label:has-text("投诉")').click()
  await page.locator('[data-test=content]').press('Control+Enter')
  const link = page.locator('[data-test=last-order]')
  await link.waitFor()
  const number = (await link.textContent()).trim()
  if (!/^W\d{8}-\d+$/.test(number)) throw new Error(`order number: ${number}`)
  return number
}

// One API session of a staff user for steps the test is not about; fn gets
// (method, path, body) → parsed answer (a non-2xx answer throws).
async function asUser(page, base, name, fn) {
  const s = await page.request.post(`${base}/api/v1/session`, { data: { name, password: password(name) } })
  if (!s.ok()) throw new Error(`API login ${name}: ${s.status()}`)
  const { csrf } = await s.json()
  const call = async (method, p, data) => {
    const r = await page.request.fetch(`${base}${p}`, { method, data, headers: { 'X-CSRF-Token': csrf } })
    if (!r.ok()) throw new Error(`${method} ${p}: ${r.status()} ${await r.text()}`)
    return r.json()
  }
  try {
    return await fn(call)
  } finally {
    await page.request.delete(`${base}/api/v1/session`, { headers: { 'X-CSRF-Token': csrf } })
  }
}

// One step of an order through the API, at the version it has now.
async function step(call, number, op, body = {}) {
  const { version } = await call('GET', `/api/v1/orders/${number}`)
  return call('POST', `/api/v1/orders/${number}/actions/${op}`, { ...body, version })
}

// The el-* tags of web/src's templates whose component web/src/element.js does
// not register (a production build renders those as empty unknown elements).
function unregisteredElements() {
  const src = path.join(root, 'web/src')
  const listed = /export const COMPONENTS = \{([^}]*)\}/.exec(fs.readFileSync(path.join(src, 'element.js'), 'utf8'))
  const known = new Set(listed ? listed[1].split(',').map((x) => x.trim()).filter(Boolean) : [])
  const used = new Set()
  for (const f of fs.readdirSync(src, { recursive: true }).filter((f) => f.endsWith('.vue')))
    for (const m of fs.readFileSync(path.join(src, f), 'utf8').matchAll(/<(el-[a-z-]+)/g)) used.add(m[1])
  const pascal = (t) => t.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')
  return { used: used.size, missing: [...used].filter((t) => !known.has(pascal(t))) }
}

const tests = [
  ['web app: every el-* component in a template is registered in element.js', async () => {
    const { used, missing } = unregisteredElements()
    if (used < 20 || missing.length) throw new Error(`${used} el-* tags used; not in web/src/element.js: ${missing.join(', ')}`)
  }],
  ['operator: login, knowledge-base search, create an order in the workbench, find it in the list', async (page, base, shot, ctx) => {
    await login(page, base, 'op')
    await page.waitForURL(/\/workbench/)
    const menu = await page.locator('.el-menu-item').allTextContents()
    if (menu.join('|') !== '工作台|工单|知识库检索') throw new Error(`operator's menu: ${menu.join('|')}`)
    // Ctrl+K focuses the knowledge-base search
    await page.keyboard.press('Control+k')
    await page.keyboard.type('施工噪音')
    await page.keyboard.press('Enter')
    const hit = page.locator('[data-test=kb-hit]').first()
    await hit.waitFor()
    if (!(await hit.locator('mark.kw').count())) throw new Error('no highlighted match in the snippet')
    await page.fill('[data-test=phone]', '13800001111')
    await page.locator('[data-test=phone]').press('Tab')
    await page.locator('[data-test=caller-history]').waitFor()
    await page.fill('[data-test=location]', '东城区幸福路 18 号')
    await page.fill('[data-test=content]', '幸福路工地夜间施工噪音扰民，每晚持续到凌晨两点。')
    await page.locator('[data-test=nature] label:has-text("投诉")').click()
    await shot('workbench-filled')
    // Ctrl+Enter saves (handling: order, the default)
    await page.locator('[data-test=content]').press('Control+Enter')
    const link = page.locator('[data-test=last-order]')
    await link.waitFor()
    const number = (await link.textContent()).trim()
    if (!/^W\d{8}-\d+$/.test(number)) throw new Error(`order number: ${number}`)
    ctx.number = number
    await shot('workbench-saved')
    // Alt+N: the next call (an empty form, the cursor in the number)
    await page.fill('[data-test=location]', '未保存的地点')
    await page.keyboard.press('Alt+n')
    await page.locator('[data-test=last-result]').waitFor({ state: 'detached' })
    if (await page.locator('[data-test=location]').inputValue()) throw new Error('Alt+N left the form filled')
    if (!(await page.evaluate(() => document.activeElement && document.activeElement.dataset.test === 'phone')))
      throw new Error('Alt+N did not put the cursor in the phone number')
    await page.click('.el-menu-item:has-text("工单")')
    await page.waitForURL(/\/orders$/)
    const row = page.locator('[data-test=order-table] tr', { hasText: number })
    await row.waitFor()
    if (!(await row.textContent()).includes('待派单')) throw new Error('the new order is not 待派单 in the list')
    await shot('orders-list')
    await row.locator(`a:has-text("${number}")`).click()
    await page.waitForURL(new RegExp(`/orders/${number}$`))
    await page.locator('[data-test=history] .el-timeline-item').first().waitFor()
    const content = await page.locator('[data-test=order-content]').textContent()
    if (!content.includes('夜间施工噪音扰民')) throw new Error('order detail does not show the content')
    await shot('order-detail')
    await logout(page)
  }],
  ['dispatcher: the order is in 待派单, dispatch it to a unit; the unit sees it in its inbox', async (page, base, shot, ctx) => {
    if (!ctx.number) throw new Error('no order from the first test')
    await login(page, base, 'disp')
    await page.click('.el-menu-item:has-text("待派单")')
    const row = page.locator('[data-test=order-table] tr', { hasText: ctx.number })
    await row.waitFor()
    await row.locator('[data-test=dispatch]').click()
    await page.locator('[data-test=dispatch-unit]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '东城区' }).first().click()
    await shot('dispatch-dialog')
    await page.click('[data-test=dispatch-confirm]')
    await page.locator('.el-message--success').waitFor()
    await row.waitFor({ state: 'detached' })
    await shot('dispatched')
    await logout(page)
    await login(page, base, 'h1')
    await page.waitForURL(/\/inbox/)
    const inboxRow = page.locator('[data-test=order-table] tr', { hasText: ctx.number })
    await inboxRow.waitFor()
    if (!/\d{4}-\d\d-\d\d \d\d:\d\d/.test(await inboxRow.locator('[data-test=deadline]').textContent()))
      throw new Error('no deadline in the inbox')
    if (!/^剩 \d+ 个工作日$/.test((await inboxRow.locator('[data-test=days-left]').textContent()).trim()))
      throw new Error('the inbox does not show the working days left')
    await shot('inbox')
    await logout(page)
  }],
  ['the lifecycle: intake, dispatch, sign and reply, review accepted, callback 不满意, verified, supervised, rectified, callback 满意', async (page, base, shot) => {
    // the operator takes the call in the workbench
    await login(page, base, 'op')
    const number = await intake(page, {
      phone: '13900002222', name: '李四', location: '东城区甲镇菜市场',
      content: '东城区甲镇菜市场门口占道经营，早高峰交通堵塞。',
    })
    await shot('lifecycle-intake')
    await logout(page)
    const row = () => page.locator('[data-test=order-table] tr', { hasText: number })
    const ok = (text) => page.locator('.el-message--success', { hasText: text }).first().waitFor()

    // dispatcher dispatches
    await login(page, base, 'disp')
    const menu = await page.locator('.el-menu-item').allTextContents()
    if (menu.join('|') !== '工作台|待派单|审核|申请审批|工单|知识库检索') throw new Error(`dispatcher's menu: ${menu.join('|')}`)
    await page.click('.el-menu-item:has-text("待派单")')
    await row().locator('[data-test=dispatch]').click()
    await page.locator('[data-test=dispatch-unit]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '东城区' }).first().click()
    await page.click('[data-test=dispatch-confirm]')
    await row().waitFor({ state: 'detached' })
    await logout(page)

    // the unit signs and replies in its inbox
    await login(page, base, 'h1')
    await page.waitForURL(/\/inbox/)
    await row().locator('[data-test=act-sign]').click()
    await ok('已签收')
    await row().locator('[data-test=act-reply]').click()
    await page.fill('[data-test=act-text]', '已联系市场监管所清理占道摊位，并安排早高峰值守。')
    await shot('unit-reply')
    await page.click('[data-test=act-confirm]')
    await ok('已答复')
    await row().locator('text=已答复').waitFor()
    await shot('unit-replied')
    await logout(page)

    // the dispatcher accepts the reply
    await login(page, base, 'disp')
    await page.click('.el-menu-item:has-text("审核")')
    await page.waitForURL(/\/review$/)
    await row().locator('[data-test=act-review-accept]').click()
    await row().waitFor({ state: 'detached' })
    await logout(page)

    // the callback agent: 不满意
    await login(page, base, 'cb')
    await page.waitForURL(/\/callback$/)
    await shot('callback-queue')
    await row().locator('[data-test=act-callback-dissatisfied]').click()
    await row().waitFor({ state: 'detached' })
    await logout(page)

    // the supervisor verifies (upheld), supervises, records rectified
    await login(page, base, 'sup')
    await page.waitForURL(/\/verify$/)
    await shot('verify-queue')
    await row().locator('[data-test=act-verify-upheld]').click()
    await row().waitFor({ state: 'detached' })
    await page.goto(`${base}/orders/${number}`)
    await page.locator('[data-test=act-supervise]').click()
    await ok('已督办')
    await page.click('.el-menu-item:has-text("督办")')
    await page.waitForURL(/\/supervision$/)
    await shot('supervision-queue')
    await row().locator('[data-test=act-rectified]').click()
    await row().waitFor({ state: 'detached' })
    await logout(page)

    // the callback agent calls again: 满意
    await login(page, base, 'cb')
    await page.goto(`${base}/orders/${number}`)
    await page.locator('[data-test=act-callback-satisfied]').click()
    await ok('满意')
    const history = page.locator('[data-test=history]')
    await history.locator('text=结果：满意').waitFor()
    const text = await history.textContent()
    for (const want of ['签收', '答复', '结果：办结', '结果：不满意', '结果：属实', '督办'])
      if (!text.includes(want)) throw new Error(`history lacks ${want}: ${text}`)
    await shot('lifecycle-history')
    await logout(page)
  }],
  ['manager: the monthly bulletin — preview with charts, section 一 saved as a version, the pdf downloaded', async (page, base, shot) => {
    await login(page, base, 'mgr')
    await page.click('.el-menu-item:has-text("工作通报")')
    await page.waitForURL(/\/bulletin/)
    const preview = page.locator('[data-test=bulletin-preview]')
    await preview.locator('h1:has-text("政务服务热线工作通报")').waitFor()
    await page.locator('[data-test=bulletin-chart] canvas').first().waitFor()
    await page.fill('[data-test=section-1]', '（一）领导接听日活动持续推进。')
    await page.click('[data-test=save-1]')
    await preview.locator('p:has-text("领导接听日活动持续推进")').waitFor()
    await page.locator('text=第 1 版').first().waitFor()
    // the hot spots' proposal: the month's appeals through hot-spot detection
    await page.click('.el-tabs__item:has-text("热点焦点")')
    const found = page.waitForResponse((r) => r.url().includes('/api/v1/hotspots?'))
    await page.click('[data-test=hotspot-drafts]')
    if ((await found).status() !== 200) throw new Error('the hot spots of the month were not found')
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="download-bulletin.pdf"]')])
    if (!dl.suggestedFilename().endsWith('bulletin.pdf')) throw new Error(`download: ${dl.suggestedFilename()}`)
    await shot('bulletin')
  }],
  ["unit isolation: a sibling unit's handler finds the order neither in the inbox, nor in the list or a search, nor by its URL", async (page, base, shot, ctx, allow) => {
    if (!ctx.number) throw new Error('no order from the first test')
    const open = async () => {
      const res = page.waitForResponse((r) => r.url().endsWith(`/api/v1/orders/${ctx.number}`))
      await page.goto(`${base}/orders/${ctx.number}`)
      return (await res).status()
    }
    // the order's own unit sees it (the test can fail)
    await login(page, base, 'h1')
    await page.locator('[data-test=order-table] tr', { hasText: ctx.number }).waitFor()
    if ((await open()) !== 200) throw new Error('the own unit cannot open its order')
    await page.locator('[data-test=order-content]').waitFor()
    await logout(page)

    await login(page, base, 'h2')
    await page.waitForURL(/\/inbox/)
    const table = page.locator('[data-test=order-table]')
    await table.locator('.empty').waitFor()
    if ((await table.textContent()).includes(ctx.number)) throw new Error('the order is in a sibling unit\'s inbox')
    await page.click('.el-menu-item:has-text("工单")')
    await page.waitForURL(/\/orders$/)
    await table.locator('.empty').waitFor()
    for (const [placeholder, value] of [['工单号', ctx.number], ['内容或地点包含', '施工噪音']]) {
      const box = page.locator(`input[placeholder="${placeholder}"]`)
      await box.fill(value)
      const res = page.waitForResponse((r) => r.url().includes('/api/v1/orders?'))
      await box.press('Enter')
      const body = await (await res).json()
      if (body.total !== 0) throw new Error(`the search ${placeholder}=${value} finds ${body.total} orders of another unit`)
      await table.locator('.empty').waitFor()
      await box.fill('')
    }
    await shot('isolation-search')
    // the direct URL: the server answers 404 (Chromium logs that load), the page says so
    allow(/Failed to load resource: the server responded with a status of 404/)
    if ((await open()) !== 404) throw new Error('a sibling unit opens the order')
    await page.locator('[data-test=order-missing]').waitFor()
    if ((await page.locator('body').textContent()).includes('施工噪音')) throw new Error('the order\'s content is shown')
    await shot('isolation-url')
    await logout(page)
  }],
  ['unit admin: signs the order and passes it down to a sub-unit, whose handler finds it in the inbox', async (page, base, shot, ctx) => {
    if (!ctx.number) throw new Error('no order from the first test')
    await login(page, base, 'a1')
    await page.waitForURL(/\/inbox/)
    const row = page.locator('[data-test=order-table] tr', { hasText: ctx.number })
    await row.locator('[data-test=act-sign]').click()
    await page.locator('.el-message--success', { hasText: '已签收' }).first().waitFor()
    await row.locator('[data-test=act-subdispatch]').click()
    await page.locator('[data-test=act-unit]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '东城区甲镇' }).first().click()
    await shot('subdispatch')
    await page.click('[data-test=act-confirm]')
    await page.locator('.el-message--success', { hasText: '已转派下级单位' }).first().waitFor()
    await row.locator('text=东城区甲镇').waitFor()
    await logout(page)
    await login(page, base, 't1')
    await page.waitForURL(/\/inbox/)
    await page.locator('[data-test=order-table] tr', { hasText: ctx.number }).waitFor()
    await shot('sub-unit-inbox')
    await logout(page)
  }],
  ['public mailbox on a phone: write a letter, follow it with the query code, read the reply, rate it', async (page, base, shot) => {
    const content = "西城区广场路路灯连续一周不亮，夜间行人不便。"
    await page.goto(`${base}/mailbox`)
    await page.fill('[data-test=letter-title]', '广场路路灯不亮')
    await page.fill('[data-test=letter-location]', '西城区广场路')
    await page.fill('[data-test=letter-content]', content)
    await page.fill('[data-test=letter-name]', '王五')
    await page.fill('[data-test=letter-phone]', '13700003333')
    await page.locator('[data-test=letter-nature] label:has-text("求助")').click()
    const wide = await page.evaluate(() => document.documentElement.scrollWidth)
    if (wide > 390) throw new Error(`the letter form is ${wide} px wide on a 390 px phone`)
    await shot('mailbox-write')
    await page.click('[data-test=letter-submit]')
    const code = (await page.locator('[data-test=letter-code]').textContent()).trim()
    if (!/^[2-9A-HJKMNP-Z]{12}$/.test(code)) throw new Error(`query code: ${code}`)
    await shot('mailbox-receipt')
    await page.click('button:has-text("查看进度")')
    await page.waitForURL(new RegExp(`/mailbox/${code}$`))
    await page.locator('[data-test=letter-state]', { hasText: '待派单' }).waitFor()
    if (await page.locator('[data-test=letter-rate]').count()) throw new Error('a letter without a reply can be rated')

    // the center handles it (the staff's screens are the other tests')
    const reply = '已安排路灯所检修广场路路灯，现已恢复照明。'
    const number = await asUser(page, base, 'disp', async (call) => {
      const list = await call('GET', `/api/v1/orders?channel=mailbox&q=${encodeURIComponent('广场路路灯')}`)
      if (list.total !== 1) throw new Error(`the letter's order: ${list.total} found`)
      const n = list.items[0].number
      await step(call, n, 'dispatch', { unit: 'C2' })
      return n
    })
    await asUser(page, base, 'h2', async (call) => {
      await step(call, number, 'sign')
      await step(call, number, 'reply', { text: reply })
    })
    await asUser(page, base, 'disp', (call) => step(call, number, 'review', { result: 'accept' }))

    // the citizen follows it with the code (typed, in any case)
    await page.goto(`${base}/mailbox`)
    await page.click('.el-tabs__item:has-text("查询进度")')
    await page.fill('[data-test=follow-code]', code.toLowerCase())
    await page.click('[data-test=follow-go]')
    await page.locator('[data-test=letter-state]', { hasText: '已办结' }).waitFor()
    if ((await page.locator('[data-test=letter-reply]').textContent()).trim() !== reply) throw new Error('the reply is not shown')
    const text = await page.locator('[data-test=letter-status]').textContent()
    if (text.includes('13700003333') || text.includes('王五')) throw new Error('the letter shows the writer\'s name or phone')
    await page.locator('[data-test=rate-result] label:has-text("满意")').first().click()
    await shot('mailbox-reply')
    await page.click('[data-test=rate-submit]')
    await page.locator('[data-test=letter-rated]', { hasText: '满意' }).waitFor()
    if (await page.locator('[data-test=letter-rate]').count()) throw new Error('the letter can be rated twice')
    await shot('mailbox-rated')
    const wide2 = await page.evaluate(() => document.documentElement.scrollWidth)
    if (wide2 > 390) throw new Error(`the letter's page is ${wide2} px wide on a 390 px phone`)
    // the rating is the order's callback, by the citizen
    await asUser(page, base, 'disp', async (call) => {
      const o = await call('GET', `/api/v1/orders/${number}`)
      if (!o.history.some((e) => e.op === 'callback' && e.result === 'satisfied' && e.actor === 'citizen'))
        throw new Error(`no citizen's callback in the history: ${JSON.stringify(o.history.map((e) => [e.op, e.actor, e.result]))}`)
    })
  }, { device: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } }],
  ...seededTests({ login, logout, password, fixtures: path.join(SHARED, 'fixtures/bulletin-2024-05'), art: ART }),
]

async function main() {
  fs.rmSync(ART, { recursive: true, force: true })
  fs.mkdirSync(ART, { recursive: true })
  if (!fs.existsSync(path.join(WEB, 'index.html'))) throw new Error(`${WEB}/index.html missing: make web`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-e2e-'))
  const dirs = { small: path.join(dir, 'small'), seeded: path.join(dir, 'seeded') }
  Object.values(dirs).forEach((d) => fs.mkdirSync(d))
  // the seeded database is made while the first tests run
  const seeded = seedDb(dirs.seeded)
  seeded.catch(() => {})
  const servers = {}
  const serverFor = async (name) => {
    if (!servers[name]) servers[name] = startServer(BIN, dirs[name], await (name === 'seeded' ? seeded : smallDb(dirs.small)), CONFIG)
    return servers[name]
  }
  let browser = null
  let passed = 0
  let failed = 0
  try {
    browser = await chromium.launch({
      executablePath: CHROME,
      args: CHROME_ARGS,
    })
    const ctx = {}
    for (const [i, [name, fn, opts = {}]] of tests.entries()) {
      // E2E_ONLY=regex runs the tests whose names match (while working on them)
      if (process.env.E2E_ONLY && !new RegExp(process.env.E2E_ONLY).test(name)) continue
      let base
      try {
        base = `http://127.0.0.1:${(await serverFor(opts.server || 'small')).port}`
      } catch (e) {
        failed++
        console.log(`e2e: FAIL ${name}\n  the ${opts.server || 'small'} server: ${String(e.stack || e).split('\n').join('\n  ')}`)
        continue
      }
      const context = await browser.newContext({
        viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true, ...opts.device,
      })
      const page = await context.newPage()
      page.setDefaultTimeout(STEP_MS)
      const errors = []
      // a test may expect one kind of console error (allow(re)); any other fails it
      const allowed = []
      const allow = (re) => allowed.push(re)
      page.on('console', (m) => m.type() === 'error' && !allowed.some((re) => re.test(m.text())) && errors.push(`console: ${m.text()}`))
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`))
      // the API's error answers, shown when the test fails
      const refused = []
      page.on('response', (r) => r.status() >= 400 && r.url().includes('/api/') &&
        r.text().then((t) => refused.push(`${r.status()} ${r.request().method()} ${r.url()} ${r.request().postData() || ""} → ${t.slice(0, 300)}`), () => {}))
      // (after Element Plus's 0.3 s enter transitions)
      // and no el-* element left unresolved on the screen (not registered)
      const shot = async (label) => {
        await page.waitForTimeout(350)
        await page.screenshot({ path: path.join(ART, `${String(i + 1).padStart(2, '0')}-${label}.png`), fullPage: true })
        const raw = await page.evaluate(() => [...new Set([...document.querySelectorAll('*')].map((e) => e.localName).filter((n) => n.startsWith('el-')))])
        if (raw.length && label !== 'FAILED') errors.push(`unregistered components on ${label}: ${raw.join(', ')}`)
      }
      const t0 = Date.now()
      try {
        await fn(page, base, shot, ctx, allow)
        if (errors.length) throw new Error(errors.join('\n'))
        passed++
        console.log(`e2e: PASS ${name} (${Date.now() - t0} ms)`)
      } catch (e) {
        failed++
        await shot('FAILED').catch(() => {})
        console.log(`e2e: FAIL ${name}\n  ${String(e.stack || e).split('\n').join('\n  ')}`)
        if (errors.length) console.log(`  ${errors.join('\n  ')}`)
        if (refused.length) console.log(`  API errors:\n  ${refused.join('\n  ')}`)
      }
      await context.close()
    }
  } finally {
    if (browser) await browser.close().catch(() => {})
    await seeded.catch(() => {})
    for (const [name, started] of Object.entries(servers)) {
      try {
        await stopServer(await started)
      } catch (e) {
        failed++
        console.log(`e2e: FAIL ${name} server: ${e.message}`)
      }
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

main().catch((e) => {
  console.log(`e2e: FAIL setup: ${e.stack || e}`)
  console.log('e2e: 0 passed, 1 failed')
  process.exit(1)
})
