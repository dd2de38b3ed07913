import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // Parsing runs in worker_threads; the pool loads this entry beside index.js.
          'parse-worker': resolve('src/core/importer/parse-worker.ts'),
          // The renderer's App compiled for the server: the window's first frame is rendered
          // into index.html before the page runs (src/host/prerendered-index.ts).
          prerender: resolve('src/renderer/src/prerender.ts')
        }
      }
    },
    // Server output needs no CSS: the page's own stylesheet has the same scoped classes.
    plugins: [svelte({ configFile: resolve('svelte.config.js'), emitCss: false })]
  },
  preload: {
    build: {
      // A sandboxed preload must be a single CommonJS file that requires only 'electron'.
      externalizeDeps: false,
      // It carries the API table (its method list) and runs before every window's page.
      minify: true,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      // electron-vite leaves bundles unminified; the renderer's parse time is first-paint time.
      minify: true,
      // One stylesheet, linked from index.html: a prerendered window's markup needs every
      // component's styles before the app's code (and its chunks' styles) has loaded.
      cssCodeSplit: false,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') })]
  }
})
