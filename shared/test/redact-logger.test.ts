import { Writable } from 'node:stream';
import { createLogger } from '@casino/shared/logger';
import { FILTERED, scrub } from '@casino/shared/redact';

/** A logger whose lines land in an array, parsed. */
function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger({ service: 'payment', version: '1.2.3', level, destination });
  return { logger, lines, raw };
}

describe('scrub', () => {
  test.each([
    ['password', 'hunter2-pw'],
    ['newPassword', 'hunter2-pw'],
    ['passwd', 'hunter2-pw'],
    ['accessToken', 'eyJhbGciOi.x.y'],
    ['refresh_token', 'r-123'],
    ['authorization', 'Bearer abc'],
    ['Authorization', 'Bearer abc'],
    ['cookie', 'sid=abc'],
    ['set-cookie', 'sid=abc'],
    ['card', '4111111111111111'],
    ['cardNumber', '4111111111111111'],
    ['cvv', '123'],
    ['idempotency-key', 'key-123456'],
    ['idempotencyKey', 'key-123456'],
    ['clientSecret', 's3cr3t'],
    ['api_key', 'k-123'],
    ['x-forwarded-for', '203.0.113.7, 10.0.0.2'],
    ['forwarded', 'for=203.0.113.7'],
    ['x-real-ip', '203.0.113.7'],
    ['true-client-ip', '203.0.113.7'],
    ['cf-connecting-ip', '203.0.113.7'],
    ['http.request.header.x_forwarded_for', '203.0.113.7'],
  ])('when an object has a %s, then its value is replaced', (key, value) => {
    const out = scrub({ [key]: value, amount: 100 });

    expect(out).toEqual({ [key]: FILTERED, amount: 100 });
    expect(JSON.stringify(out)).not.toContain(value);
  });

  test('when sensitive keys sit deep inside objects and arrays, then every one is replaced and everything else is kept', () => {
    const input = {
      request: {
        headers: { authorization: 'Bearer t0k3n', 'content-type': 'application/json', 'idempotency-key': 'idem-1234' },
        body: { email: 'ada@example.com', password: 'hunter2-pw', amount: 500, nested: [{ card: { number: '4111' }, last4: '4242' }] },
      },
      list: [[{ token: 'tok-1' }], { cookie: 'sid=1', ok: true }],
      count: 3,
      note: null,
    };

    const out = scrub(input);

    expect(out).toEqual({
      request: {
        headers: { authorization: FILTERED, 'content-type': 'application/json', 'idempotency-key': FILTERED },
        body: { email: 'ada@example.com', password: FILTERED, amount: 500, nested: [{ card: FILTERED, last4: '4242' }] },
      },
      list: [[{ token: FILTERED }], { cookie: FILTERED, ok: true }],
      count: 3,
      note: null,
    });
  });

  test('when an object is scrubbed, then the original is left untouched', () => {
    const input = { user: { password: 'hunter2-pw' } };

    scrub(input);

    expect(input.user.password).toBe('hunter2-pw');
  });

  test('when a password is nested deeper than the depth scrub inspects, then it is still not let through', () => {
    let deep: Record<string, unknown> = { password: 'deep-secret-pw' };
    for (let i = 0; i < 12; i++) deep = { level: deep };

    expect(JSON.stringify(scrub(deep))).not.toContain('deep-secret-pw');
  });

  test('when an object refers to itself, then scrub returns instead of looping', () => {
    const cyclic: Record<string, unknown> = { name: 'loop', token: 'tok-1' };
    cyclic.self = cyclic;

    const out = scrub(cyclic) as Record<string, unknown>;

    expect(out.token).toBe(FILTERED);
    expect(out.name).toBe('loop');
  });

  test('when values are not objects, then they come back as they are', () => {
    const when = new Date('2026-01-01T00:00:00Z');

    expect([scrub('password'), scrub(5), scrub(null), scrub(undefined), scrub(when)]).toEqual(['password', 5, null, undefined, when]);
  });
});

describe('createLogger', () => {
  test('when a request is logged, then its Authorization header and cookie are redacted and other headers kept', () => {
    const { logger, lines, raw } = capture();

    logger.info(
      { req: { method: 'POST', headers: { authorization: 'Bearer secret-jwt', cookie: 'sid=abc', 'user-agent': 'curl/8' } } },
      'incoming',
    );

    expect(lines[0]!.req).toEqual({ method: 'POST', headers: { authorization: FILTERED, cookie: FILTERED, 'user-agent': 'curl/8' } });
    expect(raw.join('\n')).not.toContain('secret-jwt');
  });

  test('when password and token fields are logged at the top level or one level down, then their values never reach the output', () => {
    const { logger, lines, raw } = capture();

    logger.info(
      {
        password: 'hunter2-pw',
        token: 'tok-top',
        body: { password: 'hunter2-body', amount: 100 },
        session: { token: 'tok-nested', accessToken: 'acc-1' },
      },
      'login',
    );

    expect(lines[0]).toMatchObject({
      password: FILTERED,
      token: FILTERED,
      body: { password: FILTERED, amount: 100 },
      session: { token: FILTERED, accessToken: FILTERED },
    });
    for (const secret of ['hunter2-pw', 'tok-top', 'hunter2-body', 'tok-nested', 'acc-1']) expect(raw.join('\n')).not.toContain(secret);
  });

  test('when lines are written, then every one carries the service, version, a trace id, the level name and the message', () => {
    const { logger, lines } = capture();

    logger.info('first');
    logger.warn({ amount: 5 }, 'second');
    logger.child({ component: 'ledger' }).error('third');

    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toMatchObject({ service: 'payment', version: '1.2.3', trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(typeof line.time).toBe('string');
    }
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['info', 'first'],
      ['warn', 'second'],
      ['error', 'third'],
    ]);
  });

  test('when the level is warn, then info lines are not written', () => {
    const { logger, lines } = capture('warn');

    logger.info('quiet');
    logger.warn('loud');

    expect(lines.map((l) => l.msg)).toEqual(['loud']);
  });
});
