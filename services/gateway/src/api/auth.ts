import { timingSafeEqual } from 'node:crypto';
import { AppError, annotate, Attr, type Cache, verifyAccessToken } from '@casino/shared';
import type { NextFunction, Request, Response } from 'express';
import { FailureThrottle, throttled } from './failure-throttle';

function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header?.match(/^Bearer ([A-Za-z0-9._~+/=-]{1,2048})$/);
  return match?.[1];
}

function unauthorized(res: Response, detail?: string): AppError {
  res.setHeader('www-authenticate', 'Bearer');
  return AppError.unauthorized(detail);
}

/** Players: a valid access token; its subject becomes res.locals.playerId. */
export function requirePlayer(secret: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    const claims = token && verifyAccessToken(token, secret);
    if (!claims) return next(unauthorized(res, token ? 'The access token is invalid or expired.' : undefined));
    res.locals.playerId = claims.playerId;
    annotate({ [Attr.playerId]: claims.playerId });
    next();
  };
}

/** Failed admin tokens a client address may send in a window before it must wait for the window's end. */
export const ADMIN_FAILURES = { limit: 10, windowMs: 15 * 60_000 };

/**
 * Presenters: the ADMIN_TOKEN, compared in constant time. An address that keeps sending wrong ones
 * is refused for a while (`ADMIN_FAILURES`), by the address Express trusts (TRUST_PROXY).
 */
export function requireAdmin(adminToken: string, cache: Cache, secret: string) {
  const expected = Buffer.from(adminToken);
  const failures = new FailureThrottle({ cache, secret, name: 'admin-failures', ...ADMIN_FAILURES });
  return async (req: Request, res: Response, next: NextFunction) => {
    const address = req.ip ?? 'unknown';
    const wait = await failures.retryAfter(address);
    if (wait) return next(throttled(res, wait, `Too many wrong admin tokens from this address; try again in ${wait} s.`));
    const given = Buffer.from(bearer(req) ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    await failures.failed(address);
    next(unauthorized(res, 'Admin routes take Authorization: Bearer <ADMIN_TOKEN>.'));
  };
}
