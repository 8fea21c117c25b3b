import { ServiceClient } from '@casino/shared';
import { testDeps } from '@casino/shared/testing';
import request from 'supertest';
import { createApp } from '../src/app';
import {
  closeAll,
  documentedStatuses,
  expectObservedErrorsDocumented,
  FORWARDED_ROUTES,
  gateway,
  HTTP_METHODS,
  loadSpecFile,
  PLAYER_ROUTES,
  PUBLIC_ROUTES,
  type Spec,
  specPathOf,
} from './harness';

afterEach(closeAll);
afterAll(expectObservedErrorsDocumented);

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  rawPath?: unknown;
  handle: { stack?: Layer[] };
}

/** Every (METHOD, path) an Express app routes, found by walking its router stack; ':p' becomes '{p}'. */
function routesOf(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = (prefix + layer.route.path).replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods)
        .filter((method) => method !== '_all')
        .map((method) => `${method.toUpperCase()} ${path}`);
    }
    if (layer.handle.stack) return routesOf(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : String(layer.rawPath)));
    return [];
  });
}

function gatewayRoutes(): string[] {
  const deps = testDeps('gateway');
  const client = new ServiceClient({ service: 'none', baseUrl: 'http://127.0.0.1:9', timeoutMs: 100 });
  const app = createApp({ ...deps, upstreams: { user: client, game: client, payment: client, wager: client } });
  return routesOf((app as unknown as { router: { stack: Layer[] } }).router.stack);
}

