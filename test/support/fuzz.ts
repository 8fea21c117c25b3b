/**
 * Requests made from openapi.yaml by fast-check, most of them wrong: every operation of the public
 * API with mutated bodies, parameters and headers, wrong content types, broken JSON, oversized and
 * unicode values, MongoDB operators where values belong, and forged tokens.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
};
interface Parameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: Record<string, unknown>[];
}
interface Spec {
  security?: Record<string, unknown>[];
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter>; schemas: Record<string, Schema> };
}

export interface FuzzOperation {
  method: string;
  /** The path template, `/api/v1/games/{gameId}/spins`. */
  path: string;
  auth: 'player' | 'admin' | 'none';
  query: { name: string; schema: Schema }[];
  body: Schema | undefined;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body as sent: JSON text, broken JSON, or anything else. */
  body: string | undefined;
  /** Which operation it was made for, for the report. */
  operation: string;
}

const spec = parseYaml(readFileSync(join(__dirname, '..', '..', 'openapi.yaml'), 'utf8')) as Spec;

function resolve<T extends { $ref?: string }>(value: T): T {
  if (!value.$ref) return value;
  const [, , group, name] = value.$ref.split('/') as [string, string, 'parameters' | 'schemas', string];
  return resolve(spec.components[group][name] as unknown as T);
}

/** Every operation of the public API, as the fuzzer sees it. */
export function operations(): FuzzOperation[] {
  return Object.entries(spec.paths)
    .filter(([path]) => path.startsWith('/api/v1'))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        const security = op.security ?? spec.security ?? [];
        const scheme = Object.keys(security[0] ?? {})[0];
        const params = (op.parameters ?? []).map(resolve);
        const body = op.requestBody?.content['application/json']?.schema;
        return {
          method: method.toUpperCase(),
          path,
          auth: scheme === 'admin' ? ('admin' as const) : scheme === 'player' ? ('player' as const) : ('none' as const),
          query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(p.schema ?? {}) })),
          body: body && resolve(body),
        };
      }),
    );
}

/** Strings meant to hurt: empty, huge, unicode, control characters, paths, injections. */
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '../../../etc/passwd',
    '%00',
    '\u0000',
    '\u202e\u0301',
    '😀'.repeat(300),
    'a'.repeat(5_000),
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '{"$gt":""}',
    '-1',
    '1e309',
    'NaN',
    'null',
    'true',
  ),
);

/** MongoDB operators where a plain value belongs. */
const operator = fc.constantFrom<unknown>({ $gt: '' }, { $ne: null }, { $where: 'sleep(1000)' }, { $regex: '.*' }, { $in: [1, 2] });

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  operator,
  fc.integer(),
  fc.double(),
  fc.constantFrom<unknown>(0, -1, 1, 2 ** 53, -(2 ** 31), 1.5, 1e308, null, true, false, [], {}, [1, 2, 3]),
  fc.jsonValue({ maxDepth: 4 }),
);

/** A value of the schema's kind, half the time one that fits it. */
function valueFor(schema: Schema): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const fitting: fc.Arbitrary<unknown> | undefined = s.enum
    ? fc.constantFrom(...s.enum)
    : s.const !== undefined
      ? fc.constant(s.const)
      : type === 'integer'
        ? fc.integer({ min: 1, max: 100_000 })
        : type === 'boolean'
          ? fc.boolean()
          : type === 'string'
            ? fc.string({ maxLength: 60 })
            : type === 'object' && s.properties
              ? objectFor(s)
              : undefined;
  return fitting ? fc.oneof(fitting, hostileValue) : hostileValue;
}

function objectFor(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, valueFor(v)]));
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.dictionary(
        hostileString.filter((k) => k.length < 40),
        hostileValue,
        { maxKeys: 2 },
      ),
      fc.boolean(),
    )
    .map(([known, extra, withExtra]) => (withExtra ? { ...extra, ...known } : known));
}

/** The body as sent: JSON of the schema's shape, any JSON, broken JSON, or a body far too large. */
function bodyFor(schema: Schema | undefined): fc.Arbitrary<string | undefined> {
  const shaped = schema ? objectFor(schema).map((v) => JSON.stringify(v)) : fc.constant(undefined);
  return fc.oneof(
    { weight: 5, arbitrary: shaped },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('{', '{"amount":', '[1,2', '"x', '\u0000', '{"a":1}{"b":2}', '{"__proto__":{"admin":true}}', ' '),
    },
    { weight: 1, arbitrary: fc.constant(JSON.stringify({ amount: 100, pad: 'x'.repeat(40_000) })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** A header value any HTTP client can send (no control characters); other strings go unsent. */
const headerSafe = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value) && value.trim() === value;

const GAMES = ['lucky-sevens', 'fruit-frenzy'];

/** A request for `op`, with the caller's credentials or forged ones. */
export function requestFor(op: FuzzOperation, credentials: { player: string; forged: string }): fc.Arbitrary<FuzzRequest> {
  const pathParam = fc.oneof(
    fc.constantFrom(...GAMES),
    fc.uuid(),
    hostileString.filter((s) => s.length > 0),
  );
  const query = fc.record(Object.fromEntries(op.query.map((q) => [q.name, valueFor(q.schema)])), { requiredKeys: [] });
  const auth =
    op.auth === 'player'
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constant(`Bearer ${credentials.player}`) },
          {
            weight: 1,
            arbitrary: fc.constantFrom(`Bearer ${credentials.forged}`, 'Bearer garbage', 'Basic YTpi', '', `Bearer ${credentials.player}x`),
          },
        )
      : // Admin routes get no valid token: a valid one could switch on a scenario, whose failures are on purpose.
        fc.constantFrom(`Bearer ${credentials.forged}`, 'Bearer wrong-admin-token-0123456789', '', `Bearer ${credentials.player}`);
  const contentType = fc.constantFrom(
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=latin1',
    '',
  );
  const idempotencyKey = fc.option(hostileString, { nil: undefined });
  return fc
    .record({
      params: fc.array(pathParam, { minLength: 2, maxLength: 2 }),
      query,
      auth,
      contentType,
      idempotencyKey,
      // As from many clients (the gateway believes its loopback proxy): the per-address limits
      // then leave most requests to reach validation, and the fuzzing leaves the test's own address alone.
      forwardedFor: fc.ipV4(),
      body: op.method === 'GET' ? fc.constant(undefined) : bodyFor(op.body),
    })
    .map(({ params, query, auth, contentType, idempotencyKey, forwardedFor, body }) => {
      let i = 0;
      const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(params[i++])));
      const search = new URLSearchParams(
        Object.entries(query).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
      ).toString();
      const headers: Record<string, string> = { 'x-forwarded-for': forwardedFor };
      if (auth) headers.authorization = auth;
      if (body !== undefined && contentType) headers['content-type'] = contentType;
      if (idempotencyKey !== undefined && headerSafe(idempotencyKey)) headers['idempotency-key'] = idempotencyKey;
      return { method: op.method, path: search ? `${path}?${search}` : path, headers, body, operation: `${op.method} ${op.path}` };
    });
}
