import {
  SCENARIO_CATALOGUE,
  SCENARIO_NAMES,
  type ScenarioName,
  scenarioParams,
  type ScenarioSetting,
} from '@casino/shared/scenarios/catalogue';
import { z } from 'zod';

/** A demo scenario as the admin API lists it. */
export interface ScenarioView {
  name: ScenarioName;
  enabled: boolean;
  /** The values in force when on: the ones set, or the defaults. */
  params: Record<string, unknown>;
  description: string;
  services: string[];
  /** JSON Schema of the parameters it takes. */
  parameters: Record<string, unknown>;
}

export function scenarioView(name: ScenarioName, setting: ScenarioSetting | undefined): ScenarioView {
  const entry = SCENARIO_CATALOGUE[name];
  const { $schema: _schema, ...parameters } = z.toJSONSchema(entry.params, { io: 'input' }) as Record<string, unknown>;
  return {
    name,
    enabled: setting?.enabled ?? false,
    params: setting?.params ?? (scenarioParams(name, {}) as Record<string, unknown>),
    description: entry.description,
    services: [...entry.services],
    parameters,
  };
}

export const catalogue = (state: Partial<Record<ScenarioName, ScenarioSetting>>): ScenarioView[] =>
  SCENARIO_NAMES.map((name) => scenarioView(name, state[name]));
