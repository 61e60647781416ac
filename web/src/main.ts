import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { router } from './router'
import { onSessionLost } from './api/client'
import { useAuth } from './stores/auth'

const app = createApp(App)
app.use(createPinia())
app.use(router)

// A 401 from any call while logged in: the session ended (idle timeout,
// logout on another device, password changed elsewhere): back to the login.
onSessionLost(() => {
  const auth = useAuth()
  if (!auth.user) return
  auth.forget('登录已超时或已在别处退出，请重新登录。')
  const current = router.currentRoute.value
  void router.push({ name: 'login', query: current.meta.public ? {} : { redirect: current.fullPath } })
})

app.mount('#app')