function specOperations(spec: Spec): string[] {
  return Object.entries(spec.paths).flatMap(([path, item]) => HTTP_METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`));
}

function templateOf(spec: Spec, path: string): string {
  const template = specPathOf(spec, path.split('?')[0]!);
  if (!template) throw new Error(`openapi.yaml has no path for ${path}`);
  return template;
}

describe('gateway API documentation', () => {
  describe('serving it', () => {
    test('when /api-docs.json is fetched, then it is exactly openapi.yaml', async () => {
      const g = await gateway({ ownSpec: true });

      const res = await request(g.app).get('/api-docs.json');

      expect(res.status).toBe(200);
      expect(res.type).toBe('application/json');
      expect(res.body).toEqual(loadSpecFile());
    });

    test('when /api-docs/ is opened, then Swagger UI is served as HTML, and its script carries the document', async () => {
      const g = await gateway({ ownSpec: true });

      const page = await request(g.app).get('/api-docs/');
      const init = await request(g.app).get('/api-docs/swagger-ui-init.js');

      expect(page.status).toBe(200);
      expect(page.type).toBe('text/html');
      expect(page.text).toContain('<title>Casino API</title>');
      expect(page.text).toContain('swagger-ui');
      expect(init.text).toContain('"/api/v1/wallet/deposits"');
    });

    test('when /api-docs is opened without the slash, then it redirects to /api-docs/', async () => {
      const g = await gateway();

      const res = await request(g.app).get('/api-docs');

      expect(res.status).toBe(301);
      expect(res.headers.location).toBe('/api-docs/');
    });
  });

  describe('true to the code', () => {
    test('when the routes under /api/v1 are listed from the router, then they are exactly the operations openapi.yaml describes there', () => {
      const spec = loadSpecFile();

      const inCode = gatewayRoutes().filter((r) => r.includes(' /api/v1/'));
      const inSpec = specOperations(spec).filter((r) => r.includes(' /api/v1/'));

      expect(inCode).toHaveLength(new Set(inCode).size);
      expect({ undocumented: inCode.filter((r) => !inSpec.includes(r)), missing: inSpec.filter((r) => !inCode.includes(r)) }).toEqual({
        undocumented: [],
        missing: [],
      });
      expect(inCode.length).toBeGreaterThanOrEqual(19);
    });

    test('when the routes outside /api/v1 are listed, then they are the operations openapi.yaml describes outside it', () => {
      const spec = loadSpecFile();

      const inCode = gatewayRoutes().filter((r) => !r.includes(' /api/v1/'));
      const inSpec = specOperations(spec).filter((r) => !r.includes(' /api/v1/'));

      expect(inCode.sort()).toEqual(inSpec.sort());
    });

    test('when every /api/v1 route is listed, then each is either forwarded (and covered by these tests) or an admin route', () => {
      const spec = loadSpecFile();
      const covered = FORWARDED_ROUTES.map((r) => `${r.method.toUpperCase()} ${templateOf(spec, r.path)}`);

      const rest = gatewayRoutes().filter((r) => r.includes(' /api/v1/') && !covered.includes(r));

      expect(rest.sort()).toEqual([
        'DELETE /api/v1/admin/chaos',
        'DELETE /api/v1/admin/traffic',
        'GET /api/v1/admin/chaos',
        'GET /api/v1/admin/health',
        'GET /api/v1/admin/reconciliation',
        'GET /api/v1/admin/scenarios',
        'GET /api/v1/admin/traffic',
        'POST /api/v1/admin/chaos',
        'POST /api/v1/admin/traffic',
        'PUT /api/v1/admin/scenarios/{name}',
      ]);
    });

    test('when a route needs a player token, no token or the admin token in code, then openapi.yaml says the same', () => {
      const spec = loadSpecFile();
      const security = (method: string, template: string) => JSON.stringify(spec.paths[template]?.[method]?.security ?? 'default: player');

      const actual = {
        player: PLAYER_ROUTES.map((r) => security(r.method, templateOf(spec, r.path))),
        public: PUBLIC_ROUTES.map((r) => security(r.method, templateOf(spec, r.path))),
        admin: [
          security('get', '/api/v1/admin/scenarios'),
          security('put', '/api/v1/admin/scenarios/{name}'),
          security('get', '/api/v1/admin/reconciliation'),
          security('get', '/api/v1/admin/health'),
        ],
      };

      expect(actual).toEqual({
        player: PLAYER_ROUTES.map(() => '"default: player"'),
        public: PUBLIC_ROUTES.map(() => '[]'),
        admin: ['[{"admin":[]}]', '[{"admin":[]}]', '[{"admin":[]}]', '[{"admin":[]}]'],
      });
    });

    test('when the gateway can answer an error on a route, then openapi.yaml documents that status for it', () => {
      const spec = loadSpecFile();
      const expected: Record<string, string[]> = {};
      const need = (method: string, template: string, ...statuses: string[]) => {
        const key = `${method.toUpperCase()} ${template}`;
        expected[key] = [...new Set([...(expected[key] ?? []), ...statuses])].sort();
      };
      for (const route of FORWARDED_ROUTES) {
        const template = templateOf(spec, route.path);
        // Any forwarded call can meet a failed (502), unreachable (503) or slow (504) service.
        need(route.method, template, '502', '503', '504');
        if (route.auth === 'player') need(route.method, template, '401');
        if (route.method !== 'get') need(route.method, template, '400', '413');
        if (template.includes('{') || route.path.includes('?')) need(route.method, template, '400');
      }
      need('post', '/api/v1/auth/register', '429');
      need('post', '/api/v1/auth/login', '429');
      need('post', '/api/v1/wallet/deposits', '422');
      need('get', '/api/v1/admin/scenarios', '401');
      need('put', '/api/v1/admin/scenarios/{name}', '400', '401', '404', '413');
      need('get', '/api/v1/admin/reconciliation', '401', '502', '503', '504');
      need('get', '/api/v1/admin/health', '401');
      need('get', '/api/v1/admin/chaos', '401');
      need('post', '/api/v1/admin/chaos', '400', '401', '409', '413');
      need('delete', '/api/v1/admin/chaos', '401');

      const missing = Object.entries(expected).flatMap(([key, statuses]) => {
        const [method, template] = key.split(' ') as [string, string];
        const documented = documentedStatuses(spec, method, template);
        return statuses.filter((s) => !documented.includes(s)).map((s) => `${key} ${s}`);
      });

      expect(missing).toEqual([]);
    });

    test('when openapi.yaml refers to a component, then the component exists', () => {
      const spec = loadSpecFile() as unknown as Record<string, unknown>;
      const refs: string[] = [];
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if (key === '$ref' && typeof value === 'string') refs.push(value);
            else walk(value);
          }
        }
      };
      walk(spec);

      const unresolved = refs.filter((ref) => {
        const target = ref
          .replace(/^#\//, '')
          .split('/')
          .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], spec);
        return target === undefined;
      });

      expect(refs.length).toBeGreaterThan(50);
      expect([...new Set(unresolved)]).toEqual([]);
    });
  });
});
