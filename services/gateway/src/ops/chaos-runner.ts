import { type Logger, type Rng, type ScenarioName, type Scenarios, seededRng } from '@casino/shared';
import { type ChaosConfig, type ChaosEvent, pickScenario } from './chaos';
import type { ScenarioControl } from './scenario-control';

export interface ChaosStatus {
  running: boolean;
  config: ChaosConfig | null;
  startedAt: string | null;
  /** Scenarios chaos switched on and has not switched off yet, with when it will. */
  active: { name: ScenarioName; until: string }[];
  /** The most recent switches, newest last. */
  history: ChaosEvent[];
}

const HISTORY = 50;

/**
 * Chaos mode: every `intervalSeconds` it may switch one more scenario on, for a random time within
 * the bounds, keeping at most `maxConcurrent` of its own on. It never touches a scenario someone
 * else switched on, and stopping it switches off what it switched on.
 */
export class ChaosRunner {
  private config: ChaosConfig | null = null;
  private rng: Rng | null = null;
  private startedAt = 0;
  private ticker: NodeJS.Timeout | undefined;
  private readonly own = new Map<ScenarioName, { until: number; timer: NodeJS.Timeout }>();
  private readonly history: ChaosEvent[] = [];

  constructor(
    private readonly control: ScenarioControl,
    private readonly scenarios: Scenarios,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get running(): boolean {
    return this.config !== null;
  }

  start(config: ChaosConfig): void {
    this.config = config;
    this.rng = seededRng(config.seed);
    this.startedAt = this.now();
    this.history.length = 0;
    this.ticker = setInterval(() => void this.tick(), config.intervalSeconds * 1000);
    this.ticker.unref();
    this.logger.info({ chaos: config }, 'chaos mode started');
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    const own = [...this.own.keys()];
    for (const name of own) await this.switchOff(name);
    this.config = null;
    this.rng = null;
    this.logger.info('chaos mode stopped');
  }

  status(): ChaosStatus {
    return {
      running: this.running,
      config: this.config,
      startedAt: this.running ? new Date(this.startedAt).toISOString() : null,
      active: [...this.own].map(([name, { until }]) => ({ name, until: new Date(until).toISOString() })),
      history: [...this.history],
    };
  }

  /** One tick: first what is due off, then maybe one more on. */
  async tick(): Promise<void> {
    const config = this.config;
    if (!config || !this.rng) return;
    for (const [name, { until }] of [...this.own]) if (until <= this.now()) await this.switchOff(name);
    const on = new Set((Object.keys(this.scenarios.snapshot()) as ScenarioName[]).filter((name) => this.scenarios.active(name)));
    const pick = pickScenario(config, this.rng, this.own.size, on);
    if (!pick) return;
    try {
      await this.control.set(pick.name, true, {});
    } catch (err) {
      this.logger.warn({ err: { message: (err as Error).message }, scenario: pick.name }, 'chaos could not switch a scenario on');
      return;
    }
    const until = this.now() + pick.durationSeconds * 1000;
    const timer = setTimeout(() => void this.switchOff(pick.name), pick.durationSeconds * 1000);
    timer.unref();
    this.own.set(pick.name, { until, timer });
    this.record(pick.name, 'on');
  }

  private async switchOff(name: ScenarioName): Promise<void> {
    const entry = this.own.get(name);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.own.delete(name);
    try {
      await this.control.set(name, false, this.scenarios.snapshot()[name]?.params ?? {});
    } catch (err) {
      this.logger.warn({ err: { message: (err as Error).message }, scenario: name }, 'chaos could not switch a scenario off');
    }
    this.record(name, 'off');
  }

  private record(name: ScenarioName, action: 'on' | 'off'): void {
    this.history.push({ at: new Date(this.now()).toISOString(), name, action });
    if (this.history.length > HISTORY) this.history.shift();
    this.logger.info({ scenario: name, action }, `chaos switched ${name} ${action}`);
  }
}
