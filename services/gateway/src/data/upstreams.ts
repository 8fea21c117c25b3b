import type { ServiceClient } from '@casino/shared';

/** The gateway's clients for the four services behind it. */
export interface Upstreams {
  user: ServiceClient;
  game: ServiceClient;
  payment: ServiceClient;
  wager: ServiceClient;
}
