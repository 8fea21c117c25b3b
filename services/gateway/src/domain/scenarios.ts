import type { ServiceName } from '@casino/shared';

/** A demo problem a presenter can switch on and off while the platform runs, as the admin API lists it. */
export interface ScenarioView {
  name: string;
  enabled: boolean;
  params: Record<string, unknown>;
  description: string;
  services: ServiceName[];
}

/** The catalogue of demo scenarios. None is built yet, so the admin API lists none and knows none. */
export const SCENARIOS: readonly ScenarioView[] = [];
