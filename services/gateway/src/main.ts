import { peerClient, runService } from '@casino/shared';
import { createApp } from './app';

void runService('gateway', [], (deps) =>
  createApp({
    ...deps,
    syncScenariosEveryMs: 2_000,
    jobs: true,
    upstreams: {
      user: peerClient(deps.config, 'user'),
      game: peerClient(deps.config, 'game'),
      payment: peerClient(deps.config, 'payment'),
      wager: peerClient(deps.config, 'wager'),
    },
  }),
);
