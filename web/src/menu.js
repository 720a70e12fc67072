// menu.js — the side menu, by role (../shared/spec/roles.md).
//   工作台      create appeal: operator, dispatcher
//   待派单      dispatch: dispatcher
//   单位收件箱  sign, reply … own orders: unit_handler, unit_admin
//   工单        read orders: all but kb_owner (unit roles: their subtree)
//   知识库检索  kb search: every role
export const MENU = [
  { path: '/workbench', title: '工作台', roles: ['operator', 'dispatcher'] },
  { path: '/dispatch', title: '待派单', roles: ['dispatcher'] },
  { path: '/inbox', title: '单位收件箱', roles: ['unit_handler', 'unit_admin'] },
  {
    path: '/orders', title: '工单',
    roles: ['operator', 'dispatcher', 'callback', 'supervisor', 'unit_handler', 'unit_admin', 'manager', 'admin'],
  },
  {
    path: '/kb', title: '知识库检索',
    roles: ['operator', 'dispatcher', 'callback', 'supervisor', 'unit_handler', 'unit_admin', 'kb_owner', 'manager', 'admin'],
  },
]

export const menuFor = (role) => MENU.filter((m) => m.roles.includes(role))
export const homeFor = (role) => (menuFor(role)[0] || { path: '/kb' }).path
