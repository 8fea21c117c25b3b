/**
 * `npm run reconcile`: asks the running platform to check every wallet against its ledger, every
 * bonus against its wagering and every round against its bet and win, prints a summary and exits
 * non-zero on any difference.
 *
 *   npm run reconcile                  # the demo on this machine
 *   npm run reconcile -- --url http://casino.example:8080 --json
 *
 * The admin token comes from ADMIN_TOKEN (environment or .env), or the file `npm run demo` wrote.
 * Exit codes: 0 clean, 1 differences found, 2 the check could not run.
 */
import { parseArgs } from 'node:util';
import type { ReconciliationReport } from '@casino/shared/contracts';
import { differenceLines } from '@casino/shared/reconciliation';
import { euros } from '@casino/shared/validation';
import { type AdminAnswer, adminApi, answerLine } from './admin-api';

const USAGE = 'usage: npm run reconcile -- [--url <gateway URL>] [--json]';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const count = (n: number) => n.toLocaleString('en-US');

export function summary(report: ReconciliationReport): string {
  const { ledger, bonuses, rounds } = report;
  const statuses = Object.entries(bonuses.byStatus)
    .map(([status, n]) => `${count(n)} ${status}`)
    .join(', ');
  const lines = [
    `Reconciliation at ${report.checkedAt}`,
    `  wallets   ${count(ledger.wallets)} checked against ${count(ledger.entries)} ledger entries: ${count(ledger.differences.length)} differences`,
    `            held for players: ${euros(ledger.totals.cash)} cash, ${euros(ledger.totals.bonus)} bonus; ` +
      `${count(ledger.unsettled)} unsettled and ${count(ledger.abandoned)} abandoned entries (neither is a difference)`,
    `  bonuses   ${count(bonuses.bonuses)} checked${statuses ? ` (${statuses})` : ''} against ${count(bonuses.wagers)} counted wagers: ${count(bonuses.differences.length)} differences`,
    `  rounds    ${count(rounds.rounds)} checked (${count(rounds.bets)} took a stake, ${count(rounds.wins)} paid a win): ${count(rounds.differences.length)} left half-way`,
    ...report.crossChecks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}      ${c.check}: ${c.detail}`),
  ];
  const lists = Object.values(differenceLines(report));
  for (const list of lists) lines.push(...list.slice(0, 20).map((line) => `  ${line}`));
  const shown = lists.reduce((n, l) => n + Math.min(20, l.length), 0);
  const all = lists.reduce((n, l) => n + l.length, 0);
  if (all > shown) lines.push(`  ... and ${count(all - shown)} more (--json lists them all)`);
  lines.push(report.ok ? 'Result: clean' : 'Result: DIFFERENCES FOUND');
  return lines.join('\n');
}

async function main(): Promise<void> {
  let options: { url?: string; json?: boolean; help?: boolean };
  try {
    ({ values: options } = parseArgs({
      options: { url: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
  if (options.help) return void console.log(USAGE);
  let answer: AdminAnswer<ReconciliationReport | null>;
  try {
    answer = await adminApi(options.url).call<ReconciliationReport | null>('GET', '/reconciliation', { timeoutMs: 120_000 });
  } catch (err) {
    return fail((err as Error).message);
  }
  const { status, body } = answer;
  if (status !== 200 || !body) return fail(answerLine(status, body));
  console.log(options.json ? JSON.stringify(body, null, 2) : summary(body));
  process.exit(body.ok ? 0 : 1);
}

void main();
