import { Writable } from 'node:stream';
import { AppError, notFoundHandler, parseInput, problemHandler, problemType, ruleProblems } from '@casino/shared/errors';
import { RuleError } from '@casino/shared/rule-error';
import { createLogger } from '@casino/shared/logger';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';

const depositBody = z.strictObject({ amount: z.number().int().positive(), currency: z.enum(['EUR']) });

/** A small app shaped like a service: 1 kB JSON bodies, a few routes, then 404 and problem handlers. */
function setup() {
  const logs: string[] = [];
  const logger = createLogger({
    service: 'test',
    version: '0',
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    }),
  });
  const app = express();
  app.use(express.json({ limit: '1kb' }));
  app.post('/deposits', (req, res) => {
    const body = parseInput(depositBody, req.body, 'deposit');
    res.status(201).json(body);
  });
  app.get('/wallets/:id', (req) => {
    throw AppError.notFound('wallet-not-found', `There is no wallet ${req.params.id}.`);
  });
  app.post('/withdrawals', () => {
    throw new AppError(422, {
      slug: 'insufficient-funds',
      title: 'Insufficient funds',
      detail: 'You have 5.00 EUR; 10.00 EUR was asked for.',
    });
  });
  app.get('/crash', () => {
    throw new Error('db password=hunter2');
  });
  app.get('/crash-async', async () => {
    await Promise.resolve();
    throw new TypeError('cannot read properties of undefined (reading "secretField")');
  });
  app.use(notFoundHandler);
  app.use(problemHandler(logger));
  return { app, logs };
}

const PROBLEM = 'application/problem+json';

describe('problem responses', () => {
  test('when a route throws an AppError, then the client gets its status as problem+json with type, title, detail and a trace id', async () => {
    const { app } = setup();

    const res = await request(app).post('/withdrawals').send({});

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.body).toEqual({
      type: 'urn:casino:problem:insufficient-funds',
      title: 'Insufficient funds',
      status: 422,
      detail: 'You have 5.00 EUR; 10.00 EUR was asked for.',
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  test('when a helper such as notFound is thrown, then its slug and detail reach the client', async () => {
    const { app } = setup();

    const res = await request(app).get('/wallets/w-42');

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      type: problemType('wallet-not-found'),
      title: 'Not found',
      status: 404,
      detail: 'There is no wallet w-42.',
    });
  });

  test('when the body fails the schema, then it is a 400 whose errors name each bad field', async () => {
    const { app } = setup();

    const res = await request(app).post('/deposits').send({ amount: -5, currency: 'USD', extra: true });

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.body.type).toBe('urn:casino:problem:invalid-request');
    expect(res.body.detail).toMatch(/^The deposit is invalid: /);
    const paths = (res.body.errors as { path: string; message: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['(body)', 'amount', 'currency']);
    for (const e of res.body.errors as { message: string }[]) expect(e.message.length).toBeGreaterThan(0);
  });

  test('when the body is valid, then the route runs and no problem comes back', async () => {
    const { app } = setup();

    const res = await request(app).post('/deposits').send({ amount: 500, currency: 'EUR' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ amount: 500, currency: 'EUR' });
  });

  test('when the body is malformed JSON, then it is a 400 problem saying so', async () => {
    const { app } = setup();

    const res = await request(app).post('/deposits').set('content-type', 'application/json').send('{"amount": 5,');

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.body).toMatchObject({ type: 'urn:casino:problem:invalid-request', detail: 'The request body is not valid JSON.' });
  });

  test('when the body is larger than the limit, then it is a 413 problem', async () => {
    const { app } = setup();

    const res = await request(app)
      .post('/deposits')
      .send({ amount: 5, currency: 'EUR', pad: 'x'.repeat(2048) });

    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.body).toMatchObject({ type: 'urn:casino:problem:payload-too-large', status: 413 });
  });

  test('when a route fails unexpectedly, then the client gets a 500 that reveals nothing of the error, and the log keeps it', async () => {
    const { app, logs } = setup();

    const res = await request(app).get('/crash');

    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ type: 'urn:casino:problem:internal', title: 'Internal error', status: 500 });
    expect(res.body.detail).toContain('Quote the trace id');
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toContain('db password');
    expect(logs.join('')).toContain('"level":"error"');
  });

  test('when an async route rejects, then it is the same opaque 500', async () => {
    const { app } = setup();

    const res = await request(app).get('/crash-async');

    expect(res.status).toBe(500);
    expect(res.body.type).toBe('urn:casino:problem:internal');
    expect(res.text).not.toContain('secretField');
  });

  test('when no route matches, then it is a 404 problem naming the method and path, not an HTML page', async () => {
    const { app } = setup();

    const res = await request(app).delete('/no/such/thing?x=1');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.body).toMatchObject({
      type: 'urn:casino:problem:route-not-found',
      status: 404,
      detail: 'No route for DELETE /no/such/thing.',
    });
  });
});

describe("a service's rule errors", () => {
  class SpinRuleError extends RuleError<'stake-too-high' | 'closed'> {}
  class Unrelated extends Error {}

  function app(also?: (err: unknown) => unknown) {
    const logger = createLogger({ service: 'test', version: '0', level: 'silent' });
    const routes = express.Router();
    routes.get('/high', () => {
      throw new SpinRuleError('stake-too-high', 'Stakes go up to 10.00 EUR.');
    });
    routes.get('/other', () => {
      throw new Unrelated('boom');
    });
    routes.use(
      ruleProblems(
        SpinRuleError,
        { 'stake-too-high': { status: 422, title: 'Stake too high' }, closed: { status: 403, title: 'Forbidden' } },
        also,
      ),
    );
    return express().use(routes).use(problemHandler(logger));
  }

  test("when a route throws one, then the answer is that rule as a problem, with the error's words as the detail", async () => {
    const res = await request(app()).get('/high');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      type: problemType('stake-too-high'),
      title: 'Stake too high',
      status: 422,
      detail: 'Stakes go up to 10.00 EUR.',
    });
    expect(new SpinRuleError('closed', 'x').name).toBe('SpinRuleError');
  });

  test('when a route throws something else, then it goes on as it is, or as `also` turns it', async () => {
    expect((await request(app()).get('/other')).status).toBe(500);
    const mapped = await request(app((err) => (err instanceof Unrelated ? AppError.conflict('unrelated', 'Mapped.') : err))).get('/other');
    expect(mapped.status).toBe(409);
    expect(mapped.body).toMatchObject({ type: problemType('unrelated'), detail: 'Mapped.' });
  });
});
