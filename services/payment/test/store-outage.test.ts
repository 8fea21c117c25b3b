import { EmbeddedStore } from '@casino/shared';
import { OutageStore } from '@casino/shared/testing/outage-store';
import request from 'supertest';
import { ledgerDifferences, newKey, newPlayer, setup } from './support';

describe('payment while its database is unreachable', () => {
  test('when the store goes down mid-traffic, then requests get a 503 problem with a trace id, readiness fails, and no money half-moves', async () => {
    const store = new OutageStore(new EmbeddedStore('casino_payment'));
    const { app } = setup({ store });
    const player = newPlayer();
    await request(app).post(`/wallets/${player}/deposits`).set('idempotency-key', newKey()).send({ amount: 5_000 }).expect(201);

    store.down = true;
    const key = newKey('during-outage');
    const deposit = await request(app).post(`/wallets/${player}/deposits`).set('idempotency-key', key).send({ amount: 2_000 });
    const ready = await request(app).get('/readyz');

    expect(deposit.status).toBe(503);
    expect(deposit.headers['content-type']).toContain('application/problem+json');
    expect(deposit.headers['retry-after']).toBe('2');
    expect(deposit.body).toMatchObject({
      type: 'urn:casino:problem:store-unavailable',
      status: 503,
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(JSON.stringify(deposit.body)).not.toContain('ECONNREFUSED');
    expect(ready.status).toBe(503);
    expect((await request(app).get('/healthz')).status).toBe(200);

    store.down = false;
    expect((await request(app).get('/readyz')).status).toBe(200);
    // The client retries the same request once the database is back: it moves the money once.
    const retried = await request(app).post(`/wallets/${player}/deposits`).set('idempotency-key', key).send({ amount: 2_000 });
    const again = await request(app).post(`/wallets/${player}/deposits`).set('idempotency-key', key).send({ amount: 2_000 });
    expect(retried.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await request(app).get(`/wallets/${player}`)).body).toMatchObject({ cash: 7_000, bonus: 0 });
    expect(await ledgerDifferences(store)).toEqual([]);
  });
});
