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
//   统计看板    dashboard (figures, assessment): manager, supervisor, admin
//   考核结果/考核排名  annexes 1 and 2, ranks by kind: manager, supervisor, admin
//   加扣分      the ledger (propose, add, confirm, drop): manager
//   知识库复核  review reminders: kb_owner (its unit's), manager and admin (all)
//   用户与角色、单位树、规则、工作日历: admin;  审计日志: manager, admin
// A role's home screen is the entry naming it in `home`, else its first entry.
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
  { path: '/dashboard', title: '统计看板', roles: ['manager', 'supervisor', 'admin'], home: ['manager'] },
  { path: '/assessment', title: '考核结果', roles: ['manager', 'supervisor', 'admin'] },
  { path: '/rankings', title: '考核排名', roles: ['manager', 'supervisor', 'admin'] },
  { path: '/ledger', title: '加扣分', roles: ['manager'] },
  { path: '/kb-reminders', title: '知识库复核', roles: ['kb_owner', 'manager', 'admin'], home: ['kb_owner'] },
  { path: '/admin/users', title: '用户与角色', roles: ['admin'], home: ['admin'] },
  { path: '/admin/units', title: '单位树', roles: ['admin'] },
  { path: '/admin/rules', title: '规则', roles: ['admin'] },
  { path: '/admin/calendar', title: '工作日历', roles: ['admin'] },
  { path: '/audit', title: '审计日志', roles: ['manager', 'admin'] },
]

export const menuFor = (role) => MENU.filter((m) => m.roles.includes(role))
export const homeFor = (role) =>
  (MENU.find((m) => m.home && m.home.includes(role)) || menuFor(role)[0] || { path: '/kb' }).path
