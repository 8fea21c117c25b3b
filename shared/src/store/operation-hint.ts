/**
 * For demo scenarios only: a way to act inside the DB spans of the embedded store's operations.
 * A scenario's effect belongs inside the span of the query it slows down, not beside it, or a
 * trace would show a fast query and an unexplained gap. MongoDB makes its own spans (through the
 * mongoose integration) and its own latency, so the MongoDB store ignores hints.
 *
 * A hint reaches only the operations started inside `withOperationHint`'s `work`, through async
 * context: nothing else in the process, and nothing in the store contract, changes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface OperationHint {
  /** Wait this long inside each operation's span, as a slow query would. */
  delayMs?: number;
  /** Runs inside each operation's span before it works, e.g. to mark the span with the scenario. */
  inSpan?: () => void;
}

const hints = new AsyncLocalStorage<OperationHint>();

/** Runs `work` so that the embedded store applies `hint` to every operation it starts. */
export function withOperationHint<R>(hint: OperationHint, work: () => Promise<R>): Promise<R> {
  return hints.run(hint, work);
}

/** Called by the embedded store inside an operation's span: applies the hint in force, if any. */
export async function applyOperationHint(): Promise<void> {
  const hint = hints.getStore();
  if (!hint) return;
  hint.inSpan?.();
  if (hint.delayMs) await new Promise<void>((resolve) => setTimeout(resolve, hint.delayMs));
}
