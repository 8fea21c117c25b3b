/**
 * `npm run scenario`: the presenter's switchboard, over the gateway's admin API.
 *
 *   npm run scenario -- list
 *   npm run scenario -- on payment-failures --rate 0.3
 *   npm run scenario -- on latency --service payment --ms 800
 *   npm run scenario -- off slow-query        (or: off all)
 *   npm run scenario -- chaos start --interval 30 --min 20 --max 90 --concurrent 2 --seed 7
 *   npm run scenario -- chaos status | chaos stop
 *
 * Every command takes --url <gateway> and --json. Exit codes: 0 done, 1 the gateway refused
 * (unknown scenario, bad parameter: its problem is printed), 2 the command could not run.
 */
import { type AdminApi, adminApi, answerLine, CannotRun } from './admin-api';

const USAGE = `usage: npm run scenario -- <command> [--url <gateway>] [--json]
  list                          the catalogue: each scenario, on or off, its parameters
  on <name> [--<param> <value>] switch a scenario on, e.g. on payment-failures --rate 0.3
  off <name>|all                switch one or every scenario off
  chaos start [--interval s] [--min s] [--max s] [--concurrent n] [--seed n] [--scenarios a,b]
  chaos status | chaos stop`;

interface ScenarioView {
  name: string;
  enabled: boolean;
  params: Record<string, unknown>;
  description: string;
  services: string[];
  reached?: Record<string, boolean>;
}

class Refused extends Error {}

/** `--kb-per-spin 64` → `{kbPerSpin: 64}`; numbers and booleans become what they say. */
export function paramsFrom(flags: string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (!flag.startsWith('--')) throw new CannotRun(`unexpected argument "${flag}"\n${USAGE}`);
    const [rawName, inline] = flag.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? flags[++i];
    if (value === undefined) throw new CannotRun(`--${rawName} needs a value`);
    const name = rawName.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    params[name] =
      value === 'true' ? true : value === 'false' ? false : value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return params;
}

function take(args: string[], name: string): string | undefined {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at === -1) return undefined;
  const [flag] = args.splice(at, 1);
  if (flag!.includes('=')) return flag!.slice(flag!.indexOf('=') + 1);
  return args.splice(at, 1)[0];
}

function line(s: ScenarioView): string {
  const params = Object.entries(s.params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return `${s.enabled ? 'ON ' : 'off'}  ${s.name.padEnd(21)} ${params.padEnd(24)} ${s.services.join(',')}`;
}

async function expect200<T>(
  api: AdminApi,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  ok = [200],
): Promise<T> {
  const answer = await api.call<T>(method, path, body === undefined ? {} : { body });
  if (!ok.includes(answer.status)) throw new Refused(answerLine(answer.status, answer.body));
  return answer.body;
}

async function run(argv: string[]): Promise<unknown> {
  const args = [...argv];
  const url = take(args, 'url');
  const json = args.includes('--json');
  if (json) args.splice(args.indexOf('--json'), 1);
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return undefined;
  }
  const api = adminApi(url);
  const print = (value: unknown, text: () => string) => console.log(json ? JSON.stringify(value, null, 2) : text());

  switch (command) {
    case 'list': {
      if (rest.length) throw new CannotRun(`list takes no arguments\n${USAGE}`);
      const { items } = await expect200<{ items: ScenarioView[] }>(api, 'GET', '/scenarios');
      print(items, () => items.map((s) => `${line(s)}\n     ${s.description}`).join('\n'));
      return items;
    }
    case 'on':
    case 'off': {
      const [name, ...flags] = rest;
      if (!name || name.startsWith('--')) throw new CannotRun(`${command} needs a scenario name\n${USAGE}`);
      if (command === 'off' && flags.length) throw new CannotRun('off takes only a scenario name, or all');
      const names =
        command === 'off' && name === 'all'
          ? (await expect200<{ items: ScenarioView[] }>(api, 'GET', '/scenarios')).items.filter((s) => s.enabled).map((s) => s.name)
          : [name];
      const changed: ScenarioView[] = [];
      for (const each of names) {
        const body = command === 'on' ? { enabled: true, params: paramsFrom(flags) } : { enabled: false };
        changed.push(await expect200<ScenarioView>(api, 'PUT', `/scenarios/${encodeURIComponent(each)}`, body));
      }
      print(changed, () => {
        if (!changed.length) return 'No scenario was on.';
        return changed
          .map((s) => {
            const missed = Object.entries(s.reached ?? {})
              .filter(([, ok]) => !ok)
              .map(([svc]) => svc);
            return `${line(s)}${missed.length ? `\n     not reached yet (they catch up within 2 s): ${missed.join(', ')}` : ''}`;
          })
          .join('\n');
      });
      return changed;
    }
    case 'chaos': {
      const [action, ...flags] = rest;
      const status = (s: {
        running: boolean;
        active: { name: string; until: string }[];
        history: { at: string; name: string; action: string }[];
      }) =>
        [
          `chaos ${s.running ? 'running' : 'stopped'}`,
          ...s.active.map((a) => `  on: ${a.name} until ${a.until}`),
          ...s.history.slice(-10).map((h) => `  ${h.at} ${h.name} ${h.action}`),
        ].join('\n');
      if (action === 'status' || action === 'stop') {
        if (flags.length) throw new CannotRun(`chaos ${action} takes no arguments`);
        const body = await expect200<Parameters<typeof status>[0]>(api, action === 'stop' ? 'DELETE' : 'GET', '/chaos');
        print(body, () => status(body));
        return body;
      }
      if (action !== 'start') throw new CannotRun(`chaos needs start, status or stop\n${USAGE}`);
      const given = paramsFrom(flags);
      const names: Record<string, string> = {
        interval: 'intervalSeconds',
        min: 'minDurationSeconds',
        max: 'maxDurationSeconds',
        concurrent: 'maxConcurrent',
        seed: 'seed',
        scenarios: 'scenarios',
      };
      const settings: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(given)) {
        const field = names[key];
        if (!field) throw new CannotRun(`chaos start does not know --${key}\n${USAGE}`);
        settings[field] =
          field === 'scenarios'
            ? String(value)
                .split(',')
                .map((s) => s.trim())
            : value;
      }
      const body = await expect200<Parameters<typeof status>[0]>(api, 'POST', '/chaos', settings, [201]);
      print(body, () => status(body));
      return body;
    }
    default:
      throw new CannotRun(`unknown command "${command}"\n${USAGE}`);
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: Error) => {
      console.error(err.message);
      process.exit(err instanceof Refused ? 1 : 2);
    },
  );
}
