import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { parse } from 'yaml';

/** openapi.yaml at the repository root (or beside the app in an image), found by walking up. */
export function findSpec(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'openapi.yaml');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('openapi.yaml not found');
  }
}

export function loadSpec(): Record<string, unknown> {
  return parse(readFileSync(findSpec(), 'utf8')) as Record<string, unknown>;
}

/** Swagger UI at /api-docs and the spec at /api-docs.json, both from openapi.yaml. */
export function docsRouter(spec: Record<string, unknown>): Router {
  const router = Router();
  router.get('/api-docs.json', (_req, res) => {
    res.json(spec);
  });
  router.use('/api-docs', swaggerUi.serve, swaggerUi.setup(spec, { customSiteTitle: 'Casino API' }));
  return router;
}
