/**
 * The gateway's answers: the public API's own types, generated from openapi.yaml
 * (shared/src/public-api.ts, by npm run api:types), the same the gateway is checked against.
 */
import type { Schema } from '../../../shared/src/api-types';

export type Player = Schema<'Player'>;
export type Wallet = Schema<'Wallet'>;
export type Transaction = Schema<'Transaction'>;
export type Game = Schema<'Game'>;
export type SpinResult = Schema<'SpinResult'>;
export type Round = Schema<'Round'>;
export type Offer = Schema<'Offer'>;
export type Bonus = Schema<'Bonus'>;
export interface Items<T> {
  items: T[];
}
