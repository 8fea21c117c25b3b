import * as Sentry from '@sentry/node';
import {
  type CollectionSpec,
  type Logger,
  repeatInBackground,
  type ScenarioName,
  scenarioParams,
  type Scenarios,
  type ScenarioSetting,
  type ServiceClient,
  type Store,
} from '@casino/shared';
import { catalogue, type ScenarioView, scenarioView } from './scenario-view';

type Internal = 'user' | 'game' | 'payment' | 'wager';

interface SettingDoc {
  /** The scenario's name. */
  _id: string;
  enabled: boolean;
  params: Record<string, unknown>;
  changedAt: Date;
}

const settingsSpec: CollectionSpec = {
  name: 'scenario_settings',
  schema: { enabled: { type: Boolean, required: true }, params: { type: Object, default: {} }, changedAt: { type: Date, required: true } },
};

/** A change reaches every service within this, or the answer says which it did not reach yet. */
const PUSH_TIMEOUT_MS = 1_000;

export interface ScenarioChange {
  scenario: ScenarioView;
  /** Which services took the new state at once; the others get it on the next sync. */
  reached: Partial<Record<Internal, boolean>>;
}

/**
 * The scenario state's home. The gateway keeps it (in its store, so on MongoDB it outlives a
 * restart), applies it to itself, and sends the whole of it to every service on each change and
 * again every few seconds, so a service that restarted or missed a change catches up by itself.
 */
export class ScenarioControl {
  private readonly settings;
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      scenarios: Scenarios;
      upstreams: Record<Internal, ServiceClient>;
      logger: Logger;
      now?: () => Date;
    },
  ) {
    this.settings = deps.store.collection<SettingDoc>(settingsSpec);
  }

  /** Stored settings win over SCENARIOS, which only sets the state of a platform starting afresh. */
  private ready(): Promise<void> {
    this.loaded ??= this.settings
      .find({})
      .then((docs) => {
        if (!docs.length) return;
        const state = this.deps.scenarios.snapshot();
        for (const doc of docs) state[doc._id as ScenarioName] = { enabled: doc.enabled, params: doc.params };
        this.deps.scenarios.replace(state);
      })
      .catch((err: unknown) => {
        this.loaded = undefined;
        throw err;
      });
    return this.loaded;
  }

  async list(): Promise<ScenarioView[]> {
    await this.ready();
    return catalogue(this.deps.scenarios.snapshot());
  }

  /** Switches a scenario; `params` are checked against its catalogue entry (a ZodError if wrong). */
  async set(name: ScenarioName, enabled: boolean, params: unknown): Promise<ScenarioChange> {
    await this.ready();
    const setting: ScenarioSetting = { enabled, params: scenarioParams(name, params) as Record<string, unknown> };
    await this.settings.updateOne(
      { _id: name },
      { $set: { ...setting, changedAt: (this.deps.now ?? (() => new Date()))() } },
      { upsert: true },
    );
    this.deps.scenarios.replace({ ...this.deps.scenarios.snapshot(), [name]: setting });
    const reached = await this.push();
    return { scenario: scenarioView(name, setting), reached };
  }

  /** Sends the whole state to every service at once; says which took it. */
  async push(): Promise<Partial<Record<Internal, boolean>>> {
    const state = this.deps.scenarios.snapshot();
    const services = Object.entries(this.deps.upstreams) as [Internal, ServiceClient][];
    const answers = await Promise.all(
      services.map(([service, client]) =>
        client.put('/internal/scenarios', state, { timeoutMs: PUSH_TIMEOUT_MS }).then(
          () => [service, true] as const,
          () => [service, false] as const,
        ),
      ),
    );
    return Object.fromEntries(answers);
  }

  /** Re-sends the state every `everyMs`, untraced: it is housekeeping, not traffic. */
  startSync(everyMs: number): void {
    repeatInBackground(everyMs, this.deps.logger, 'scenario state sync', () =>
      Sentry.suppressTracing(async () => {
        await this.ready();
        const reached = await this.push();
        const missed = Object.entries(reached)
          .filter(([, ok]) => !ok)
          .map(([s]) => s);
        if (missed.length) this.deps.logger.debug({ missed }, 'scenario state not delivered; retrying on the next sync');
      }),
    );
  }
}
