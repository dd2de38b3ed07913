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
          'parse-worker': resolve('src/main/core/importer/parse-worker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload must be a single CommonJS file that requires only 'electron'.
      externalizeDeps: false,
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
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') })]
  }
})
