// reports.js — what the manager's screens share: months, the assessment's
// labels, percentages as the server writes them.
import { api } from './api.js'

export const KINDS = { county: '区县（市）', agency: '市直部门', enterprise: '企事业单位' }
export const CHANNEL_ANNEX = { hotline: '附件1 · 12345 热线', mailbox: '附件2 · 市长信箱' }

/* "2024-05" of a Date (local time). */
export const monthOf = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`

/* The n months up to and including month ("2024-05"), oldest first. */
export function monthsUpTo(month, n) {
  const [y, m] = month.split('-').map(Number)
  return Array.from({ length: n }, (_, i) => monthOf(new Date(y, m - 1 - (n - 1 - i), 1)))
}

/* Where the data is: the month the order with the latest deadline (the
 * list's last) was created in; this month when there are no orders. */
export async function latestMonth() {
  try {
    const { total } = await api.get('/api/v1/orders', { page: 1, page_size: 1 }, { quiet: true })
    const size = total > 1000000 ? 200 : 1 // (pages are numbered up to 1,000,000)
    const r = total ? await api.get('/api/v1/orders', { page: Math.ceil(total / size), page_size: size }, { quiet: true }) : null
    if (r && r.items.length) return String(r.items[r.items.length - 1].created_at).slice(0, 7)
  } catch (e) {
    /* no orders to read: this month */
  }
  return monthOf(new Date())
}

/* The month the report screens show: the one last chosen in this browser,
 * else this month when it has orders (a count of this month's only), else
 * latestMonth() (a demo's past month; it counts every order, slow once on a
 * big database). */
const MONTH_KEY = 'hotline.month'
export async function reportMonth() {
  try {
    const m = localStorage.getItem(MONTH_KEY)
    if (/^\d{4}-\d\d$/.test(m || '')) return m
  } catch (e) {
    /* storage disabled */
  }
  const now = new Date()
  const from = asOf(`${monthOf(now)}-01T00:00:00`)
  const r = await api.get('/api/v1/orders', { from, page: 1, page_size: 1 }, { quiet: true }).catch(() => null)
  return r && r.total ? monthOf(now) : latestMonth()
}
export function keepMonth(m) {
  try {
    if (m) localStorage.setItem(MONTH_KEY, m)
  } catch (e) {
    /* storage disabled */
  }
}

/* "97.73%" → 97.73; "—" (no base) → null. */
export const pct = (s) => (typeof s === 'number' ? s : /^-?[\d.]+%$/.test(s || '') ? parseFloat(s) : null)

/* An RFC 3339 cut-off from the date picker's local "YYYY-MM-DDTHH:mm:ss" (null when none). */
export function asOf(local) {
  if (!local) return null
  const d = new Date(local)
  const off = -d.getTimezoneOffset()
  const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')
  const mm = String(Math.abs(off) % 60).padStart(2, '0')
  return `${local}${off >= 0 ? '+' : '-'}${hh}:${mm}`
}
