import { timingSafeEqual } from 'node:crypto';
import { AppError, annotate, Attr, verifyAccessToken } from '@casino/shared';
import type { NextFunction, Request, Response } from 'express';

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

/** Presenters: the ADMIN_TOKEN, compared in constant time. */
export function requireAdmin(adminToken: string) {
  const expected = Buffer.from(adminToken);
  return (req: Request, res: Response, next: NextFunction) => {
    const given = Buffer.from(bearer(req) ?? '');
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    next(ok ? undefined : unauthorized(res, 'Admin routes take Authorization: Bearer <ADMIN_TOKEN>.'));
  };
}
