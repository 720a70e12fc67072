// tests/e2e/seeded.mjs — the browser tests of the manager's, the admin's and
// the knowledge-base owner's screens, on a server holding the seed
// bulletin's history (shared/tools/seed-events.py): its May 2024 assessment
// as of 2024-06-24 is annexes 1 and 2 of the bulletin, which the fixtures
// hold, so the tables in the browser are compared with them.  run.mjs runs
// these after its own tests, each test in a fresh browser context.
import fs from 'node:fs'
import path from 'node:path'

const MONTH = '2024-05'
const AS_OF = '2024-06-24T00:00:00' // Beijing time: the context's time zone is Asia/Shanghai

// the seeded server's knowledge base and users (units of seed-events.py's registry)
export const SEEDED = {
  kb: 'id\ttitle\tbody\tcategory\towner_unit\tvalid_from\tvalid_to\treview_days\n' +
    'KB-0101\t城区道路积水的报修渠道\t城区道路积水可向住建部门报修，汛期实行24小时值守。\t城乡建设类 › 市政设施\tU002\t\t\t30\n',
  users: [['mgr', 'manager', null], ['adm', 'admin', null], ['kbo', 'kb_owner', 'U002']],
  // a review reminder for the article (its 30 days have run out by then)
  remind: '2027-01-01T00:00:00+08:00',
}

// The bulletin's names the registry spells otherwise (seed-events.py's ALIAS).
const ALIAS = {
  国家金融监督管理总局: '国家金融监督管理总局岳阳监管分局',
  '国家金融监督管理总局 岳阳监管分局': '国家金融监督管理总局岳阳监管分局',
}

// The fixture's rows of one channel by unit (the seed lists 城陵矶新港区
// twice in annex 1: the registry has it once, as a county).
function fixture(dir, channel) {
  const [head, ...lines] = fs.readFileSync(path.join(dir, `${channel}-assessment.tsv`), 'utf8').trim().split('\n')
  const cols = head.split('\t')
  const rows = new Map()
  for (const line of lines) {
    const r = Object.fromEntries(line.split('\t').map((v, i) => [cols[i], v]))
    r.unit = ALIAS[r.unit] || r.unit
    if (!rows.has(r.unit)) rows.set(r.unit, r)
  }
  return rows
}

