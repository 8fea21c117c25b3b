import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { loadEnv } from 'vite';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// Release and environment are fixed at build time, from the same SENTRY_* settings (environment or
// the repository's .env) the services read, so the browser's events match the backend's release.
// The DSN is not: /config.json supplies it at run time, so one build serves every deployment.
export default defineConfig(({ mode }) => {
  const env = { ...loadEnv(mode, root, 'SENTRY_'), ...process.env };
  return {
    plugins: [react()],
    define: {
      __SENTRY_RELEASE__: JSON.stringify(env.SENTRY_RELEASE || `casino@${pkg.version}`),
      __SENTRY_ENVIRONMENT__: JSON.stringify(env.SENTRY_ENVIRONMENT || (mode === 'production' ? 'production' : 'development')),
    },
    build: {
      // Source maps for uploading to Sentry, without a sourceMappingURL comment in the served bundle.
      sourcemap: 'hidden',
      target: 'es2022',
    },
    server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:8080', '/config.json': 'http://127.0.0.1:3000' } },
    test: { environment: 'jsdom', include: ['test/**/*.test.{ts,tsx}'] },
  };
});
