/**
 * Test harness for the gateway's component tests: the gateway app in front of four fake upstream
 * services (real Express apps on 127.0.0.1, port 0) that record every request they get and answer
 * what the test tells them to.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Cache, ServiceClient, signAccessToken, type Store } from '@casino/shared';
import { testDeps } from '@casino/shared/testing';
import express from 'express';
import request from 'supertest';
import { parse } from 'yaml';
import { createApp } from '../src/app';

export type UpstreamName = 'user' | 'game' | 'payment' | 'wager';
export const UPSTREAM_NAMES: readonly UpstreamName[] = ['user', 'game', 'payment', 'wager'];

/** What a fake upstream saw: one entry per request, in order. */
export interface Recorded {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What a fake upstream answers. */
export interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is instead of `body`, e.g. an HTML error page. */
  raw?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Send the status, headers and half the body at once, the rest after this long. */
  stallBodyMs?: number;
}

const servers = new Set<Server>();
const timers = new Set<NodeJS.Timeout>();

async function listen(app: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  servers.add(server);
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export class FakeUpstream {
  readonly requests: Recorded[] = [];
  private answers: Answer[] = [{ status: 200, body: {} }];

  /** Base URL, known once listening. */
  url = '';

  private constructor() {}

  static async start(): Promise<FakeUpstream> {
    const fake = new FakeUpstream();
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.use((req, res) => fake.handle(req, res));
    fake.url = (await listen(app)).url;
    return fake;
  }

  /** Answers these in turn, one per request; the last one repeats. */
  answer(...answers: Answer[]): this {
    this.answers = answers;
    return this;
  }

  private handle(req: express.Request, res: express.Response): void {
    this.requests.push({
      method: req.method,
      path: req.path,
      query: { ...(req.query as Record<string, string>) },
      headers: req.headers,
      body: req.body,
    });
    const answer = this.answers[Math.min(this.requests.length, this.answers.length) - 1]!;
    const later = (ms: number, work: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) work();
      }, ms);
      timers.add(timer);
    };
    const send = () => {
      res.status(answer.status ?? 200);
      for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
      if (answer.raw !== undefined) {
        res.send(answer.raw);
      } else if (answer.stallBodyMs !== undefined) {
        const text = JSON.stringify(answer.body);
        res.type('application/json').write(text.slice(0, text.length / 2));
        later(answer.stallBodyMs, () => res.end(text.slice(text.length / 2)));
      } else if (answer.body === undefined) {
        res.end();
      } else {
        res.json(answer.body);
      }
    };
    if (answer.delayMs) later(answer.delayMs, send);
    else send();
  }
}

/**
 * A URL where nothing listens: port 2 of loopback, below the ephemeral range every listen(0) draws
 * from, and not one fetch refuses to call. (A port held a moment ago and let go can be handed
 * straight to the next fake, which then answers for the "unreachable" service.)
 */
export async function closedUrl(): Promise<string> {
  return 'http://127.0.0.1:2';
}

/** Closes every fake upstream and pending delayed answer. Call it in afterEach. */
export async function closeAll(): Promise<void> {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  await Promise.all(
    [...servers].map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
  servers.clear();
}

/** A response status the gateway sent, as the spec check at the end of each file reads it. */
export interface Observation {
  method: string;
  path: string;
  status: number;
}

const observations: Observation[] = [];

export interface GatewayOptions {
  env?: Record<string, string>;
  cache?: Cache;
  /** The gateway's own store, e.g. one a previous gateway used, to show what survives a restart. */
  store?: Store;
  /** Base URLs to use instead of fresh fakes, e.g. closedUrl() for an unreachable service. */
  urls?: Partial<Record<UpstreamName, string>>;
  /**
   * Let the gateway find and parse openapi.yaml itself, as in production. Otherwise it gets the
   * document parsed once per test file, which keeps each test ~25 ms faster.
   */
  ownSpec?: boolean;
  /** Leave this gateway's statuses out of the openapi.yaml check (for a test of a known bug). */
  unobserved?: boolean;
}

let parsedSpec: Spec | undefined;

/** The gateway with four fresh fake upstreams. `app` is what to hand to supertest. */
export async function gateway(options: GatewayOptions = {}) {
  const deps = testDeps('gateway', {
    env: options.env ?? {},
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.store ? { store: options.store } : {}),
  });
  const fakes = {} as Record<UpstreamName, FakeUpstream>;
  const upstreams = {} as Record<UpstreamName, ServiceClient>;
  for (const service of UPSTREAM_NAMES) {
    fakes[service] = await FakeUpstream.start();
    const baseUrl = options.urls?.[service] ?? fakes[service].url;
    upstreams[service] = new ServiceClient({ service, baseUrl, timeoutMs: deps.config.downstreamTimeoutMs });
  }
  parsedSpec ??= loadSpecFile();
  const gatewayApp = createApp({ ...deps, upstreams, ...(options.ownSpec ? {} : { spec: parsedSpec }) });
  // Every status the gateway answers is noted, so each file can check them against openapi.yaml.
  const app: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    res.on('finish', () => {
      if (options.unobserved) return;
      const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
      observations.push({ method: req.method ?? '', path: url.split('?')[0]!, status: res.statusCode });
    });
    gatewayApp(req, res);
  };
  return {
    app,
    deps,
    fakes,
    /** Every request any fake upstream got. */
    upstreamRequests: () => UPSTREAM_NAMES.flatMap((name) => fakes[name].requests),
    playerToken: (playerId: string, expiresInSeconds = 3600) => signAccessToken(playerId, deps.config.jwt.secret, expiresInSeconds),
    adminToken: deps.config.adminToken,
  };
}

