// paged.js — a server-side paginated list ({items, total, page, page_size}).
import { reactive } from 'vue'

export function usePaged(fetch, pageSize = 20) {
  const s = reactive({ items: [], total: 0, page: 1, pageSize, loading: false })
  async function load(page) {
    if (page) s.page = page
    s.loading = true
    try {
      const r = await fetch({ page: s.page, page_size: s.pageSize })
      s.items = r.items
      s.total = r.total
      // the page asked for is past the end (the list shrank): show the last one
      if (!r.items.length && r.total > 0 && s.page > 1) return load(Math.ceil(r.total / s.pageSize))
    } catch (e) {
      s.items = []
    } finally {
      s.loading = false
    }
  }
  function setSize(n) {
    s.pageSize = n
    load(1)
  }
  return { s, load, setSize }
}
