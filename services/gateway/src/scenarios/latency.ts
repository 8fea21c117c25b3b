import * as Sentry from '@sentry/node';
import { appliedScenarios, Attr, type Dispatcher, scenarioApplied, type Scenarios, type ServiceClient, serviceAgent } from '@casino/shared';

export type { Dispatcher };
type Handler = Parameters<Dispatcher['dispatch']>[1];
type Upstream = 'user' | 'game' | 'payment' | 'wager';

/**
 * Holds each response `ms` after its headers arrive, as a slow network would. The callee has
 * already answered, so its own span does not grow; the caller's http.client span runs from undici
 * creating the request to the end of the response, so it does. A delay before the call would
 * land outside that span, where nobody looking at the hop would see it.
 */
export function delayingDispatcher(ms: number): Dispatcher {
  const dispatch = (options: Parameters<Dispatcher['dispatch']>[0], handler: Handler): boolean => {
    let timer: NodeJS.Timeout | undefined;
    let failed = false;
    const delayed = new Proxy(handler, {
      get(target, prop, receiver) {
        const { onHeaders, onError } = target;
        if (prop === 'onHeaders' && onHeaders) {
          return (status: number, headers: Buffer[], resume: () => void, text: string): boolean => {
            if (status < 200) return onHeaders.call(receiver, status, headers, resume, text);
            // Until the delay is over, the reader of the body must not resume the socket either.
            let open = false;
            let wanted = false;
            const gated = () => (open ? resume() : (wanted = true));
            if (onHeaders.call(receiver, status, headers, gated, text) !== false) wanted = true;
            timer = setTimeout(() => {
              open = true;
              if (wanted && !failed) resume();
            }, ms);
            return false;
          };
        }
        if (prop === 'onError' && onError) {
          return (err: Error) => {
            failed = true;
            clearTimeout(timer);
            return onError.call(receiver, err);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const accepted = serviceAgent.dispatch(options, delayed);
    markClientSpan(`${String(options.origin ?? '')}${options.path.split('?')[0]}`);
    return accepted;
  };
  return { dispatch } as unknown as Dispatcher;
}

/**
 * The SDK made the call's http.client span while undici created the request, which has just
 * happened: it is the newest open http.client span for this URL in the request's trace.
 */
function markClientSpan(url: string): void {
  const active = Sentry.getActiveSpan();
  const value = appliedScenarios();
  if (!active || !value) return;
  const span = Sentry.getSpanDescendants(Sentry.getRootSpan(active))
    .filter((s) => {
      const { attributes, end_timestamp: ended } = Sentry.spanToJSON(s);
      return attributes['sentry.op'] === 'http.client' && ended === undefined && String(attributes['url.full'] ?? '').startsWith(url);
    })
    .at(-1);
  span?.setAttribute(Attr.scenario, value);
}

/**
 * The latency scenario on the public API: calls to the service it names go through a delaying
 * dispatcher, and the request is marked. Built from the gateway's own clients, so the scenario
 * state it pushes to the services, which uses the same clients but not this, is never delayed.
 */
export function injectedLatency(
  scenarios: Scenarios,
  upstreams: Record<Upstream, ServiceClient>,
): (client: ServiceClient) => Dispatcher | undefined {
  const names = new Map([...Object.entries(upstreams)].map(([name, client]) => [client, name]));
  return (client) => {
    const on = scenarios.active('latency');
    if (!on || names.get(client) !== on.service) return undefined;
    scenarioApplied('latency');
    return delayingDispatcher(on.ms);
  };
}
