import { peerClient, runService } from '@casino/shared';
import { createApp } from './app';
import { httpPeers } from './data/peers';

void runService('payment', ['deposits', 'depositCents', 'withdrawals', 'withdrawalCents', 'paymentFailures'], (deps) =>
  createApp({
    ...deps,
    recoverEveryMs: 30_000,
    peers: httpPeers({ user: peerClient(deps.config, 'user'), wager: peerClient(deps.config, 'wager') }),
  }),
);
