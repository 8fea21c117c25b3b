import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, closeAll, expectObservedErrorsDocumented, expectProblem, gateway } from './harness';

afterEach(closeAll);
afterAll(expectObservedErrorsDocumented);

type Method = 'get' | 'post' | 'put';

interface BadRequest {
  method: Method;
  path: string;
  /** A JSON body, or a raw string sent as application/json. */
  body?: unknown;
  raw?: string;
}

const password = 'correct horse battery staple';

/** Sends a bad request as a signed-in player, so only validation can refuse it. */
async function sendBad({ method, path, body, raw }: BadRequest) {
  const g = await gateway();
  let req = request(g.app)
    [method](path)
    .set(bearer(g.playerToken(randomUUID())));
  if (raw !== undefined) req = req.set('content-type', 'application/json').send(raw);
  else if (body !== undefined) req = req.send(body as object);
  const res = await req;
  return { res, g, fields: ((res.body.errors ?? []) as { path: string }[]).map((e) => e.path) };
}

const post = (path: string, body?: unknown): BadRequest => ({ method: 'post', path, body });
const DEPOSIT = '/api/v1/wallet/deposits';
const WITHDRAW = '/api/v1/wallet/withdrawals';
const SPIN = '/api/v1/games/lucky-sevens/spins';

describe('gateway validation at the edge', () => {
  describe('bodies', () => {
    test.each([
      ['a deposit', { method: 'post', path: DEPOSIT, raw: '{"amount": ' }],
      ['a registration', { method: 'post', path: '/api/v1/auth/register', raw: `{"email": "a@example.com", "password": "${password}",}` }],
      ['a spin', { method: 'post', path: SPIN, raw: "{'stake': 100}" }],
      ['a deposit whose body is a bare string', { method: 'post', path: DEPOSIT, raw: '"100"' }],
    ] as [string, BadRequest][])(
      'when %s has malformed JSON, then it is a 400 problem saying so and nothing is forwarded',
      async (_what, bad) => {
        const { res, g } = await sendBad(bad);

        expectProblem(res, 400, 'invalid-request');
        expect(res.body.detail).toBe('The request body is not valid JSON.');
        expect(g.upstreamRequests()).toEqual([]);
      },
    );

    test.each([
      // wrong types
      ['a registration with a numeric email', post('/api/v1/auth/register', { email: 5, password }), 'email'],
      [
        'a registration with a numeric password',
        post('/api/v1/auth/register', { email: 'a@example.com', password: 12345678901 }),
        'password',
      ],
      ['a login with a boolean password', post('/api/v1/auth/login', { email: 'a@example.com', password: true }), 'password'],
      ['a limit given as words', { method: 'put', path: '/api/v1/me/limits', body: { dailyDepositLimit: 'lots' } }, 'dailyDepositLimit'],
      ['a self-exclusion with days as a string', post('/api/v1/me/self-exclusion', { days: '7' }), 'days'],
      ['a self-exclusion of ten thousand days', post('/api/v1/me/self-exclusion', { days: 10_000 }), 'days'],
      ['a withdrawal with forfeitBonus as a string', post(WITHDRAW, { amount: 100, forfeitBonus: 'yes' }), 'forfeitBonus'],
      ['a deposit whose body is an array', post(DEPOSIT, [{ amount: 100 }]), '(body)'],
      // missing fields
      ['a registration without an email', post('/api/v1/auth/register', { password }), 'email'],
      ['a registration with a short password', post('/api/v1/auth/register', { email: 'a@example.com', password: 'short' }), 'password'],
      ['a login without a password', post('/api/v1/auth/login', { email: 'a@example.com' }), 'password'],
      ['a deposit without an amount', post(DEPOSIT, {}), 'amount'],
      ['a deposit without a body', post(DEPOSIT), '(body)'],
      ['a withdrawal without an amount', post(WITHDRAW, { forfeitBonus: true }), 'amount'],
      ['a spin without a stake', post(SPIN, {}), 'stake'],
      ['a limit without a value', { method: 'put', path: '/api/v1/me/limits', body: {} }, 'dailyDepositLimit'],
      ['a self-exclusion without days', post('/api/v1/me/self-exclusion', {}), 'days'],
      // extra fields
      ['a deposit with a currency', post(DEPOSIT, { amount: 100, currency: 'USD' }), '(body)'],
      ['a withdrawal naming a player', post(WITHDRAW, { amount: 100, playerId: randomUUID() }), '(body)'],
      ['a spin that names its own win', post(SPIN, { stake: 100, win: 1_000_000 }), '(body)'],
      ['a login that asks to be admin', post('/api/v1/auth/login', { email: 'a@example.com', password, admin: true }), '(body)'],
      [
        'a registration that picks its player id',
        post('/api/v1/auth/register', { email: 'a@example.com', password, id: randomUUID() }),
        '(body)',
      ],
      [
        'a limit that sets the status too',
        { method: 'put', path: '/api/v1/me/limits', body: { dailyDepositLimit: 100, status: 'active' } },
        '(body)',
      ],
      // operator injection
      ['a login with a Mongo operator as email', post('/api/v1/auth/login', { email: { $gt: '' }, password }), 'email'],
      [
        'a login with a Mongo operator as password',
        post('/api/v1/auth/login', { email: 'a@example.com', password: { $ne: null } }),
        'password',
      ],
      ['a registration with a Mongo operator as email', post('/api/v1/auth/register', { email: { $regex: '.*' }, password }), 'email'],
      // claims take no body
      ['a claim naming another offer', post('/api/v1/bonuses/offers/welcome-100/claim', { offerId: 'reload-50' }), '(body)'],
      ['a claim with an amount', post('/api/v1/bonuses/offers/welcome-100/claim', { amount: 100_000 }), '(body)'],
    ] as [string, BadRequest, string][])(
      'when %s is sent, then it is a 400 problem naming %s and nothing is forwarded',
      async (_what, bad, field) => {
        const { res, g, fields } = await sendBad(bad);

        expectProblem(res, 400, 'invalid-request');
        expect(fields).toContain(field);
        expect(g.upstreamRequests()).toEqual([]);
      },
    );
  });

  describe('money amounts', () => {
    const AMOUNTS: [string, unknown][] = [
      ['zero', 0],
      ['negative', -5],
      ['a fraction of a cent', 10.5],
      ['a string', '100'],
      ['absurdly large (1e12)', 1e12],
      ['null', null],
    ];
    const ROUTES: [string, string, string][] = [
      ['deposit', DEPOSIT, 'amount'],
      ['withdrawal', WITHDRAW, 'amount'],
      ['spin', SPIN, 'stake'],
    ];

    test.each(ROUTES.flatMap(([what, path, field]) => AMOUNTS.map(([how, value]) => [what, how, path, field, value] as const)))(
      'when a %s amount is %s, then it is a 400 problem naming the amount and nothing is forwarded',
      async (_what, _how, path, field, value) => {
        const { res, g, fields } = await sendBad(post(path, { [field]: value }));

        expectProblem(res, 400, 'invalid-request');
        expect(fields).toEqual([field]);
        expect(g.upstreamRequests()).toEqual([]);
      },
    );

    test('when a deposit is one cent over 10,000.00 EUR, then it is refused; at exactly 10,000.00 EUR it is forwarded', async () => {
      const g = await gateway();
      const token = bearer(g.playerToken(randomUUID()));

      const over = await request(g.app).post(DEPOSIT).set(token).send({ amount: 1_000_001 });
      const max = await request(g.app).post(DEPOSIT).set(token).send({ amount: 1_000_000 });

      expectProblem(over, 400, 'invalid-request');
      expect(over.body.detail).toContain('at most 1000000 cents');
      expect(max.status).toBe(200);
      expect(g.fakes.payment.requests.map((r) => r.body)).toEqual([{ amount: 1_000_000 }]);
    });
  });

  describe('path parameters', () => {
    const BAD_IDS: [string, string][] = [
      ['a path traversal', '..%2F..%2Fx'],
      ['upper case', 'LUCKY'],
      ['a leading dash', '-lucky'],
      ['a dot-dot', '%2E%2E'],
      ['65 characters', 'a'.repeat(65)],
      ['a NUL byte', 'lucky%00'],
    ];

    test.each(
      BAD_IDS.flatMap(
        ([how, id]) =>
          [
            ['game', how, { method: 'get', path: `/api/v1/games/${id}` }],
            ['spin', how, post(`/api/v1/games/${id}/spins`, { stake: 100 })],
            ['bonus claim', how, post(`/api/v1/bonuses/offers/${id}/claim`)],
          ] as [string, string, BadRequest][],
      ),
    )('when the %s id is %s, then it is a 400 problem and nothing is forwarded', async (_what, _how, bad) => {
      const { res, g } = await sendBad(bad);

      expectProblem(res, 400, 'invalid-request');
      expect(res.body.detail).toMatch(/(game|offer) id is invalid/);
      expect(g.upstreamRequests()).toEqual([]);
    });
  });

  describe('query strings', () => {
    const LISTS = ['/api/v1/rounds', '/api/v1/bonuses', '/api/v1/wallet/transactions'];
    const BAD_QUERIES: [string, string][] = [
      ['limit is 0', 'limit=0'],
      ['limit is 1000', 'limit=1000'],
      ['limit is not a number', 'limit=abc'],
      ['limit is a fraction', 'limit=2.5'],
      ['limit is given twice', 'limit=1&limit=2'],
      ['an unknown parameter is given', 'offset=10'],
    ];

    test.each(LISTS.flatMap((path) => BAD_QUERIES.map(([how, query]) => [path, how, query] as const)))(
      'when %s is listed and %s, then it is a 400 problem and nothing is forwarded',
      async (path, _how, query) => {
        const { res, g } = await sendBad({ method: 'get', path: `${path}?${query}` });

        expectProblem(res, 400, 'invalid-request');
        expect(res.body.detail).toContain('query is invalid');
        expect(g.upstreamRequests()).toEqual([]);
      },
    );

    test('when transactions are filtered by an unknown type, then it is a 400 problem naming type', async () => {
      const { res, g, fields } = await sendBad({ method: 'get', path: '/api/v1/wallet/transactions?type=jackpot' });

      expectProblem(res, 400, 'invalid-request');
      expect(fields).toEqual(['type']);
      expect(g.upstreamRequests()).toEqual([]);
    });
  });

  describe('body size', () => {
    const padding = 'x'.repeat(17 * 1024);

    test.each([
      ['a deposit', post(DEPOSIT, { amount: 100, padding })],
      ['a registration', post('/api/v1/auth/register', { email: 'a@example.com', password, displayName: padding })],
      ['a spin', post(SPIN, { stake: 100, padding })],
    ])('when %s body is over 16 KB, then it is a 413 problem and nothing is forwarded', async (_what, bad) => {
      const { res, g } = await sendBad(bad);

      expectProblem(res, 413, 'payload-too-large');
      expect(g.upstreamRequests()).toEqual([]);
    });

    test('when a body is just under 16 KB, then it is read and judged on its fields', async () => {
      const { res } = await sendBad(post(DEPOSIT, { amount: 100, padding: 'x'.repeat(15 * 1024) }));

      expectProblem(res, 400, 'invalid-request');
    });
  });
});
