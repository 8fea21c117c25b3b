/**
 * The generator's HTTP client for the gateway's public API. Every request is marked synthetic in
 * baggage, measured, and counted by outcome. It waits out a 429 for as long as Retry-After says,
 * however often it comes, and retries a 5xx or a dropped connection a few times with backoff,
 * resending the same Idempotency-Key so a money move that did go through is replayed, not repeated.
 *
 * It speaks node:http over a keep-alive agent rather than fetch: inside a process running Sentry's
 * SDK (the gateway, for the admin API) fetch gets the caller's trace headers even with tracing
 * suppressed, so every simulated request would join one unsampled trace; node:http gets none, and
 * each request starts a trace of its own at the gateway, as an outside client's does.
 */
import { Agent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { backoffDelay } from '@casino/shared/backoff';
import type { Operation, Outcome, TrafficStats } from './stats';

/** What marks generated traffic; the gateway's synthetic middleware reads it. */
export const SYNTHETIC_BAGGAGE = 'synthetic=true';

export interface TrafficRequest {
  operation: Operation;
  method: 'GET' | 'POST';
  /** Below /api/v1, with its query string. */
  path: string;
  body?: unknown;
  token?: string;
  idempotencyKey?: string;
  /** 4xx statuses the caller expects and handles: counted as refusals, not errors. */
  expect?: readonly number[];
}

export interface TrafficAnswer<T> {
  /** 0 when no answer came back at all. */
  status: number;
  /** A 2xx. */
  ok: boolean;
  body: T;
  /** The problem's type slug, `email-taken` for `urn:casino:problem:email-taken`. */
  problem?: string;
  replayed: boolean;
}

export interface TrafficClientOptions {
  /** The gateway, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  stats: TrafficStats;
  /** Aborting it ends every wait at once; a request already sent is let finish. */
  signal: AbortSignal;
  timeoutMs?: number;
  /** Extra attempts after a 5xx or a network failure. */
  retries?: number;
  backoffMs?: number;
}

/** A run could not start, and nothing was run: the gateway did not answer, or refused a step of the set-up. */
export class TrafficSetupError extends Error {
  override name = 'TrafficSetupError';

  constructor(
    message: string,
    readonly reachable: boolean,
  ) {
    super(message);
  }
}

/** Thrown by a wait or a request the run's stop signal cut short. */
export class TrafficStopped extends Error {
  override name = 'TrafficStopped';
}

/** Resolves after `ms`, or rejects with TrafficStopped as soon as `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new TrafficStopped());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TrafficStopped());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const PROBLEM_PREFIX = 'urn:casino:problem:';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const header = (headers: IncomingHttpHeaders, name: string): string | null => {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
};

export class TrafficClient {
  private readonly api: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly secure: boolean;
  private readonly agent: Agent;

  constructor(private readonly options: TrafficClientOptions) {
    this.api = `${options.baseUrl.replace(/\/+$/, '')}/api/v1`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 200;
    this.secure = this.api.startsWith('https:');
    this.agent = this.secure ? new HttpsAgent({ keepAlive: true }) : new Agent({ keepAlive: true });
  }

  /** Lets the kept-alive connections go. */
  close(): void {
    this.agent.destroy();
  }

  private exchange(method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const send = this.secure ? httpsRequest : httpRequest;
      const req = send(url, { method, headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.once('error', reject);
      });
      req.once('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.once('error', reject);
      req.end(body);
    });
  }

  /** Sends until answered: throws TrafficStopped only when the run stops during a wait. */
  async send<T = Record<string, unknown>>(request: TrafficRequest): Promise<TrafficAnswer<T>> {
    const { stats, signal } = this.options;
    const headers: Record<string, string> = { accept: 'application/json', baggage: SYNTHETIC_BAGGAGE };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

    for (let failures = 0; ;) {
      if (signal.aborted) throw new TrafficStopped();
      const started = performance.now();
      let res: Raw;
      try {
        res = await this.exchange(request.method, `${this.api}${request.path}`, headers, body);
      } catch {
        stats.record(request.operation, 'network', 'error');
        if (failures++ >= this.retries) return { status: 0, ok: false, body: undefined as T, replayed: false };
        await pause(backoffDelay(failures, this.backoffMs, 5_000), signal);
        continue;
      }
      const latency = performance.now() - started;
      let parsed: unknown;
      try {
        parsed = res.text ? JSON.parse(res.text) : undefined;
      } catch {
        parsed = undefined;
      }
      const type = (parsed as { type?: unknown } | undefined)?.type;
      const problem = typeof type === 'string' && type.startsWith(PROBLEM_PREFIX) ? type.slice(PROBLEM_PREFIX.length) : undefined;
      const ok = res.status >= 200 && res.status < 300;
      const answer: TrafficAnswer<T> = {
        status: res.status,
        ok,
        body: parsed as T,
        problem,
        replayed: header(res.headers, 'idempotent-replayed') === 'true',
      };

      if (res.status === 429) {
        stats.record(request.operation, 429, 'rate-limited', latency);
        // Never sooner than the gateway said; a little jitter so waiting players do not return as one.
        const wait = (retryAfterMs(header(res.headers, 'retry-after')) ?? 1_000) + Math.random() * 250;
        stats.rateLimitWaitMs += wait;
        await pause(wait, signal);
        continue;
      }
      // The same key sent again while the first is still being processed: it will settle shortly.
      const inProgress = res.status === 409 && problem === 'request-in-progress' && request.idempotencyKey !== undefined;
      if (res.status >= 500 || inProgress) {
        stats.record(request.operation, res.status, inProgress ? 'refused' : 'error', latency);
        if (failures++ >= this.retries) return answer;
        const asked = retryAfterMs(header(res.headers, 'retry-after')) ?? 0;
        await pause(Math.max(asked, backoffDelay(failures, this.backoffMs, 5_000)), signal);
        continue;
      }
      stats.record(request.operation, res.status, outcomeOf(res.status, request.expect), latency);
      return answer;
    }
  }
}

function outcomeOf(status: number, expected: readonly number[] = []): Outcome {
  if (status >= 200 && status < 300) return 'ok';
  return expected.includes(status) ? 'refused' : 'error';
}
