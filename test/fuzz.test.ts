/**
 * The public API under bad input: fast-check makes requests for every operation openapi.yaml
 * describes (test/support/fuzz.ts), and the running platform must answer each with no 5xx, every
 * 4xx a problem document, every service still ready, and the money still reconciling.
 * FUZZ_SEED=<n> replays a run; FUZZ_RUNS sets the requests per operation (default 40).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { SERVICES } from '@casino/shared';
import { reconcile } from './support/cli';
import { type FuzzRequest, operations, requestFor } from './support/fuzz';
import { call, type RunningPlatform, startPlatform } from './support/platform';
import './support/timeout';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'traceId'];

describe('the public API under fuzzed input', () => {
  let platform: RunningPlatform;
  const answers: { request: FuzzRequest; status: number; wrong?: string }[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    const api = `http://127.0.0.1:${platform.ports.gateway}/api/v1`;
    const registered = await call<{ accessToken: string }>(api, 'POST', '/auth/register', {
      body: { email: `fuzz-${randomUUID()}@example.com`, password: 'correct horse battery staple' },
    });
    const player = registered.body.accessToken;
    await call(api, 'POST', '/wallet/deposits', { token: player, key: randomUUID(), body: { amount: 100_000 } });
    // A token of the right shape for the same player, signed with another secret.
    const forged = jwt.sign({}, 'f'.repeat(48), {
      subject: jwt.decode(player)!.sub as string,
      issuer: 'casino-user',
      audience: 'casino-api',
      expiresIn: 600,
    });

    for (const op of operations()) {
      for (const request of fc.sample(requestFor(op, { player, forged }), { numRuns: RUNS, seed: SEED })) {
        const res = await fetch(`http://127.0.0.1:${platform.ports.gateway}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
        });
        const text = await res.text();
        let wrong: string | undefined;
        if (res.status >= 500) wrong = `answered ${res.status}: ${text.slice(0, 200)}`;
        else if (res.status >= 400) {
          const type = res.headers.get('content-type') ?? '';
          let problem: Record<string, unknown> = {};
          try {
            problem = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // not JSON: reported below
          }
          const missing = PROBLEM_FIELDS.filter((f) => problem[f] === undefined);
          if (!type.startsWith('application/problem+json') || missing.length || problem.status !== res.status)
            wrong = `answered ${res.status} ${type} without a problem document (missing ${missing.join(', ') || 'nothing'}): ${text.slice(0, 200)}`;
        }
        answers.push({ request, status: res.status, ...(wrong ? { wrong } : {}) });
      }
    }
    const byStatus = answers.reduce<Record<number, number>>((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {});
    console.log(
      `fuzz (seed ${SEED}, ${RUNS} a operation): ${answers.length} requests over ${operations().length} operations; statuses ${JSON.stringify(byStatus)}`,
    );
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
  });

  test('when every operation gets fuzzed requests, then none answers 5xx and every 4xx is a problem document naming its status and trace', () => {
    const wrong = answers
      .filter((a) => a.wrong)
      .map((a) => `${a.request.operation} as ${a.request.method} ${a.request.path.slice(0, 120)}: ${a.wrong}`);

    expect(answers.length).toBeGreaterThanOrEqual(RUNS * 20);
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  test('when the fuzzing is over, then every service is still ready and no process exited', async () => {
    const ready = await Promise.all(SERVICES.map(async (s) => [s, (await fetch(`http://127.0.0.1:${platform.ports[s]}/readyz`)).status]));

    expect(ready).toEqual(SERVICES.map((s) => [s, 200]));
    expect(platform.exits).toEqual([]);
  });

  test('when the platform is reconciled after the fuzzing, then every wallet equals its ledger and no round is left half-way', async () => {
    const run = await reconcile(platform.ports.gateway);

    expect(run.stdout).toContain('Result: clean');
    expect(run.code).toBe(0);
  });
});
