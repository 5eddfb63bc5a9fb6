import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web app (web/README.md). `npm run build` writes it to dist/web, which the gateway serves at `/`;
 * `npm run web:dev` serves it with hot reload and passes /graphql and /auth to a gateway on :4000.
 */
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Hashed file names under /assets: the gateway serves them as immutable.
    assetsDir: 'assets',
    sourcemap: true,
    rollupOptions: {
      // React Router marks its modules "use client" (for React Server Components); meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/graphql': { target: gateway, ws: true, changeOrigin: false },
      '/auth': { target: gateway, changeOrigin: false },
    },
  },
});
