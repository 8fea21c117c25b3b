/**
 * The scenario runtime: intentional problems a presenter switches on and off while the platform runs.
 *
 * - `catalogue`: the scenarios, where each acts, and its parameters (pure; the public contract);
 * - `state`: one service's view of which are on (`Scenarios`), pushed by the gateway through `route`;
 * - `marking`: `scenarioApplied()` marks the request a scenario acted on (spans, events, logs);
 * - the faults every service shares: `cache-outage`, `error-burst`'s turns, `n-plus-one`'s read.
 *
 * The seam for a new scenario: an entry in the catalogue naming the services it acts in, and in each
 * of them a hook in `services/<name>/src/scenarios/` that reads `scenarios.active(name)` where the
 * fault acts and calls `scenarioApplied(name)`. Nothing else changes: the admin API, the console,
 * chaos mode and the services' state route all read the catalogue.
 */
export * from './catalogue';
export * from './flags';
export * from './cron-failure';
export * from './marking';
export * from './state';
