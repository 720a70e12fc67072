import { createRouter, createWebHistory } from 'vue-router'
import { api, session, setUnauthenticatedHandler } from './api.js'
import { MENU, homeFor } from './menu.js'
import Layout from './views/Layout.vue'
import Login from './views/Login.vue'

const rolesOf = (path) => (MENU.find((m) => m.path === path) || {}).roles

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', component: Login, meta: { public: true, title: '登录' } },
    {
      path: '/',
      component: Layout,
      children: [
        // the role's first screen (decided in the guard, once the session is known)
        { path: '', name: 'home', component: { render: () => null } },
        { path: 'workbench', component: () => import('./views/Workbench.vue'), meta: { title: '工作台', roles: rolesOf('/workbench') } },
        { path: 'dispatch', component: () => import('./views/DispatchQueue.vue'), meta: { title: '待派单', roles: rolesOf('/dispatch') } },
        { path: 'inbox', component: () => import('./views/Inbox.vue'), meta: { title: '单位收件箱', roles: rolesOf('/inbox') } },
        { path: 'orders', component: () => import('./views/Orders.vue'), meta: { title: '工单', roles: rolesOf('/orders') } },
        { path: 'orders/:number', component: () => import('./views/OrderDetail.vue'), props: true, meta: { title: '工单详情', roles: rolesOf('/orders') } },
        { path: 'kb', component: () => import('./views/KbPage.vue'), meta: { title: '知识库检索', roles: rolesOf('/kb') } },
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
