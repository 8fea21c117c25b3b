import { scenarioApplied, type Scenarios, type ServiceClient } from '@casino/shared';

type Upstream = 'user' | 'game' | 'payment' | 'wager';

/**
 * The latency scenario on the public API: answers from the service it names are held back `ms`
 * once their headers arrive, as a slow network would. The callee has already answered, so its own
 * span does not grow; the gateway's http.client span for the call runs to the end of the answer,
 * so it does, and is marked with the scenario like every span the request starts after it applied.
 * A delay before the call would land outside that span, where nobody looking at the hop would see
 * it. Built from the gateway's own clients, so the scenario state it pushes to the services, which
 * uses the same clients but not this, is never delayed.
 */
export function injectedLatency(
  scenarios: Scenarios,
  upstreams: Record<Upstream, ServiceClient>,
): (client: ServiceClient) => number | undefined {
  const names = new Map([...Object.entries(upstreams)].map(([name, client]) => [client, name]));
  return (client) => {
    const on = scenarios.active('latency');
    if (!on || names.get(client) !== on.service) return undefined;
    scenarioApplied('latency');
    return on.ms;
  };
}