// ---- the OpenAPI document

export type Spec = {
  paths: Record<string, Record<string, { responses?: Record<string, unknown>; requestBody?: unknown; security?: unknown[] }>>;
};

export const SPEC_FILE = join(__dirname, '..', '..', '..', 'openapi.yaml');
export const loadSpecFile = (): Spec => parse(readFileSync(SPEC_FILE, 'utf8')) as Spec;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** The spec path template ('/api/v1/games/{gameId}') a concrete path matches, if any. */
export function specPathOf(spec: Spec, path: string): string | undefined {
  return Object.keys(spec.paths).find((template) => {
    const pattern = template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+');
    return new RegExp(`^${pattern}/?$`).test(path);
  });
}

/** The statuses documented for an operation. */
export function documentedStatuses(spec: Spec, method: string, template: string): string[] {
  return Object.keys(spec.paths[template]?.[method.toLowerCase()]?.responses ?? {});
}

/**
 * Every 4xx and 5xx the gateway answered in this file, on an operation openapi.yaml describes,
 * must be documented for that operation. Call it in afterAll.
 */
export function expectObservedErrorsDocumented(): void {
  const spec = loadSpecFile();
  const undocumented = new Set<string>();
  for (const { method, path, status } of observations) {
    if (status < 400) continue;
    const template = specPathOf(spec, path);
    if (!template || !spec.paths[template]?.[method.toLowerCase()]) continue;
    if (!documentedStatuses(spec, method, template).includes(String(status))) undocumented.add(`${method} ${template} ${status}`);
  }
  expect([...undocumented].sort()).toEqual([]);
}

// ---- common expectations

export const TRACE_ID = /^[0-9a-f]{32}$/;

