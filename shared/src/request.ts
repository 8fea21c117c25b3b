import type { Request } from 'express';
import { parseHeader, parseInput } from './errors';
import { annotate, Attr } from './telemetry';
import { playerId, storedIdempotencyKey } from './validation';

/** The `:playerId` of an internal route, validated (400 if not a player id), named on the active span. */
export function playerIdParam(req: Request): string {
  const id = parseInput(playerId, req.params.playerId, 'player id', 'playerId');
  annotate({ [Attr.playerId]: id });
  return id;
}

/** The Idempotency-Key another service sent with a money-moving call (400 if missing or malformed). */
export function idempotencyKeyHeader(req: Request): string {
  return parseHeader(storedIdempotencyKey, req.get('idempotency-key'), 'Idempotency-Key');
}
