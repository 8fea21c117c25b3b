/**
 * Shutdown under load: payment gets SIGTERM while players spin without pause. Every request it had
 * taken in finishes (none answers 5xx, none is cut off), it exits 0 once they have, and the spans of
 * the last of them reach Sentry before it goes. What arrives after it closed is refused at once and
 * the gateway says so with a problem, never a 500.
 */
import { randomUUID } from 'node:crypto';
import { sleep } from '@casino/shared';
import { serviceOf, startObservedPlatform, traceSpans, type ObservedPlatform } from './scenarios/observed-platform';
import { call } from './support/platform';
import { until } from './support/wait';
import './support/timeout';

const PLAYERS = 16;

interface LogLine {
  msg: string;
  trace_id?: string;
  res?: { statusCode: number };
  req?: { method: string; path: string };
}

describe('SIGTERM under load', () => {
  let o: ObservedPlatform;
  const answers: { status: number; problem: boolean }[] = [];
  let paymentLines: LogLine[] = [];

  beforeAll(async () => {
    o = await startObservedPlatform();
    const tokens = await Promise.all(
      Array.from({ length: PLAYERS }, async (_, p) => {
        const reg = await call<{ accessToken: string }>(o.api, 'POST', '/auth/register', {
          body: { email: `drain-${p}-${randomUUID()}@example.com`, password: 'correct horse battery staple' },
        });
        await call(o.api, 'POST', '/wallet/deposits', { token: reg.body.accessToken, key: randomUUID(), body: { amount: 500_000 } });
        return reg.body.accessToken;
      }),
    );
    let running = true;
    const traffic = Promise.all(
      tokens.map(async (token) => {
        while (running) {
          const answer = await call(o.api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body: { stake: 100 } }).catch(
            () => undefined,
          );
          answers.push({
            status: answer?.status ?? 0,
            problem: answer?.headers.get('content-type')?.startsWith('application/problem+json') ?? false,
          });
        }
      }),
    );
    await sleep(2_000);
    process.kill(o.platform.pids.payment!, 'SIGTERM');
    await until('payment to exit', () => o.platform.exits.some((e) => e.service === 'payment') || undefined);
    await sleep(500);
    running = false;
    await traffic;
    paymentLines = o.platform.logs
      .filter((l) => l.service === 'payment')
      .flatMap((l) => {
        try {
          return [JSON.parse(l.line) as LogLine];
        } catch {
          return [];
        }
      });
  }, 120_000);

  afterAll(async () => {
    await o?.stop();
  });

  test('when payment gets SIGTERM mid-load, then every request it took in is answered without a 5xx, and it exits 0 once they are', () => {
    const draining = paymentLines.findIndex((l) => l.msg === 'SIGTERM: draining');
    const requests = paymentLines.filter((l) => l.res);
    const afterSignal = paymentLines.slice(draining).filter((l) => l.res);

    expect(draining).toBeGreaterThan(0);
    expect(paymentLines.at(-1)?.msg).toBe('stopped');
    expect(requests.filter((l) => l.res!.statusCode >= 500)).toEqual([]);
    expect(o.platform.exits.filter((e) => e.service === 'payment')).toEqual([{ service: 'payment', code: 0 }]);
    console.log(`shutdown: payment answered ${requests.length} requests, ${afterSignal.length} of them after SIGTERM while draining`);
  });

  test('when payment has closed, then spins are refused at once as problems by the gateway, never a 500 or a dropped connection', () => {
    const wrong = answers.filter((a) => a.status === 0 || a.status === 500 || (a.status !== 201 && !a.problem));

    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });

  test('when payment stops, then the spans of the last request it answered have reached Sentry', async () => {
    const last = paymentLines.filter((l) => l.res && l.trace_id).at(-1)!;

    const spans = await traceSpans(o.ingest, last.trace_id!, "the last payment request's spans", (all) =>
      all.some((s) => serviceOf(s) === 'payment'),
    );

    expect(spans.some((s) => serviceOf(s) === 'payment' && s.op === 'http.server')).toBe(true);
  });
});
