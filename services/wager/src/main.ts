import { peerClient, runService } from '@casino/shared';
import { createApp } from './app';
import { httpPeers } from './data/peers';

void runService('wager', ['bonusClaims', 'bonusCreditedCents', 'bonusConversions', 'bonusConvertedCents', 'bonusForfeits'], (deps) =>
  createApp({ ...deps, peers: httpPeers({ user: peerClient(deps.config, 'user'), payment: peerClient(deps.config, 'payment') }) }),
);
