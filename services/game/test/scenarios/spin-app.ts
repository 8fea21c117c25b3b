import { randomUUID } from 'node:crypto';
import type { ScenarioSnapshot } from '@casino/shared';
import { asItsCallers, testDeps } from '@casino/shared/testing';
import request from 'supertest';
import { gameCallers } from '../../src/api/callers';
import { createApp } from '../../src/app';
import { seededRng } from '../../src/domain/slots';
import { FakeGamePeers } from '../fake-peers';

/** The game app with these scenarios on, fake peers, and a spin of 1 EUR on lucky-sevens for a new player. */
export function setup(state: ScenarioSnapshot = {}) {
  const deps = testDeps('game');
  deps.scenarios.replace(state);
  const peers = new FakeGamePeers();
  const app = asItsCallers(createApp({ ...deps, peers, rng: seededRng(7) }), 'game', gameCallers);
  const spin = (player = randomUUID()) =>
    request(app).post(`/players/${player}/games/lucky-sevens/spins`).set('idempotency-key', randomUUID()).send({ stake: 100 });
  return { deps, peers, app, spin };
}