// The body rows of the element-plus table under `sel`, as arrays of cell texts.
const tableRows = (page, sel) =>
  page.$$eval(`${sel} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())))

const num = (s) => parseFloat(String(s).replace('%', ''))

// The assessment table (columns as Assessment.vue lays them out) against the fixture.
async function compareAssessment(page, dir, channel) {
  const want = fixture(dir, channel)
  const mood = channel === 'mailbox' ? 'satisfied' : 'dissatisfied' // the annexes' column
  const got = new Map((await tableRows(page, '[data-test=assessment-table]')).map((c) => [c[1], c]))
  if (got.size !== want.size) throw new Error(`${channel}: ${got.size} units in the table, the annex has ${want.size}`)
  for (const [unit, w] of want) {
    const c = got.get(unit)
    if (!c) throw new Error(`${channel}: ${unit} is not in the table`)
    const pairs = [['due', c[2]], ['done', c[3]], ['done_rate', c[4]], ['on_time', c[5]], ['on_time_rate', c[6]],
      ['rework', c[7]], ['rework_rate', c[8]], [mood, c[10]], [`${mood}_rate`, c[11]], ['index', c[12]]]
    for (const [k, v] of pairs)
      if (num(v) !== num(w[k])) throw new Error(`${channel}: ${unit} ${k} is ${v} in the table, ${w[k]} in the annex`)
    if (c[13] !== w.grade) throw new Error(`${channel}: ${unit} grade ${c[13]}, the annex says ${w.grade}`)
  }
}

export function seededTests({ login, logout, password, fixtures, art }) {
  return [
    ['admin: users and roles (a unit handler added), unit tree (a sub-unit added), rules checked by the server, calendar', async (page, base, shot, ctx, allow) => {
      await login(page, base, 'adm')
      await page.waitForURL(/\/admin\/users$/)
      const menu = await page.locator('.el-menu-item').allTextContents()
      for (const want of ['用户与角色', '单位树', '规则', '工作日历', '审计日志'])
        if (!menu.includes(want)) throw new Error(`admin's menu lacks ${want}: ${menu.join('|')}`)
      // a unit handler of 屈原管理区 (U001)
      await page.click('[data-test=user-add]')
      await page.fill('[data-test=user-name]', 'hs')
      await page.locator('[data-test=user-role]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '承办人' }).first().click()
      await page.locator('[data-test=user-unit]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '屈原管理区' }).first().click()
      await page.fill('[data-test=user-password]', password('hs'))
      await page.click('[data-test=user-save]')
      const row = page.locator('[data-test=users-table] tr', { hasText: 'hs' }).filter({ hasText: '屈原管理区' })
      await row.waitFor()
      await shot('admin-users')

      // a sub-unit under 屈原管理区
      await page.click('.el-menu-item:has-text("单位树")')
      const units = page.locator('[data-test=units-table]')
      const parent = units.locator('tr', { hasText: '屈原管理区' }).first()
      await parent.waitFor()
      await parent.locator('button:has-text("加下级")').click()
      await page.fill('[data-test=unit-code]', 'U001-9')
      await page.fill('[data-test=unit-name]', '屈原管理区营田镇')
      await page.click('[data-test=unit-save]')
      await page.locator('.el-message--success', { hasText: '已保存' }).first().waitFor()
      await page.fill('input[placeholder="按名称或代码筛选"]', '营田镇')
      await units.locator('tr', { hasText: 'U001-9' }).waitFor()
      await shot('admin-units')

      // rules: bad JSON is caught in the page, a bad document by the server (400)
      await page.click('.el-menu-item:has-text("规则")')
      const rules = page.locator('[data-test=rules-text]')
      // (the text arrives after the page: wait for it, not just for the box)
      await page.waitForFunction((sel) => (document.querySelector(sel)?.value || '').length > 2, '[data-test=rules-text]')
      const text = await rules.inputValue()
      if (!JSON.parse(text)) throw new Error('no rules shown')
      await rules.fill(text + ',')
      await page.locator('[data-test=rules-parse-error]').waitFor()
      if (await page.locator('[data-test=rules-save]').isEnabled()) throw new Error('malformed JSON can be saved')
      await rules.fill('{"assessment": 1}')
      allow(/Failed to load resource: the server responded with a status of 400/)
      await page.click('[data-test=rules-save]')
      await page.locator('[data-test=rules-server-error]').waitFor()
      await shot('admin-rules')

      // the calendar of 2024: the May Day holidays
      await page.click('.el-menu-item:has-text("工作日历")')
      await page.locator('[data-test=calendar-text]').waitFor()
      await page.goto(`${base}/admin/calendar?year=2024`)
      await page.locator('.el-tag', { hasText: '2024-05-02' }).first().waitFor()
      await shot('admin-calendar')
      await logout(page)
    }, { server: 'seeded' }],

    ['unit handler: the own unit\'s orders, a citizen unmasked with a reason (audited)', async (page, base, shot) => {
      await login(page, base, 'hs')
      await page.waitForURL(/\/inbox$/)
      await page.click('.el-menu-item:has-text("工单")')
      const first = page.locator('[data-test=order-table] tbody tr').first()
      await first.waitFor()
      const number = (await first.locator('a').first().textContent()).trim()
      await first.locator('a').first().click()
      await page.waitForURL(new RegExp(`/orders/${number}$`))
      await page.locator('[data-test=order-content]').waitFor()
      if ((await page.locator('body').textContent()).includes('13800000000')) throw new Error('the phone is shown in clear before unmasking')
      await page.click('[data-test=unmask]')
      await page.locator('.el-message-box input').fill('回访核对联系方式')
      await page.click('.el-message-box button:has-text("确定")')
      await page.locator('text=13800000000').first().waitFor()
      await shot('unmasked')
      await logout(page)
    }, { server: 'seeded' }],

    ['knowledge-base owner: its review reminder, answered', async (page, base, shot) => {
      await login(page, base, 'kbo')
      await page.waitForURL(/\/kb-reminders$/)
      const row = page.locator('[data-test=reminders-table] tr', { hasText: '城区道路积水的报修渠道' })
      await row.waitFor()
      await shot('kb-reminders')
      await row.locator('[data-test=reminder-confirm]').click()
      await page.locator('.el-message--success', { hasText: '已答复' }).first().waitFor()
      await row.waitFor({ state: 'detached' })
      await logout(page)
    }, { server: 'seeded' }],

    ['manager: dashboard, annexes 1 and 2 equal to the bulletin (sorted, exported), rankings, ledger, audit log', async (page, base, shot) => {
      await login(page, base, 'mgr')
      await page.waitForURL(/\/dashboard$/)
      // the month of the newest order (the seed's May 2024) and its figures
      const figures = await (await page.request.get(`${base}/api/v1/figures?month=${MONTH}`)).json()
      const contacts = String(figures.hotline.contacts + figures.mailbox.contacts)
      await page.locator('[data-test=stat-contacts] .stat-value', { hasText: contacts }).waitFor()
      await page.locator('[data-test=trend][data-ready=true]').waitFor()
      const canvases = await page.locator('[data-test=dashboard] canvas').count()
      if (canvases < 4) throw new Error(`${canvases} charts drawn on the dashboard`)
      await shot('dashboard')

      await page.goto(`${base}/assessment?month=${MONTH}&as_of=${AS_OF}`)
      await page.locator('[data-test=assessment-summary]', { hasText: '回放历史' }).waitFor()
      await compareAssessment(page, fixtures, 'hotline')
      await shot('assessment-hotline')
      // sortable: 应办件 ascending, then descending
      const header = page.locator('[data-test=assessment-table] th', { hasText: '应办件' })
      for (const [dir, caret] of [[1, 'ascending'], [-1, 'descending']]) {
        await header.click()
        let due = []
        for (let t = 0; t < 20; t++, await page.waitForTimeout(100)) {
          due = (await tableRows(page, '[data-test=assessment-table]')).map((c) => +c[2])
          if (due.length > 1 && !due.some((d, i) => i && (d - due[i - 1]) * dir < 0)) break
        }
        if (due.some((d, i) => i && (d - due[i - 1]) * dir < 0)) throw new Error(`not sorted by 应办件 (${caret}): ${due.join(',')}`)
      }
      // the workbook, from the server
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')])
      const file = path.join(art, `assessment-${MONTH}-hotline.xlsx`)
      await download.saveAs(file)
      const head = fs.readFileSync(file).subarray(0, 2).toString()
      if (head !== 'PK' || fs.statSync(file).size < 2000) throw new Error('the export is not an xlsx workbook')
      const mailbox = page.waitForResponse((r) => r.url().includes('/api/v1/assessment?') && r.url().includes('channel=mailbox'))
      await page.click('[data-test=channel] label:has-text("市长信箱")')
      await mailbox
      // (the hotline's rows until the answer is drawn)
      const units = fixture(fixtures, 'mailbox').size
      await page.waitForFunction((n) => document.querySelectorAll('[data-test=assessment-table] tbody tr').length === n, units)
      await compareAssessment(page, fixtures, 'mailbox')
      await shot('assessment-mailbox')

      // rankings: 1, 2, 3 … within each kind
      await page.goto(`${base}/rankings?month=${MONTH}&as_of=${AS_OF}`)
      await page.locator('[data-test=rank-county] .el-table__body-wrapper tr').first().waitFor()
      for (const kind of ['county', 'agency']) {
        const ranks = (await tableRows(page, `[data-test=rank-${kind}]`)).map((c) => +c[0])
        if (!ranks.length || ranks[0] !== 1 || ranks.some((r, i) => i && r < ranks[i - 1])) throw new Error(`${kind} ranks: ${ranks.join(',')}`)
      }
      await shot('rankings')

      // the ledger: the rules' proposals, one confirmed, one dropped, one added by hand
      await page.click('.el-menu-item:has-text("加扣分")')
      await page.waitForURL(/\/ledger$/)
      await page.click('[data-test=ledger-propose]')
      await page.locator('.el-message--success', { hasText: '条建议' }).first().waitFor()
      const proposed = page.locator('[data-test=ledger-table] tr', { hasText: '待确认' })
      await proposed.first().waitFor()
      const before = await proposed.count()
      if (before < 2) throw new Error(`${before} proposals`)
      await proposed.first().locator('[data-test=ledger-confirm]').click()
      await page.locator('.el-message--success', { hasText: '已确认' }).first().waitFor()
      await page.waitForFunction((n) => document.querySelectorAll('[data-test=ledger-table] .el-table__body-wrapper tr').length &&
        [...document.querySelectorAll('[data-test=ledger-table] .el-table__body-wrapper tr')].filter((tr) => tr.textContent.includes('待确认')).length === n, before - 1)
      await proposed.first().locator('[data-test=ledger-drop]').click()
      await page.locator('[data-test=ledger-table] tr', { hasText: '已作废' }).first().waitFor()
      await page.click('[data-test=ledger-add]')
      await page.locator('[data-test=ledger-unit]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '岳阳县' }).first().click()
      await page.fill('[data-test=ledger-indicator]', '媒体曝光')
      await page.fill('[data-test=ledger-detail]', '某媒体报道岳阳县某小区长期积水问题')
      await page.click('[data-test=ledger-save]')
      await page.locator('[data-test=ledger-table] tr', { hasText: '媒体曝光' }).filter({ hasText: '已确认' }).waitFor()
      await shot('ledger')

      // the audit log: the unit handler's unmasking with its reason
      await page.click('.el-menu-item:has-text("审计日志")')
      await page.locator('[data-test=audit-table] tr', { hasText: '回访核对联系方式' }).filter({ hasText: 'hs' }).waitFor()
      await shot('audit')
      await logout(page)
    }, { server: 'seeded' }],
  ]
}
