// labels.js — the Chinese names of the API's enumerations, and small formatters.
export const CHANNELS = { hotline: '12345 热线', mailbox: '市长信箱' }
export const LINES = { general: '普通', npc: '人大代表专线', enterprise: '政企通', tourism: '旅游专线' }
export const NATURES = {
  consult: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬',
}
export const URGENCIES = { normal: '一般', urgent: '紧急' }
export const STATES = { new: '待派单', dispatched: '已派单', signed: '已签收', replied: '已答复', closed: '已办结' }
export const STATE_TAGS = { new: 'warning', dispatched: 'primary', signed: 'primary', replied: 'success', closed: 'info' }
export const SOURCES = {
  hotline: ['电话', '短信', '微信公众号'],
  mailbox: [
    '门户网站', '微信公众号', '红网留言板', '政务服务投诉', '政协委员微建议',
    '国务院客户端总理留言', '国家政务服务平台', '人民网', '省长信箱', '湘易办',
  ],
}
export const RESULTS = {
  accept: '办结', return: '返工', satisfied: '满意', basically_satisfied: '基本满意',
  dissatisfied: '不满意', unreachable: '联系不上', upheld: '属实', excluded: '不属实（排除）',
}

export const options = (map) => Object.entries(map).map(([value, label]) => ({ value, label }))
export const label = (map, v) => (v == null ? '—' : map[v] || v)

/* "2024-05-06T09:30:00+08:00" → "2024-05-06 09:30" (the server's own offset, as given). */
export function fmtTime(t) {
  if (!t) return '—'
  return String(t).replace('T', ' ').slice(0, 16)
}

/* A knowledge-base snippet: matched stretches are in 【】; split it into
 * parts so that the template can mark them without any HTML from the text. */
export function snippetParts(s) {
  const parts = []
  const re = /【([^】]*)】/g
  let last = 0
  let m
  while ((m = re.exec(s || ''))) {
    if (m.index > last) parts.push({ text: s.slice(last, m.index), hit: false })
    parts.push({ text: m[1], hit: true })
    last = re.lastIndex
  }
  if (last < (s || '').length) parts.push({ text: s.slice(last), hit: false })
  return parts
}
