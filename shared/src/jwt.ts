import { createSecretKey, type KeyObject } from 'node:crypto';
import type * as JsonWebToken from 'jsonwebtoken';

let jsonwebtoken: typeof JsonWebToken | undefined;
/** Loaded at the first token: of the five services only the user service and the gateway use one. */
function jwt(): typeof JsonWebToken {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (jsonwebtoken ??= require('jsonwebtoken') as typeof JsonWebToken);
}

const ALGORITHM = 'HS256';
const ISSUER = 'casino-user';
const AUDIENCE = 'casino-api';

/**
 * The secret as a key object, made once per secret. Given the string, jsonwebtoken first tries it
 * as a public key (createPublicKey, which throws) on every call: a tenth of the gateway's CPU.
 */
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export interface AccessClaims {
  playerId: string;
}

/** Signs a player's access token. The user service issues them; the gateway checks them. */
export function signAccessToken(playerId: string, secret: string, expiresInSeconds: number): string {
  return jwt().sign({}, keyFor(secret), {
    algorithm: ALGORITHM,
    subject: playerId,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: expiresInSeconds,
  });
}

/** The claims of a valid token, or undefined for a missing, forged, expired or malformed one. */
export function verifyAccessToken(token: string, secret: string): AccessClaims | undefined {
  try {
    const claims = jwt().verify(token, keyFor(secret), { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE });
    if (typeof claims === 'string' || typeof claims.sub !== 'string') return undefined;
    return { playerId: claims.sub };
  } catch {
    return undefined;
  }
}
