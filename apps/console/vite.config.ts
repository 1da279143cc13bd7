import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by memgate at /console: hashed assets under /console/assets, long-cached by the server.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    // The strict CSP on /console allows no inline script; Vite's module entry is external anyway.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: {
    // `pnpm --filter @memgate/console dev` against a server on the default port.
    proxy: { '/graphql': { target: 'http://127.0.0.1:8283', ws: true, changeOrigin: true } },
  },
});
