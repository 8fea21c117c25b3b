import { peerClient, RETENTION_EVERY_MS, runService } from '@casino/shared';
import { createApp } from './app';
import { httpPeers } from './data/peers';

void runService('payment', ['deposits', 'depositCents', 'withdrawals', 'withdrawalCents', 'paymentFailures'], (deps) =>
  createApp({
    ...deps,
    jobs: true,
    retainEveryMs: RETENTION_EVERY_MS,
    peers: httpPeers({ user: peerClient(deps.config, 'user'), wager: peerClient(deps.config, 'wager') }),
  }),
);