/** A problem+json answer with the given status and type slug, whose traceId is the response's. */
export function expectProblem(
  res: { status: number; type: string; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  slug: string,
): void {
  expect({ status: res.status, type: res.type, problem: res.body.type }).toEqual({
    status,
    type: 'application/problem+json',
    problem: `urn:casino:problem:${slug}`,
  });
  expect(res.body).toMatchObject({
    status,
    title: expect.any(String),
    detail: expect.any(String),
    traceId: expect.stringMatching(TRACE_ID),
  });
  expect(res.headers['x-trace-id']).toBe(res.body.traceId);
}

// ---- the public API, route by route

export interface RouteCase {
  method: 'get' | 'post' | 'put';
  /** As the client calls it. */
  path: string;
  /** A valid body, for routes that take one. */
  body?: Record<string, unknown>;
  /** Who needs a token: a player, or nobody. */
  auth: 'player' | 'public';
  upstream: UpstreamName;
  /** What the upstream must receive for player `id`: method, path and body. */
  forwarded: (id: string) => { method: string; path: string; query?: Record<string, string>; body?: unknown };
}

const password = 'correct horse battery staple';

/** Every /api/v1 route the gateway forwards, with a valid request and where it must land. */
export const FORWARDED_ROUTES: readonly RouteCase[] = [
  {
    method: 'post',
    path: '/api/v1/auth/register',
    body: { email: 'ada@example.com', password, displayName: 'Ada' },
    auth: 'public',
    upstream: 'user',
    forwarded: () => ({ method: 'POST', path: '/players', body: { email: 'ada@example.com', password, displayName: 'Ada' } }),
  },
  {
    method: 'post',
    path: '/api/v1/auth/login',
    body: { email: 'ada@example.com', password },
    auth: 'public',
    upstream: 'user',
    forwarded: () => ({ method: 'POST', path: '/sessions', body: { email: 'ada@example.com', password } }),
  },
  { method: 'get', path: '/api/v1/me', auth: 'player', upstream: 'user', forwarded: (id) => ({ method: 'GET', path: `/players/${id}` }) },
  {
    method: 'put',
    path: '/api/v1/me/limits',
    body: { dailyDepositLimit: 2_500 },
    auth: 'player',
    upstream: 'user',
    forwarded: (id) => ({ method: 'PUT', path: `/players/${id}/limits`, body: { dailyDepositLimit: 2_500 } }),
  },
  {
    method: 'post',
    path: '/api/v1/me/self-exclusion',
    body: { days: 7 },
    auth: 'player',
    upstream: 'user',
    forwarded: (id) => ({ method: 'POST', path: `/players/${id}/self-exclusion`, body: { days: 7 } }),
  },
  {
    method: 'get',
    path: '/api/v1/wallet',
    auth: 'player',
    upstream: 'payment',
    forwarded: (id) => ({ method: 'GET', path: `/wallets/${id}` }),
  },
  {
    method: 'get',
    path: '/api/v1/wallet/transactions?limit=5&type=deposit',
    auth: 'player',
    upstream: 'payment',
    forwarded: (id) => ({ method: 'GET', path: `/wallets/${id}/transactions`, query: { limit: '5', type: 'deposit' } }),
  },
  {
    method: 'post',
    path: '/api/v1/wallet/deposits',
    body: { amount: 2_500 },
    auth: 'player',
    upstream: 'payment',
    forwarded: (id) => ({ method: 'POST', path: `/wallets/${id}/deposits`, body: { amount: 2_500 } }),
  },
  {
    method: 'post',
    path: '/api/v1/wallet/withdrawals',
    body: { amount: 1_000, forfeitBonus: true },
    auth: 'player',
    upstream: 'payment',
    forwarded: (id) => ({ method: 'POST', path: `/wallets/${id}/withdrawals`, body: { amount: 1_000, forfeitBonus: true } }),
  },
  { method: 'get', path: '/api/v1/games', auth: 'public', upstream: 'game', forwarded: () => ({ method: 'GET', path: '/games' }) },
  {
    method: 'get',
    path: '/api/v1/games/lucky-sevens',
    auth: 'public',
    upstream: 'game',
    forwarded: () => ({ method: 'GET', path: '/games/lucky-sevens' }),
  },
  {
    method: 'post',
    path: '/api/v1/games/lucky-sevens/spins',
    body: { stake: 100 },
    auth: 'player',
    upstream: 'game',
    forwarded: (id) => ({ method: 'POST', path: `/players/${id}/games/lucky-sevens/spins`, body: { stake: 100 } }),
  },
  {
    method: 'get',
    path: '/api/v1/rounds',
    auth: 'player',
    upstream: 'game',
    forwarded: (id) => ({ method: 'GET', path: `/players/${id}/rounds`, query: { limit: '20' } }),
  },
  {
    method: 'get',
    path: '/api/v1/bonuses/offers',
    auth: 'player',
    upstream: 'wager',
    forwarded: () => ({ method: 'GET', path: '/offers' }),
  },
  {
    method: 'post',
    path: '/api/v1/bonuses/offers/welcome-100/claim',
    auth: 'player',
    upstream: 'wager',
    forwarded: (id) => ({ method: 'POST', path: `/players/${id}/bonuses`, body: { offerId: 'welcome-100' } }),
  },
  {
    method: 'get',
    path: '/api/v1/bonuses/active',
    auth: 'player',
    upstream: 'wager',
    forwarded: (id) => ({ method: 'GET', path: `/players/${id}/bonuses/active` }),
  },
  {
    method: 'get',
    path: '/api/v1/bonuses?limit=3',
    auth: 'player',
    upstream: 'wager',
    forwarded: (id) => ({ method: 'GET', path: `/players/${id}/bonuses`, query: { limit: '3' } }),
  },
];

export const PLAYER_ROUTES = FORWARDED_ROUTES.filter((r) => r.auth === 'player');
export const PUBLIC_ROUTES = FORWARDED_ROUTES.filter((r) => r.auth === 'public');
/** The routes that move money or create something: each takes an Idempotency-Key. */
export const KEYED_ROUTES = FORWARDED_ROUTES.filter((r) => /deposits|withdrawals|spins|claim/.test(r.path));

/** `GET /api/v1/wallet`, for test names. */
export const describeRoute = (r: Pick<RouteCase, 'method' | 'path'>) => `${r.method.toUpperCase()} ${r.path}`;

/** Calls a route as a client would: its valid body unless told otherwise, the headers given. */
export function call(
  app: RequestListener,
  route: Pick<RouteCase, 'method' | 'path' | 'body'>,
  options: { headers?: Record<string, string>; body?: unknown } = {},
) {
  const req = request(app)
    [route.method](route.path)
    .set(options.headers ?? {});
  const body = 'body' in options ? options.body : route.body;
  return body === undefined ? req : req.send(body as object);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
