import { defineConfig } from 'vite';

/**
 * Nuage apps are static files served by the stack on their own origin. Preact's JSX is compiled by
 * esbuild (no plugin needed); asset names carry a content hash, so the stack can cache them forever.
 */
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
});
