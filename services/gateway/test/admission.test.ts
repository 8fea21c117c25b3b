/** The gateway holds spins in flight to what the platform answers in time, refusing the rest before forwarding. */
import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { bearer, closeAll, expectObservedErrorsDocumented, expectProblem, gateway } from './harness';

afterEach(closeAll);
afterAll(expectObservedErrorsDocumented);

const SPIN = { status: 201, body: { roundId: 'r', win: 0 }, delayMs: 300 };
const spin = (app: RequestListener, token: string) =>
  request(app).post('/api/v1/games/lucky-sevens/spins').set(bearer(token)).set('idempotency-key', randomUUID()).send({ stake: 100 });

describe('spins in flight', () => {
  test('when one player sends six spins at once, then four are forwarded and two refused with 429 and Retry-After, and the next one after them is let in', async () => {
    const g = await gateway();
    g.fakes.game.answer(SPIN);
    const token = g.playerToken(randomUUID());

    const answers = await Promise.all(Array.from({ length: 6 }, () => spin(g.app, token)));
    const later = await spin(g.app, token);

    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 201, 429, 429]);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expectProblem(refused, 429, 'too-many-spins');
      expect(refused.headers['retry-after']).toBe('1');
    }
    expect(g.fakes.game.requests).toHaveLength(5);
    expect(later.status).toBe(201);
  });

  test('when more players spin at once than SPINS_IN_FLIGHT, then the spins beyond it are refused with 503 overloaded, never forwarded', async () => {
    const g = await gateway({ env: { SPINS_IN_FLIGHT: '3' } });
    g.fakes.game.answer(SPIN);

    const answers = await Promise.all(Array.from({ length: 5 }, () => spin(g.app, g.playerToken(randomUUID()))));

    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 503, 503]);
    for (const refused of answers.filter((a) => a.status === 503)) expectProblem(refused, 503, 'overloaded');
    expect(g.fakes.game.requests).toHaveLength(3);
  });

  test('when a client gives up on a spin, then its place is freed', async () => {
    const g = await gateway({ env: { SPINS_IN_FLIGHT_PER_PLAYER: '1' } });
    g.fakes.game.answer({ ...SPIN, delayMs: 2_000 }, SPIN);
    const token = g.playerToken(randomUUID());

    await spin(g.app, token)
      .timeout(200)
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));

    expect((await spin(g.app, token)).status).toBe(201);
  });
});
