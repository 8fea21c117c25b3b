import jwt from 'jsonwebtoken';

const ALGORITHM = 'HS256';
const ISSUER = 'casino-user';
const AUDIENCE = 'casino-api';

export interface AccessClaims {
  playerId: string;
}

/** Signs a player's access token. The user service issues them; the gateway checks them. */
export function signAccessToken(playerId: string, secret: string, expiresInSeconds: number): string {
  return jwt.sign({}, secret, { algorithm: ALGORITHM, subject: playerId, issuer: ISSUER, audience: AUDIENCE, expiresIn: expiresInSeconds });
}

/** The claims of a valid token, or undefined for a missing, forged, expired or malformed one. */
export function verifyAccessToken(token: string, secret: string): AccessClaims | undefined {
  try {
    const claims = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE });
    if (typeof claims === 'string' || typeof claims.sub !== 'string') return undefined;
    return { playerId: claims.sub };
  } catch {
    return undefined;
  }
}
