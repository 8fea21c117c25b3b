import { useId, useState } from 'react';
import type { Api } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { useAction } from '../lib/use-action';
import type { JsonSchemaProperty, Scenario } from './types';

type Draft = Record<string, string>;

const draftOf = (s: Scenario): Draft =>
  Object.fromEntries(Object.keys(s.parameters.properties ?? {}).map((k) => [k, s.params[k] === undefined ? '' : String(s.params[k])]));

/** Turns the typed values into parameters: numbers as numbers, blanks left to the defaults. */
export function paramsFromDraft(schema: Record<string, JsonSchemaProperty>, draft: Draft): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema)) {
    const raw = (draft[key] ?? '').trim();
    if (raw === '') continue;
    params[key] = prop.type === 'number' || prop.type === 'integer' ? Number(raw) : prop.type === 'boolean' ? raw === 'true' : raw;
  }
  return params;
}

function ScenarioRow({ admin, scenario, onChanged }: { admin: Api; scenario: Scenario; onChanged: () => Promise<void> }) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(scenario));
  const props = scenario.parameters.properties ?? {};
  const set = useAction(`switch ${scenario.name}`, async (enabled: boolean) => {
    await admin('PUT', `/admin/scenarios/${encodeURIComponent(scenario.name)}`, {
      body: { enabled, params: paramsFromDraft(props, draft) },
    });
    await onChanged();
  });
  return (
    <li className={`scenario${scenario.enabled ? ' on' : ''}`} data-scenario={scenario.name} data-enabled={scenario.enabled}>
      <div className="scenario-head">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={scenario.enabled}
            disabled={set.pending}
            onChange={(e) => void set.act(e.target.checked)}
          />
          <span>{scenario.name}</span>
        </label>
        <span className="muted small">{scenario.services.join(', ')}</span>
      </div>
      <p className="muted">{scenario.description}</p>
      {Object.keys(props).length > 0 && (
        <div className="params row wrap">
          {Object.entries(props).map(([key, prop]) => (
            <span key={key} className="param">
              <label htmlFor={`${id}-${key}`}>
                {scenario.name} {key}
              </label>
              {prop.enum ? (
                <select id={`${id}-${key}`} value={draft[key] ?? ''} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}>
                  {prop.enum.map((v) => (
                    <option key={v}>{v}</option>
                  ))}
                </select>
              ) : (
                <input
                  id={`${id}-${key}`}
                  inputMode={prop.type === 'number' || prop.type === 'integer' ? 'decimal' : 'text'}
                  placeholder={prop.default === undefined ? 'default' : String(prop.default)}
                  value={draft[key] ?? ''}
                  onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
                />
              )}
              {(prop.minimum !== undefined || prop.maximum !== undefined) && (
                <span className="muted small">
                  {prop.minimum}–{prop.maximum}
                </span>
              )}
            </span>
          ))}
          {scenario.enabled && (
            <button type="button" onClick={() => void set.act(true)} disabled={set.pending}>
              Apply {scenario.name}
            </button>
          )}
        </div>
      )}
      {set.problem && <ProblemNotice problem={set.problem} onDismiss={set.clearProblem} />}
    </li>
  );
}

/** The scenario catalogue: a switch and the parameters for each intentional problem. */
export function ScenariosPanel({ admin, scenarios, onChanged }: { admin: Api; scenarios: Scenario[]; onChanged: () => Promise<void> }) {
  const id = useId();
  const off = useAction('switch all scenarios off', async () => {
    for (const s of scenarios.filter((x) => x.enabled))
      await admin('PUT', `/admin/scenarios/${encodeURIComponent(s.name)}`, { body: { enabled: false } });
    await onChanged();
  });
  const on = scenarios.filter((s) => s.enabled).length;
  return (
    <section className="card scenarios" aria-labelledby={`${id}-title`}>
      <div className="row space">
        <h2 id={`${id}-title`}>Scenarios</h2>
        <button type="button" onClick={() => void off.act()} disabled={off.pending || on === 0}>
          Switch all off
        </button>
      </div>
      <p className="muted">{on === 0 ? 'Everything runs normally.' : `${on} on.`}</p>
      {off.problem && <ProblemNotice problem={off.problem} onDismiss={off.clearProblem} />}
      <ul className="scenario-list">
        {scenarios.map((s) => (
          <ScenarioRow key={`${s.name}:${JSON.stringify(s.params)}`} admin={admin} scenario={s} onChanged={onChanged} />
        ))}
      </ul>
    </section>
  );
}
