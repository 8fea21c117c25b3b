import { randomUUID } from 'node:crypto';
import { signAccessToken, verifyAccessToken } from '@casino/shared/jwt';
import jwt from 'jsonwebtoken';

const SECRET = 'jwt-test-secret-jwt-test-secret-0123456789';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  test('when a token is signed for a player, then verifying it with the same secret gives that player id', () => {
    const playerId = randomUUID();

    const token = signAccessToken(playerId, SECRET, 3600);

    expect(verifyAccessToken(token, SECRET)).toEqual({ playerId });
  });

  test('when a token is signed, then it is HS256, names issuer, audience and subject, and expires after the given seconds', () => {
    const playerId = randomUUID();

    const token = signAccessToken(playerId, SECRET, 600);

    const { header, payload } = jwt.decode(token, { complete: true }) as {
      header: { alg: string };
      payload: Record<string, number | string>;
    };
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: playerId, iss: 'casino-user', aud: 'casino-api' });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(600);
  });

  test('when a token was signed with another secret, then it is rejected', () => {
    const token = signAccessToken(randomUUID(), 'another-secret-another-secret-0123456789', 3600);

    expect(verifyAccessToken(token, SECRET)).toBeUndefined();
  });

  test('when a token has expired, then it is rejected', () => {
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ iat: now - 120, exp: now - 60 }, SECRET, {
      algorithm: 'HS256',
      subject: randomUUID(),
      issuer: 'casino-user',
      audience: 'casino-api',
    });

    expect(verifyAccessToken(token, SECRET)).toBeUndefined();
  });

  test('when the payload is changed to another player, then the signature no longer matches and it is rejected', () => {
    const token = signAccessToken(randomUUID(), SECRET, 3600);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${b64({ ...claims, sub: randomUUID() })}.${signature}`;

    expect(verifyAccessToken(forged, SECRET)).toBeUndefined();
  });

  test("when a token says alg 'none' and has no signature, then it is rejected", () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: randomUUID(), iss: 'casino-user', aud: 'casino-api', iat: now, exp: now + 3600 })}.`;

    expect(verifyAccessToken(unsigned, SECRET)).toBeUndefined();
  });

  test('when a token is signed with the right secret but another algorithm, then it is rejected', () => {
    const token = jwt.sign({}, SECRET, {
      algorithm: 'HS512',
      subject: randomUUID(),
      issuer: 'casino-user',
      audience: 'casino-api',
      expiresIn: 3600,
    });

    expect(verifyAccessToken(token, SECRET)).toBeUndefined();
  });

  test('when a token is for another audience or issuer, or has no subject, then it is rejected', () => {
    const base = { algorithm: 'HS256' as const, expiresIn: 3600 };

    const otherAudience = jwt.sign({}, SECRET, { ...base, subject: randomUUID(), issuer: 'casino-user', audience: 'admin-api' });
    const otherIssuer = jwt.sign({}, SECRET, { ...base, subject: randomUUID(), issuer: 'someone-else', audience: 'casino-api' });
    const noSubject = jwt.sign({}, SECRET, { ...base, issuer: 'casino-user', audience: 'casino-api' });

    expect([otherAudience, otherIssuer, noSubject].map((t) => verifyAccessToken(t, SECRET))).toEqual([undefined, undefined, undefined]);
  });

  test.each(['', 'not-a-token', 'a.b.c', 'Bearer x.y.z'])('when the token is %j, then it is rejected without throwing', (token) => {
    expect(verifyAccessToken(token, SECRET)).toBeUndefined();
  });
});
