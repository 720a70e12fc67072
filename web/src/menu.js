// menu.js — the side menu, by role (../shared/spec/roles.md).
//   工作台      create appeal: operator, dispatcher
//   待派单      dispatch: dispatcher
//   审核        review replies (accept / return): dispatcher
//   申请审批    decide return / extension requests: dispatcher, manager
//   单位收件箱  sign, reply, request return / extension … own orders: unit_handler, unit_admin
//   核实        verify dissatisfied callbacks: supervisor, manager
//   督办        supervise, mark rectified (整改到位): supervisor, manager
//   回访        record callbacks: callback, supervisor
//   工单        read orders: all but kb_owner (unit roles: their subtree)
//   知识库检索  kb search: every role
//   热点焦点    hot spots of a window of appeals: supervisor, manager, admin
//   工作通报    the monthly bulletin: manager
// The first entry a role has is its home screen.
export const MENU = [
  { path: '/workbench', title: '工作台', roles: ['operator', 'dispatcher'] },
  { path: '/dispatch', title: '待派单', roles: ['dispatcher'] },
  { path: '/review', title: '审核', roles: ['dispatcher'] },
  { path: '/requests', title: '申请审批', roles: ['dispatcher', 'manager'] },
  { path: '/inbox', title: '单位收件箱', roles: ['unit_handler', 'unit_admin'] },
  { path: '/verify', title: '核实', roles: ['supervisor', 'manager'] },
  { path: '/supervision', title: '督办', roles: ['supervisor', 'manager'] },
  { path: '/callback', title: '回访', roles: ['callback', 'supervisor'] },
  {
    path: '/orders', title: '工单',
    roles: ['operator', 'dispatcher', 'callback', 'supervisor', 'unit_handler', 'unit_admin', 'manager', 'admin'],
  },
  {
    path: '/kb', title: '知识库检索',
    roles: ['operator', 'dispatcher', 'callback', 'supervisor', 'unit_handler', 'unit_admin', 'kb_owner', 'manager', 'admin'],
  },
  { path: '/hotspots', title: '热点焦点', roles: ['supervisor', 'manager', 'admin'] },
  { path: '/bulletin', title: '工作通报', roles: ['manager'] },
]

export const menuFor = (role) => MENU.filter((m) => m.roles.includes(role))
export const homeFor = (role) => (menuFor(role)[0] || { path: '/kb' }).path
