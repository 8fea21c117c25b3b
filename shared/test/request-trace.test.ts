/**
 * With the SDK off (no Sentry client in this process), every request still has a trace id of its
 * own: in its X-Trace-Id and in every line it logs, the request line among them, even while the
 * code starts spans (which, with no client, the SDK keeps on one stack shared by every request).
 */
import { type CallerPolicy, createServiceApp } from '@casino/shared';
import { asItsCallers, testDeps } from '@casino/shared/testing';
import * as Sentry from '@sentry/node';
import { Router } from 'express';
import request from 'supertest';

describe('trace ids in the logs with the SDK off', () => {
  test("when requests run at once, then each one's lines carry its own trace id, the one its X-Trace-Id names", async () => {
    expect(Sentry.isInitialized()).toBe(false);
    const deps = testDeps('game');
    const routes = Router();
    routes.post('/spin', async (_req, res) => {
      await Sentry.startSpan({ name: 'draw reels' }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        deps.logger.info('drawn');
      });
      res.json({ ok: true });
    });
    const callers: CallerPolicy = { 'POST /spin': ['gateway'] };
    const app = asItsCallers(createServiceApp({ ...deps, routes, callers }), 'game', callers);

    const answers = await Promise.all([
      ...Array.from({ length: 3 }, () => request(app).post('/spin').send({ stake: 100 })),
      request(app)
        .post('/spin')
        .send({ stake: 100 })
        .set('traceparent', `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`),
    ]);

    const lines = deps.logs.map((line) => JSON.parse(line) as { msg: string; trace_id: string });
    const ids = answers.map((res) => res.headers['x-trace-id'] as string);
    expect(new Set(ids).size).toBe(4);
    expect(ids[3]).toBe('ab'.repeat(16));
    expect(
      lines
        .filter((l) => l.msg === 'drawn')
        .map((l) => l.trace_id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(
      lines
        .filter((l) => l.msg.startsWith('POST /spin 200'))
        .map((l) => l.trace_id)
        .sort(),
    ).toEqual([...ids].sort());
  });
});
