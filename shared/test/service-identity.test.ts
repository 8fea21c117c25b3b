import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ConfigError, parseConfig } from '../src/config';
import {
  newKeyPair,
  parsePublicKey,
  parseSigningKey,
  policyLookup,
  TOKEN_SECONDS,
  TokenSigner,
  TokenVerifier,
} from '../src/service-identity';
import { TEST_ENV, TEST_SERVICE_KEYS, testDeps } from '../src/testing';
import { createServiceApp } from '../src/service';
import { Router } from 'express';

const game = newKeyPair();
const wager = newKeyPair();
const publicKeys = { game: parsePublicKey(game.publicKey), wager: parsePublicKey(wager.publicKey) };

/** A clock the test moves by hand. */
function clock(start = Date.UTC(2026, 11, 4, 12)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('service tokens', () => {
  test('when game calls payment, then payment knows the caller is game', () => {
    const signer = new TokenSigner('game', parseSigningKey(game.signingKey));

    expect(new TokenVerifier('payment', publicKeys).caller(signer.authorization('payment'))).toEqual({ caller: 'game' });
  });

  test('when a caller calls again within the token life, then it sends the same token, and a new one once it nears its end', () => {
    const time = clock();
    const signer = new TokenSigner('game', parseSigningKey(game.signingKey), time.now);
    const first = signer.authorization('payment');

    time.advance(60_000);
    expect(signer.authorization('payment')).toBe(first);
    expect(signer.authorization('wager')).not.toBe(first);
    time.advance((TOKEN_SECONDS - 60) * 1000);
    expect(signer.authorization('payment')).not.toBe(first);
  });

  test('when a token is expired, then it is refused, even one the callee has checked before', () => {
    const time = clock();
    const token = new TokenSigner('game', parseSigningKey(game.signingKey), time.now).authorization('payment');
    const verifier = new TokenVerifier('payment', publicKeys, time.now);

    expect(verifier.caller(token)).toEqual({ caller: 'game' });
    time.advance(TOKEN_SECONDS * 1000 + 1000);
    expect(verifier.caller(token)).toEqual({ refused: 'invalid' });
  });

  test('when a token names another caller than the key that signed it, or another audience, then it is refused', () => {
    const wagerKey = parseSigningKey(wager.signingKey);
    const claimsGame = `Bearer ${jwt.sign({}, wagerKey, { algorithm: 'ES256', issuer: 'casino-game', subject: 'game', audience: 'casino-payment', expiresIn: 60 })}`;
    const forUser = new TokenSigner('game', parseSigningKey(game.signingKey)).authorization('user');
    const verifier = new TokenVerifier('payment', publicKeys);

    expect(verifier.caller(claimsGame)).toEqual({ refused: 'invalid' });
    expect(verifier.caller(forUser)).toEqual({ refused: 'invalid' });
  });

  test('when a token is unsigned, or signed with HS256 using the public key as the secret, then it is refused', () => {
    const claims = { iss: 'casino-game', sub: 'game', aud: 'casino-payment' };
    const none = jwt.sign(claims, '', { algorithm: 'none', expiresIn: 60 });
    const confused = jwt.sign(claims, createSecretKey(Buffer.from(game.publicKey, 'base64')), { algorithm: 'HS256', expiresIn: 60 });
    const verifier = new TokenVerifier('payment', publicKeys);

    expect(verifier.caller(`Bearer ${none}`)).not.toHaveProperty('caller');
    expect(verifier.caller(`Bearer ${confused}`)).toEqual({ refused: 'invalid' });
  });

  test('when the header is missing, not a bearer token, or names a service the callee holds no key for, then each says why', () => {
    const gateway = newKeyPair();
    const verifier = new TokenVerifier('payment', publicKeys);

    expect(verifier.caller(undefined)).toEqual({ refused: 'missing' });
    expect(verifier.caller('Basic dXNlcjpwYXNz')).toEqual({ refused: 'malformed' });
    expect(verifier.caller(new TokenSigner('gateway', parseSigningKey(gateway.signingKey)).authorization('payment'))).toEqual({
      refused: 'unknown-caller',
    });
  });
});

describe('caller policies', () => {
  test('when a service behind the gateway is built without saying who may call it, then it will not start', () => {
    expect(() => createServiceApp({ ...testDeps('payment'), routes: Router() })).toThrow(
      'the payment service must say which services may call its routes',
    );
    expect(() => createServiceApp({ ...testDeps('gateway'), routes: Router() })).not.toThrow();
  });

  const allowed = policyLookup({ 'POST /wallets/:playerId/bets': ['game'], 'GET /wallets/:playerId': ['gateway', 'wager'] });

  test('when a path fills the route parameters, then the route callers apply; a parameter never spans a slash', () => {
    expect([...allowed('POST', '/wallets/p1/bets')]).toEqual(['game']);
    expect([...allowed('HEAD', '/wallets/p1')]).toEqual(['gateway', 'wager']);
    expect([...allowed('GET', '/wallets/p1/bets')]).toEqual([]);
    expect([...allowed('POST', '/wallets/p1/x/bets')]).toEqual([]);
    expect([...allowed('POST', '/wallets/p1')]).toEqual([]);
  });
});

describe('identity settings', () => {
  test('when a service that calls others has no key of its own, or one that is not a P-256 key, then it will not start', () => {
    const { GAME_SIGNING_KEY: _own, ...withoutGameKey } = TEST_ENV;
    const rsa =
      'MIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8AgEAAkEAq7BFUpkGp3+LQmlQYx2eqzDV+xeG8kx/sQFV18S5JhzGeIJNA72wSeukEPojtqUyX2J0CciPBh7eqclQ2zpAswIDAQABAkAgisq4+zRdrzkwH1ITV1vpytnkO/NiHcnePQiOW0VUybPyHoGM/jf75C5xET7ZQpBe5kx5VHsPZj0CBb3b+wSRAiEA2mPWCBytosIU/ODRfq6EiV04lt6waE7I2uSPqIC20LcCIQDJQYIHQII+3YaPqyhGgqMexuuuGx+lDKD6/Fu/JwPb5QIhAKthiYcYKlL9h8bjDsQhZDUACPasjzdsDEdq8inDyLOFAiEAmCr/tZwA3qeAZoBzI10DGPIuoKXBd3nk/eBxPkaxlEECIQCNymjsoI7GldtujVnr1qT+3yedLfHKsrDVjIT3LsvTqw==';

    expect(() => parseConfig('game', withoutGameKey)).toThrow(new ConfigError('GAME_SIGNING_KEY is required by the game service'));
    expect(() => parseConfig('game', { ...TEST_ENV, GAME_SIGNING_KEY: rsa })).toThrow(
      /^GAME_SIGNING_KEY must be a base64 PKCS#8 P-256 private key \(npm run service-keys makes a set\)$/,
    );
    expect(() => parseConfig('game', { ...TEST_ENV, GAME_SIGNING_KEY: 'not a key' })).toThrow(/GAME_SIGNING_KEY must be/);
  });

  test('when a service behind the gateway lacks a caller public key, then it will not start', () => {
    const { WAGER_PUBLIC_KEY: _wager, ...withoutWager } = TEST_ENV;

    expect(() => parseConfig('payment', withoutWager)).toThrow(new ConfigError('WAGER_PUBLIC_KEY is required by the payment service'));
  });

  test('when the gateway is shared on a network (HOST=0.0.0.0), then the services behind it still listen on loopback unless INTERNAL_HOST says otherwise', () => {
    const shared = { ...TEST_ENV, HOST: '0.0.0.0' };

    expect(parseConfig('gateway', shared).host).toBe('0.0.0.0');
    for (const service of ['user', 'game', 'payment', 'wager'] as const) expect(parseConfig(service, shared).host).toBe('127.0.0.1');
    expect(parseConfig('payment', { ...shared, INTERNAL_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  test('when a service has the keys, then it holds its own private key and only public keys of the others', () => {
    const config = parseConfig('payment', TEST_ENV);

    expect(config.identity.signingKey?.asymmetricKeyType).toBe('ec');
    expect(Object.keys(config.identity.publicKeys).sort()).toEqual(['game', 'gateway', 'payment', 'wager']);
    expect(Object.values(config.identity.publicKeys).every((k) => k.type === 'public')).toBe(true);
    expect(TEST_SERVICE_KEYS.PAYMENT_SIGNING_KEY).not.toBe(TEST_SERVICE_KEYS.GAME_SIGNING_KEY);
  });
});
