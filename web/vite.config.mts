import { defineConfig } from 'vite';

/**
 * The web UI, built into web/dist (`npm run build:web`) and served by the API process at /. During UI work,
 * `npx vite web` serves it with hot reload and forwards /api to the API on port 3000.
 */
export default defineConfig({
  base: '/',
  // React's automatic JSX runtime through Vite's built-in oxc transform: no plugin needed for a production build.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
