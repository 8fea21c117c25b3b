import { randomBytes } from 'node:crypto';
import * as Sentry from '@sentry/node';
import { backoffDelay, sleep } from './backoff';
import type { Config, ServiceName } from './config';
import { AppError, type FieldError, problemType } from './errors';
import { TokenSigner } from './service-identity';
import { traceIds } from './telemetry';
import { Agent, request as httpRequest } from 'node:http';

export interface ServiceClientOptions {
  /** Name of the service called, used in problem details: "the payment service is unavailable". */
  service: string;
  baseUrl: string;
  timeoutMs: number;
  /** Extra attempts for idempotent calls. */
  retries?: number;
  /** First backoff step; each retry waits up to twice as long as the one before (full jitter). */
  backoffMs?: number;
  /** The Authorization header that proves who calls (see service-identity.ts), made for each call. */
  authorize?: () => string;
}

export interface CallOptions {
  /** Makes a POST safe to retry: the callee answers a replay with the first result. */
  idempotencyKey?: string;
  timeoutMs?: number;
  query?: Record<string, string | number | undefined>;
  /**
   * Holds the answer back this long once its headers arrive, as a slow network would: the caller's
   * http.client span grows, the callee's own span does not. The call's timeout still runs.
   */
  holdAnswerMs?: number;
  /** Extra attempts for this call if idempotent, instead of the client's; 0 asks once. */
  retries?: number;
  /**
   * Error statuses that come back as an answer, body and all, instead of a problem (and are not
   * retried): e.g. 503 from /health, whose body still says what is down.
   */
  acceptStatuses?: readonly number[];
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

/** Response headers, lower-case names. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface Exchange<T> {
  status: number;
  headers: ResponseHeaders;
  body: T;
}

/**
 * The connection pool every ServiceClient calls through: keep-alive connections to each service,
 * reused across calls, closed after 30 s idle (the services keep theirs 65 s, so a reused one is
 * never closing at the other end). Node's http client rather than fetch: fetch builds WHATWG
 * requests, streams and abort signals for each call, which were 42% of the game service's CPU.
 */
const serviceAgent = new Agent({ keepAlive: true, timeout: 30_000 });

interface Answer {
  status: number;
  headers: ResponseHeaders;
  text: string;
}

class CallTimeout extends Error {
  override name = 'TimeoutError';
}

/** One HTTP exchange, body read, within `timeoutMs` from start to the body's end. */
function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number, holdMs = 0) {
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const req = httpRequest(url, { method, headers: { ...headers, ...length }, agent: serviceAgent }, (res) => {
      const read = () => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', fail);
        res.on('aborted', () => fail(Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' })));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        });
      };
      if (holdMs > 0) setTimeout(read, holdMs);
      else read();
    });
    const timer = setTimeout(() => fail(new CallTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', fail);
    req.end(body);
  });
}

interface ProblemBody {
  type?: string;
  title?: string;
  detail?: string;
  errors?: FieldError[];
}

/** The system error code (ECONNREFUSED, ECONNRESET, ...) of an error or of what caused it. */
export function networkCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

function isConnectionError(err: unknown): boolean {
  const code = networkCode(err);
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND';
}

const isTimeout = (err: unknown) => err instanceof CallTimeout;

/**
 * JSON over HTTP to another service of the platform. Trace headers (sentry-trace, baggage,
 * traceparent) are added by the SDK's fetch instrumentation; with the SDK off, a traceparent
 * carrying the request's trace id, unsampled. A 4xx from the callee comes back as
 * the same problem; a failure of the callee becomes 502, 503 or 504, never a hang.
 */
export class ServiceClient {
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly options: ServiceClientOptions) {
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 50;
  }

  async get<T>(path: string, options: CallOptions = {}): Promise<T> {
    return (await this.exchange<T>('GET', path, undefined, options)).body;
  }

  async post<T>(path: string, body: unknown, options: CallOptions = {}): Promise<T> {
    return (await this.exchange<T>('POST', path, body, options)).body;
  }

  async put<T>(path: string, body: unknown, options: CallOptions = {}): Promise<T> {
    return (await this.exchange<T>('PUT', path, body, options)).body;
  }

  private url(path: string, query?: CallOptions['query']): URL {
    const url = new URL(path, this.options.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /** The whole successful answer: status, headers and parsed body. Failures throw as described above. */
  async exchange<T>(method: string, path: string, body: unknown, options: CallOptions = {}): Promise<Exchange<T>> {
    method = method.toUpperCase();
    // Safe to repeat: reads, PUT and DELETE, and any call carrying an idempotency key.
    const idempotent = ['GET', 'HEAD', 'PUT', 'DELETE'].includes(method) || options.idempotencyKey !== undefined;
    const attempts = idempotent ? 1 + (options.retries ?? this.retries) : 1;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (this.options.authorize) headers.authorization = this.options.authorize();
    // With the SDK off nothing adds trace headers: pass the request's trace id on, unsampled, so
    // the callee's log lines carry the same one.
    if (!Sentry.isInitialized()) headers.traceparent = `00-${traceIds().traceId}-${randomBytes(8).toString('hex')}-00`;
    const url = this.url(path, options.query);
    const service = this.options.service;

    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;

    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= attempts;
      let response: Answer;
      try {
        response = await send(url, method, headers, body === undefined ? undefined : JSON.stringify(body), timeoutMs, options.holdAnswerMs);
      } catch (err) {
        // A slow callee gets no faster by being asked again: timeouts are not retried.
        if (isTimeout(err)) {
          throw new AppError(504, {
            slug: 'upstream-timeout',
            title: 'Gateway timeout',
            detail: `The ${service} service did not answer in time.`,
            cause: err,
          });
        }
        if (!last && isConnectionError(err)) {
          await sleep(backoffDelay(attempt, this.backoffMs));
          continue;
        }
        throw new AppError(503, {
          slug: 'service-unavailable',
          title: 'Service unavailable',
          detail: `The ${service} service is unavailable.`,
          cause: err,
        });
      }
      const text = response.text;

      let payload: unknown;
      try {
        payload = text ? JSON.parse(text) : undefined;
      } catch (err) {
        throw new AppError(502, {
          slug: 'upstream-error',
          title: 'Bad gateway',
          detail: `The ${service} service sent an unreadable answer.`,
          cause: err,
        });
      }
      const ok = response.status >= 200 && response.status < 300;
      if (ok || options.acceptStatuses?.includes(response.status))
        return { status: response.status, headers: response.headers, body: payload as T };

      const problem = (payload ?? {}) as ProblemBody;
      // The callee refused this service's own credentials: a fault of the platform's set-up, not
      // of the request, so the caller's client is not told 401 or 403 about itself.
      if (problem.type === problemType('caller-unauthenticated') || problem.type === problemType('caller-not-allowed')) {
        throw new AppError(502, {
          slug: 'upstream-error',
          title: 'Bad gateway',
          detail: `The ${service} service refused this service's identity: ${problem.detail ?? problem.title ?? response.status}`,
          operational: false,
        });
      }
      if (response.status < 500) {
        const slug = problem.type?.startsWith('urn:casino:problem:') ? problem.type.slice(19) : 'upstream-rejected';
        throw new AppError(response.status, {
          slug,
          title: problem.title ?? 'Request rejected',
          detail: problem.detail ?? `The ${service} service rejected the request.`,
          errors: problem.errors,
        });
      }
      // A 502 problem from a service of the platform is its considered answer (its own dependency
      // failed, and it has already retried what could be): asking again only multiplies the
      // failure downstream. A bare 502 from a proxy, a 503 or a 504 may pass, so they are retried.
      const considered = response.status === 502 && problem.type?.startsWith('urn:casino:problem:');
      if (!last && RETRYABLE_STATUS.has(response.status) && !considered) {
        await sleep(backoffDelay(attempt, this.backoffMs));
        continue;
      }
      const status = response.status === 503 || response.status === 504 ? response.status : 502;
      throw new AppError(status, {
        slug: status === 502 ? 'upstream-error' : status === 503 ? 'service-unavailable' : 'upstream-timeout',
        title: status === 502 ? 'Bad gateway' : status === 503 ? 'Service unavailable' : 'Gateway timeout',
        detail: `The ${service} service failed: ${problem.detail ?? `status ${response.status}`}`,
      });
    }
  }
}

/** A client for another service of the platform, with the timeout from config. */
export function peerClient(config: Config, service: Exclude<ServiceName, 'gateway'>): ServiceClient {
  const signer = signerFor(config);
  return new ServiceClient({
    service,
    baseUrl: config.urls[service],
    timeoutMs: config.downstreamTimeoutMs,
    ...(signer ? { authorize: () => signer.authorization(service) } : {}),
  });
}

const signers = new WeakMap<Config['identity'], TokenSigner>();
/** One signer a service, so its clients share their tokens; none for a service with no key (user). */
function signerFor(config: Config): TokenSigner | undefined {
  const key = config.identity.signingKey;
  if (!key) return undefined;
  let signer = signers.get(config.identity);
  if (!signer) signers.set(config.identity, (signer = new TokenSigner(config.service, key)));
  return signer;
}
