import { createRouter, createWebHistory } from 'vue-router'
import { api, session, setUnauthenticatedHandler } from './api.js'
import { MENU, homeFor } from './menu.js'
import Layout from './views/Layout.vue'
import Login from './views/Login.vue'

const Queue = () => import('./views/QueuePage.vue')
const Assessment = () => import('./views/manager/Assessment.vue')
const rolesOf = (path) => (MENU.find((m) => m.path === path) || {}).roles

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', component: Login, meta: { public: true, title: '登录' } },
    { path: '/mailbox/:code?', component: () => import('./views/Mailbox.vue'), meta: { public: true, title: '市长信箱' } },
    {
      path: '/',
      component: Layout,
      children: [
        // the role's first screen (decided in the guard, once the session is known)
        { path: '', name: 'home', component: { render: () => null } },
        { path: 'workbench', component: () => import('./views/Workbench.vue'), meta: { title: '工作台', roles: rolesOf('/workbench') } },
        { path: 'dispatch', component: () => import('./views/DispatchQueue.vue'), meta: { title: '待派单', roles: rolesOf('/dispatch') } },
        { path: 'review', component: Queue, props: { queue: 'review', title: '审核', hint: '已答复、待审核的工单', ops: ['review'], tag: 'success', actionsWidth: 200 }, meta: { title: '审核', roles: rolesOf('/review') } },
        { path: 'requests', component: Queue, props: { queue: 'requests', title: '申请审批', hint: '承办单位的退单、延期申请', ops: ['decision'], tag: 'warning', actionsWidth: 220 }, meta: { title: '申请审批', roles: rolesOf('/requests') } },
        { path: 'verify', component: Queue, props: { queue: 'verify', title: '核实', hint: '回访不满意、待核实的工单', ops: ['verify', 'supervise'], tag: 'danger', actionsWidth: 260 }, meta: { title: '核实', roles: rolesOf('/verify') } },
        { path: 'supervision', component: Queue, props: { queue: 'supervision', title: '督办', hint: '督办中的工单', ops: ['supervise', 'rectified'], tag: 'danger', actionsWidth: 180 }, meta: { title: '督办', roles: rolesOf('/supervision') } },
        { path: 'callback', component: Queue, props: { queue: 'callback', title: '回访', hint: '已办结、尚未回访的工单', ops: ['callback'], tag: 'primary', actionsWidth: 300 }, meta: { title: '回访', roles: rolesOf('/callback') } },
        { path: 'inbox', component: () => import('./views/Inbox.vue'), meta: { title: '单位收件箱', roles: rolesOf('/inbox') } },
        { path: 'orders', component: () => import('./views/Orders.vue'), meta: { title: '工单', roles: rolesOf('/orders') } },
        { path: 'orders/:number', component: () => import('./views/OrderDetail.vue'), props: true, meta: { title: '工单详情', roles: rolesOf('/orders') } },
        { path: 'kb', component: () => import('./views/KbPage.vue'), meta: { title: '知识库检索', roles: rolesOf('/kb') } },
        { path: 'hotspots', component: () => import('./views/HotSpots.vue'), meta: { title: '热点焦点', roles: rolesOf('/hotspots') } },
        { path: 'bulletin', component: () => import('./views/BulletinPage.vue'), meta: { title: '工作通报', roles: rolesOf('/bulletin') } },
        { path: 'dashboard', component: () => import('./views/manager/Dashboard.vue'), meta: { title: '统计看板', roles: rolesOf('/dashboard') } },
        { path: 'assessment', component: Assessment, meta: { title: '考核结果', roles: rolesOf('/assessment') } },
        { path: 'rankings', component: Assessment, props: { ranking: true }, meta: { title: '考核排名', roles: rolesOf('/rankings') } },
        { path: 'ledger', component: () => import('./views/manager/Ledger.vue'), meta: { title: '加扣分', roles: rolesOf('/ledger') } },
        { path: 'kb-reminders', component: () => import('./views/KbReminders.vue'), meta: { title: '知识库复核', roles: rolesOf('/kb-reminders') } },
        { path: 'admin/users', component: () => import('./views/admin/Users.vue'), meta: { title: '用户与角色', roles: rolesOf('/admin/users') } },
        { path: 'admin/units', component: () => import('./views/admin/Units.vue'), meta: { title: '单位树', roles: rolesOf('/admin/units') } },
        { path: 'admin/rules', component: () => import('./views/admin/Rules.vue'), meta: { title: '规则', roles: rolesOf('/admin/rules') } },
        { path: 'admin/calendar', component: () => import('./views/admin/Calendar.vue'), meta: { title: '工作日历', roles: rolesOf('/admin/calendar') } },
        { path: 'audit', component: () => import('./views/admin/Audit.vue'), meta: { title: '审计日志', roles: rolesOf('/audit') } },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (!session.checked) await api.loadSession()
  if (to.meta.public) return session.user && to.path === '/login' ? { path: '/' } : true
  if (!session.user) return { path: '/login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  if (to.name === 'home' || (to.meta.roles && !to.meta.roles.includes(session.user.role)))
    return { path: homeFor(session.user.role), replace: true }
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title ? to.meta.title + ' - ' : ''}12345 政务服务热线平台`
})

setUnauthenticatedHandler(() => {
  const cur = router.currentRoute.value
  if (!cur.meta.public) router.replace({ path: '/login', query: { redirect: cur.fullPath } })
})

export default router
