/**
 * The admin API as the operator CLIs (`npm run reconcile`, `npm run scenario`) reach it: the
 * gateway's URL and the admin token, from the options, the environment, `.env`, or the file
 * `npm run demo` writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayUrl, readDotEnv } from '@casino/shared/config';
import { repoRoot } from '../launcher';

/** The command cannot run at all: exit 2 with this message. */
export class CannotRun extends Error {
  override name = 'CannotRun';
}

export interface AdminAnswer<T> {
  status: number;
  body: T;
}

export interface AdminApi {
  base: string;
  call<T>(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    path: string,
    options?: { body?: unknown; timeoutMs?: number },
  ): Promise<AdminAnswer<T>>;
}

function adminToken(root: string, env: Record<string, string | undefined>): string {
  if (env.ADMIN_TOKEN) return env.ADMIN_TOKEN;
  const file = join(root, '.demo', 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new CannotRun('No admin token: set ADMIN_TOKEN, or start the platform with `npm run demo`, which writes .demo/admin-token.');
}

/** Problem details as a line: `The gateway answered 404: There is no scenario x.` */
export function answerLine(status: number, body: unknown): string {
  const detail = (body as { detail?: string } | null)?.detail;
  return `The gateway answered ${status}${detail ? `: ${detail}` : ''}${status === 401 ? ' (check ADMIN_TOKEN)' : ''}`;
}

export function adminApi(url?: string): AdminApi {
  const root = repoRoot();
  const env: Record<string, string | undefined> = { ...readDotEnv(root), ...process.env };
  const base = (url ?? gatewayUrl(env)).replace(/\/$/, '');
  const token = adminToken(root, env);
  return {
    base,
    async call<T>(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, options: { body?: unknown; timeoutMs?: number } = {}) {
      let res: Response;
      try {
        res = await fetch(`${base}/api/v1/admin${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (err) {
        const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
        throw new CannotRun(`Cannot reach the gateway at ${base} (${cause}). Is the platform running?`);
      }
      return { status: res.status, body: (await res.json().catch(() => null)) as T };
    },
  };
}
