export interface JsonSchemaProperty {
  type?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
}
export interface Scenario {
  name: string;
  enabled: boolean;
  params: Record<string, unknown>;
  description: string;
  services: string[];
  parameters: { properties?: Record<string, JsonSchemaProperty> };
}
export interface HealthItem {
  service: string;
  status: 'ok' | 'warn' | 'down' | 'unreachable';
  latencyMs: number;
  error?: string;
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
}
export interface ChaosStatus {
  running: boolean;
  startedAt: string | null;
  active: { name: string; until: string }[];
  history: { at: string; name: string; action: 'on' | 'off' }[];
}
export interface TrafficStatus {
  state: 'idle' | 'running' | 'stopping' | 'finished';
  startedAt?: string;
  options?: { players: number; durationSeconds: number };
  live?: {
    elapsedSeconds?: number;
    requests?: number;
    errors?: number;
    refused?: number;
    rateLimited?: number;
    requestsPerSecond?: number;
    p50?: number;
    p95?: number;
  };
  summary?: {
    endedBy?: string;
    requests?: number;
    errors?: number;
    requestsPerSecond?: number;
    totals?: { spins?: number; stakedCents?: number; wonCents?: number };
  };
  failure?: string;
}
