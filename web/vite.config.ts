import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The built files are served by `taizhang serve --static-dir`: names carry a
// hex content hash of 16 digits (the server caches such names for a year as
// immutable, src/server/api.cc HasContentHash); no inline script or style
// (the server's CSP forbids them).
export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        hashCharacters: 'hex',
        entryFileNames: 'assets/[name]-[hash:16].js',
        chunkFileNames: 'assets/[name]-[hash:16].js',
        assetFileNames: 'assets/[name]-[hash:16][extname]',
        manualChunks(id) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus'
          // PDF.js: only the attachment preview loads it.
          if (id.includes('node_modules/pdfjs-dist')) return 'pdfjs'
          // ECharts only with the 统计 page (not in the first load of the list).
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          if (id.includes('node_modules/')) return 'vendor'
        },
      },
    },
  },
  server: {
    // `npm run dev`: the API of a `taizhang serve` on 127.0.0.1:8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
})
