import { createApp } from 'vue'
import { installElement } from './element.js'
import './style.css'
import App from './App.vue'
import router from './router.js'

const app = createApp(App)
installElement(app)
app.use(router)
app.mount('#app')
