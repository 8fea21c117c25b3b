import { Scenarios, ServiceClient } from '@casino/shared';
import { injectedLatency } from '../../src/scenarios/latency';

const client = () => new ServiceClient({ service: 'game', baseUrl: 'http://127.0.0.1:2', timeoutMs: 2_000, retries: 0 });

describe('the latency scenario in the gateway', () => {
  const upstreams = () => ({ user: client(), game: client(), payment: client(), wager: client() });

  test('when it is on for one service, then only calls to that service are held back, by its ms, and only while it is on', () => {
    const scenarios = new Scenarios();
    const clients = upstreams();
    const latency = injectedLatency(scenarios, clients);
    expect(latency(clients.game)).toBeUndefined();

    scenarios.replace({ latency: { enabled: true, params: { ms: 300, service: 'game' } } });
    expect(latency(clients.game)).toBe(300);
    expect(latency(clients.payment)).toBeUndefined();

    scenarios.replace({});
    expect(latency(clients.game)).toBeUndefined();
  });
});
