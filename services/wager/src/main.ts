import { peerClient, RETENTION_EVERY_MS, runService } from '@casino/shared';
import { createApp } from './app';
import { httpPeers } from './data/peers';

void runService('wager', ['bonusClaims', 'bonusCreditedCents', 'bonusConversions', 'bonusConvertedCents', 'bonusForfeits'], (deps) =>
  createApp({
    ...deps,
    jobs: true,
    retainEveryMs: RETENTION_EVERY_MS,
    peers: httpPeers({ user: peerClient(deps.config, 'user'), payment: peerClient(deps.config, 'payment') }),
  }),
);
