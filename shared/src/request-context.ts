/**
 * What the kit keeps for each request while it runs, in one AsyncLocalStorage entered once per
 * request: its own trace id while the SDK is off, and the scenarios that acted on it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ScenarioName } from './scenarios/catalogue';

export interface RequestContext {
  /** The request's trace id, kept only while the SDK is off: with it on, the active span has it. */
  traceId?: string;
  /** The scenarios that have affected the request so far. */
  scenarios: Set<ScenarioName>;
}

const context = new AsyncLocalStorage<RequestContext>();

/** The context of the request being handled, if any. */
export function currentRequest(): RequestContext | undefined {
  return context.getStore();
}

/** Runs `fn`, and everything it starts, as part of the request described by `request`. */
export function runRequest<T>(request: RequestContext, fn: () => T): T {
  return context.run(request, fn);
}
