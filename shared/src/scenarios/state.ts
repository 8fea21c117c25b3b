import { SCENARIO_NAMES, type ScenarioName, type ScenarioParams, type ScenarioSetting, type ScenarioSnapshot } from './catalogue';

type Listener = (name: ScenarioName, setting: ScenarioSetting | undefined) => void;

/** One service's view of which scenarios are on. */
export class Scenarios {
  private state: ScenarioSnapshot;
  private readonly listeners = new Set<Listener>();

  constructor(initial: ScenarioSnapshot = {}) {
    this.state = { ...initial };
  }

  /** The parameters of a scenario that is on, or undefined when it is off. */
  active<N extends ScenarioName>(name: N): ScenarioParams<N> | undefined {
    const setting = this.state[name];
    return setting?.enabled ? (setting.params as ScenarioParams<N>) : undefined;
  }

  /** The scenarios that are on, in catalogue order. */
  enabled(): ScenarioName[] {
    return SCENARIO_NAMES.filter((name) => this.state[name]?.enabled);
  }

  snapshot(): ScenarioSnapshot {
    return structuredClone(this.state);
  }

  /** Replaces the whole state, telling listeners about each scenario that changed. */
  replace(next: ScenarioSnapshot): void {
    const before = this.state;
    this.state = structuredClone(next);
    for (const name of SCENARIO_NAMES) {
      if (JSON.stringify(before[name]) !== JSON.stringify(this.state[name]))
        for (const listener of this.listeners) listener(name, this.state[name]);
    }
  }

  /** Called whenever a scenario is switched or its parameters change, e.g. to release what it held. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
