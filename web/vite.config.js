// The web application, built into web/dist and served by `hotline serve --web web/dist`.
// `npx vite` (dev server) forwards the API to a running `make run` (HOTLINE_API to change it).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const api = process.env.HOTLINE_API || 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  server: { proxy: { '/api': api, '/open311': api } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
})
