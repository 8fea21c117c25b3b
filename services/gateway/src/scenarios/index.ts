/**
 * Every intentional fault the gateway performs, each behind a hook named for where it acts. The
 * public API calls the hooks; only this folder reads the scenario state. (The control plane in
 * ops/ switches scenarios; it performs none.)
 */
import type { Scenarios, ServiceClient } from '@casino/shared';
import type { ErrorRequestHandler } from 'express';
import type { Upstreams } from '../data/upstreams';
import { errorBurstReports } from './error-burst';
import { injectedLatency } from './latency';

export interface GatewayFaults {
  /** A call to an upstream goes out. latency: how long to hold its answer back, or undefined for not at all. */
  upstreamHoldMs(client: ServiceClient): number | undefined;
  /** The public API's errors, on their way to the central handler. error-burst: reported and marked. */
  apiErrors: ErrorRequestHandler;
}

export function gatewayFaults(scenarios: Scenarios, upstreams: Upstreams): GatewayFaults {
  return { upstreamHoldMs: injectedLatency(scenarios, upstreams), apiErrors: errorBurstReports(scenarios) };
}
