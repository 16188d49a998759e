import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

/** The client is served by the Fastify server in production; in development Vite proxies the API to it. */
const apiTarget = process.env.GEZHI_API ?? 'http://localhost:8080'

export default defineConfig({
  plugins: [vue()],
  server: { port: 5173, proxy: { '/api': apiTarget, '/socket.io': { target: apiTarget, ws: true } } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2500, sourcemap: false },
})
