/**
 * With the real SDK set up by a service's instrument file: once a scenario has affected a request,
 * the spans the request starts afterwards (a database's own, say) carry `casino.scenario` too,
 * and the spans of other requests do not.
 */
import { spawn } from 'node:child_process';
import { repoRoot } from '@casino/tools/launcher';
import { SentryIngest } from './support/ingest';
import { TEST_SECRETS } from './support/platform';
import './support/timeout';

const script = `
  const Sentry = require('@sentry/node');
  const { scenarioApplied } = require('./shared/dist/scenarios/index.js');
  const { runRequest } = require('./shared/dist/request-context.js');
  const request = (affected) =>
    new Promise((resolve) =>
      runRequest({ scenarios: new Set() }, () =>
        Sentry.startSpan({ name: affected ? 'affected request' : 'plain request', op: 'test' }, async () => {
          Sentry.startSpan({ name: 'before the scenario', op: 'db' }, () => undefined);
          if (affected) scenarioApplied('n-plus-one');
          Sentry.startSpan({ name: 'after the scenario', op: 'db' }, () => undefined);
          resolve();
        }),
      ),
    );
  (async () => {
    await request(true);
    await request(false);
    await Sentry.flush(5000);
  })();`;

describe('marking what a scenario affected', () => {
  test("when a scenario affects a request, then the spans it starts afterwards carry casino.scenario, and other requests' spans do not", async () => {
    const ingest = new SentryIngest();
    await ingest.start();
    try {
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, ['--import', './services/wager/dist/instrument.js', '-e', script], {
          cwd: repoRoot(),
          env: { PATH: process.env.PATH, NODE_ENV: 'test', ...TEST_SECRETS, SENTRY_DSN_WAGER: ingest.dsn(9) },
          stdio: 'ignore',
        });
        child.on('exit', () => resolve());
      });

      const spans = ingest.spans();
      const affected = spans.find((s) => s.name === 'affected request')!;
      const plain = spans.find((s) => s.name === 'plain request')!;
      const childOf = (root: typeof affected, name: string) => spans.find((s) => s.parentSpanId === root.spanId && s.name === name)!;

      expect(affected.attributes['casino.scenario']).toBe('n-plus-one');
      expect(childOf(affected, 'after the scenario').attributes['casino.scenario']).toBe('n-plus-one');
      expect(childOf(affected, 'before the scenario').attributes['casino.scenario']).toBeUndefined();
      expect(plain.attributes['casino.scenario']).toBeUndefined();
      expect(childOf(plain, 'after the scenario').attributes['casino.scenario']).toBeUndefined();
    } finally {
      await ingest.stop();
    }
  });
});
