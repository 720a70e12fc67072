// busy.js — one state-changing call from a screen: `busy` (a ref) holds `key`
// while fn runs, then false.  On success `ok` is shown (a text, or a function
// of fn's answer) and the answer returned (true when fn answers nothing); on
// an error null, after onError(e) when given (else api.js has shown it).
import { ElMessage } from 'element-plus'

export async function act(busy, key, fn, ok, onError) {
  busy.value = key
  try {
    const r = await fn()
    if (ok) ElMessage.success(typeof ok === 'function' ? ok(r) : ok)
    return r === undefined ? true : r
  } catch (e) {
    if (onError) onError(e)
    return null
  } finally {
    busy.value = false
  }
}
