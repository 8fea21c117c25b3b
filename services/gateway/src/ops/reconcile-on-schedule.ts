import { JobFinding, type JobOutcome, sleep } from '@casino/shared';
import type { ReconciliationReport } from '@casino/shared/contracts';
import { differencesOf } from './reconciliation';

/** How many passes a difference must survive, and the pause between them. */
const PASSES = 3;
const PAUSE_MS = 3_000;
/** Sentry keeps contexts three levels deep and cuts long ones: the first differences are enough. */
const REPORTED = 20;

/**
 * The scheduled reconciliation: a difference is reported only if it is still there, word for word,
 * after two more passes a few seconds apart. Money moving while a pass reads shows up as a
 * cross-check whose counts change between passes, and goes; a real difference stays. One that does
 * fails the run (an error check-in), with the differences as the error's context.
 */
export async function reconcileOnSchedule(read: () => Promise<ReconciliationReport>, pauseMs = PAUSE_MS): Promise<JobOutcome> {
  let report = await read();
  let lasting = differencesOf(report);
  for (let pass = 1; lasting.length && pass < PASSES; pass++) {
    await sleep(pauseMs);
    report = await read();
    const now = new Set(differencesOf(report));
    lasting = lasting.filter((line) => now.has(line));
  }
  if (lasting.length) {
    const shown = lasting.slice(0, REPORTED);
    throw new JobFinding(
      `reconciliation found ${lasting.length} differences that lasted ${PASSES} passes: ${shown[0]}`,
      'reconciliation-differences',
      { count: lasting.length, ...Object.fromEntries(shown.map((line, i) => [`difference ${i + 1}`, line])) },
    );
  }
  return { wallets: report.ledger.wallets, bonuses: report.bonuses.bonuses, rounds: report.rounds.rounds, differences: 0 };
}
