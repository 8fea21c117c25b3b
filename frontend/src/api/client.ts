import { recentRequests } from '../lib/recent-requests';
import { ApiError, networkProblem, problemFrom } from './problem';

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  /** Makes a money move safe to repeat: the same key never moves money twice. */
  idempotencyKey?: string;
  timeoutMs?: number;
  /** Background polls stay out of the console's recent-requests list. */
  quiet?: boolean;
}

export type Api = <T>(method: string, path: string, options?: RequestOptions) => Promise<T>;

/**
 * One JSON call to the gateway's /api/v1. Every answer is noted with its trace id for the console;
 * every failure becomes an ApiError holding a problem document.
 */
export function createApi(baseUrl: string): Api {
  return async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      if (!options.quiet)
        recentRequests.add({ at: Date.now(), method, path, status: 0, durationMs: Math.round(performance.now() - started), traceId: null });
      throw new ApiError(networkProblem(err));
    }
    const text = await res.text();
    if (!options.quiet)
      recentRequests.add({
        at: Date.now(),
        method,
        path,
        status: res.status,
        durationMs: Math.round(performance.now() - started),
        traceId: res.headers.get('x-trace-id'),
      });
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) throw new ApiError(problemFrom(res.status, res.statusText, body, res.headers));
    return body as T;
  };
}

export const newKey = () => crypto.randomUUID();
