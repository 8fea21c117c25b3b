/** The admin API's answers, from the public API's generated types (see ../api/types.ts). */
import type { Schema } from '../../../shared/src/api-types';

export interface JsonSchemaProperty {
  type?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
}
/** A scenario as the admin API lists it; `parameters` is its JSON Schema, read here for the form. */
export type Scenario = Omit<Schema<'Scenario'>, 'parameters'> & { parameters: { properties?: Record<string, JsonSchemaProperty> } };
type HealthGridItem = Schema<'HealthGrid'>['items'][number];
/** One service in the health grid; `health` is its /health body, of which the grid reads these fields. */
export type HealthItem = Omit<HealthGridItem, 'health'> & {
  health?: {
    version?: string;
    release?: string;
    uptimeSeconds?: number;
    components?: {
      store?: { status: string; kind?: string; latencyMs?: number };
      cache?: { status: string; state?: string };
      memory?: { heapUsedBytes?: number; rssBytes?: number };
      eventLoop?: { delayP99Ms?: number };
    };
  };
};
export type ChaosStatus = Schema<'ChaosStatus'>;
export type TrafficStatus = Schema<'TrafficStatus'>;
