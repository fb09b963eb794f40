import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The renderer build: a static bundle the Electron protocol and the browser host both serve. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2023',
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
  },
  worker: { format: 'es' },
});
