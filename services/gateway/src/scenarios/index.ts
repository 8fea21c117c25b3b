/**
 * Every intentional fault the gateway performs, each behind a hook named for where it acts. The
 * public API calls the hooks; only this folder reads the scenario state. (The control plane in
 * ops/ switches scenarios; it performs none.)
 */
import type { Scenarios, ServiceClient } from '@casino/shared';
import type { ErrorRequestHandler } from 'express';
import type { Upstreams } from '../data/upstreams';
import { errorBurstReports } from './error-burst';
import { type Dispatcher, injectedLatency } from './latency';

export interface GatewayFaults {
  /** A call to an upstream goes out. latency: a dispatcher that holds its answer back, or undefined for none. */
  upstreamDispatcher(client: ServiceClient): Dispatcher | undefined;
  /** The public API's errors, on their way to the central handler. error-burst: reported and marked. */
  apiErrors: ErrorRequestHandler;
}

export function gatewayFaults(scenarios: Scenarios, upstreams: Upstreams): GatewayFaults {
  return { upstreamDispatcher: injectedLatency(scenarios, upstreams), apiErrors: errorBurstReports(scenarios) };
}
