// api.js — the one client of the hotline JSON API (/api/v1, docs/openapi.yaml).
//
// The session cookie is HttpOnly: the page never sees it.  The CSRF token the
// login answer (or GET /api/v1/session) gives is kept here and sent as
// X-CSRF-Token on every state-changing request.  An error answer
// {code, message} is shown with ElMessage.error(message) and thrown as an
// ApiError; a 401 outside the login sends the user back to the login page.
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'

export const session = reactive({ user: null, csrf: null, checked: false })

// Whether this browser logged in (the cookie itself cannot be read): without
// it the page goes straight to the login form instead of asking the server
// and getting a 401 for it.
const MARK = 'hotline.loggedIn'
const marked = () => {
  try {
    return localStorage.getItem(MARK) === '1'
  } catch (e) {
    return true
  }
}
const mark = (on) => {
  try {
    if (on) localStorage.setItem(MARK, '1')
    else localStorage.removeItem(MARK)
  } catch (e) {
    /* storage disabled: always ask the server */
  }
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message)
    this.status = status
    this.code = code
  }
}

let onUnauthenticated = () => {}
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn
}

function query(params) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params || {}))
    if (v !== undefined && v !== null && v !== '') q.append(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}

/* request(method, path, {params, body, headers, quiet}) → parsed JSON answer.
 * quiet: do not show the error (the caller handles it). */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) }
  const init = { method, headers, credentials: 'same-origin' }
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  }
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf
  let res
  try {
    res = await fetch(path + query(opts.params), init)
  } catch (e) {
    const err = new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
    if (!opts.quiet) ElMessage.error(err.message)
    throw err
  }
  const text = await res.text()
  let data = null
  try {
    data = text ? JSON.parse(text) : null
  } catch (e) {
    data = null
  }
  if (!res.ok) {
    const err = new ApiError(
      res.status,
      (data && data.code) || `http_${res.status}`,
      (data && data.message) || `请求失败（HTTP ${res.status}）`,
    )
    if (res.status === 401 && path !== '/api/v1/session') {
      session.user = null
      session.csrf = null
      mark(false)
      onUnauthenticated()
    }
    if (!opts.quiet) ElMessage.error(err.message)
    throw err
  }
  return data
}

/* GET a file (not JSON) as a Blob; errors as request() reports them. */
async function download(path, params) {
  const res = await fetch(path + query(params), { credentials: 'same-origin' }).catch(() => null)
  if (res && res.ok) return res.blob()
  let data = null
  try {
    data = res ? await res.json() : null
  } catch (e) {
    data = null
  }
  const err = new ApiError(res ? res.status : 0, (data && data.code) || 'download', (data && data.message) || '下载失败')
  ElMessage.error(err.message)
  throw err
}

export const api = {
  get: (path, params, opts = {}) => request('GET', path, { ...opts, params }),
  post: (path, body, opts = {}) => request('POST', path, { ...opts, body }),
  put: (path, body, opts = {}) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts = {}) => request('PATCH', path, { ...opts, body }),

  // session
  async loadSession() {
    if (!marked()) {
      session.checked = true
      return null
    }
    try {
      const s = await request('GET', '/api/v1/session', { quiet: true })
      session.user = s.user
      session.csrf = s.csrf
    } catch (e) {
      session.user = null
      session.csrf = null
      mark(false)
    }
    session.checked = true
    return session.user
  },
  async login(name, password) {
    const s = await request('POST', '/api/v1/session', { body: { name, password } })
    session.user = s.user
    session.csrf = s.csrf
    session.checked = true
    mark(true)
    return s.user
  },
  async logout() {
    try {
      await request('DELETE', '/api/v1/session', { quiet: true })
    } finally {
      session.user = null
      session.csrf = null
      mark(false)
    }
  },

  // intake and orders
  createAppeal: (body, idempotencyKey) =>
    request('POST', '/api/v1/appeals', {
      body,
      headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {},
    }),
  callerAppeals: (phone, params) =>
    request('GET', `/api/v1/callers/${encodeURIComponent(phone)}/appeals`, { params, quiet: true }),
  orders: (params) => request('GET', '/api/v1/orders', { params }),
  order: (number, opts = {}) => request('GET', `/api/v1/orders/${encodeURIComponent(number)}`, opts),
  queue: (name, params) => request('GET', `/api/v1/queues/${encodeURIComponent(name)}`, { params }),
  action: (number, op, version, body = {}) =>
    request('POST', `/api/v1/orders/${encodeURIComponent(number)}/actions/${op}`, {
      body: { ...body, version },
      headers: { 'If-Match': `"${version}"` },
    }),

  // reference data
  units: () => request('GET', '/api/v1/units'),
  kbSearch: (q, params = {}) => request('GET', '/api/v1/kb/search', { params: { q, ...params } }),
  // the category tree (data/categories.tsv; public, no login), flattened to
  // one entry per category as the pickers group it: {group, service_name, code}
  async categories() {
    const r = await request('GET', '/api/v1/categories', { quiet: true })
    return r.items.flatMap((g) => g.children.map((c) => ({ group: g.name, service_name: c.name, code: c.code })))
  },
  // the same as cascader options: [{value, label, children: [{value, label}]}]
  async categoryTree() {
    const r = await request('GET', '/api/v1/categories', { quiet: true })
    return r.items.map((g) => ({ value: g.name, label: g.name, children: g.children.map((c) => ({ value: c.name, label: c.name })) }))
  },
  assessmentXlsx: (params) => download('/api/v1/assessment.xlsx', params),
}
