export type ProviderFailure = 'decline' | 'timeout';

/** How many debits one shuffled deck covers: the failure ratio is exact over each one. */
export const DECK_SIZE = 20;

/**
 * Which stake debits the simulated payment provider fails, for the payment-failures scenario.
 *
 * - Once per bet. A debit is retried under the same idempotency key (by the game's client, and
 *   again by the gateway's retries of the spin), so the decision is remembered by key and a retry
 *   fails the same way. Drawing again on each retry would let a failing bet through on the next
 *   attempt and cut the measured rate to about rate^n.
 * - Random, but not a coin flip per bet. Failures are dealt from shuffled decks of DECK_SIZE,
 *   with round(rate × DECK_SIZE) failures each (the fraction carried to the next deck), so the
 *   ratio over any stretch of decks is the rate. Independent flips at rate 0.3 would miss
 *   rate ± 0.05 over 300 bets in one run in twenty.
 * - Decline or timeout, half each, flipped per failing bet.
 *
 * Decisions live in memory, the last REMEMBERED of them: a payment restart forgets them, and a
 * retry after it is dealt again like a new bet, at the same rate.
 */
export class ProviderFailures {
  static readonly REMEMBERED = 20_000;
  private deck: boolean[] = [];
  private carried = 0;
  private readonly decided = new Map<string, ProviderFailure | null>();

  /** `random` draws in [0, 1). */
  constructor(private readonly random: () => number = Math.random) {}

  /** What the provider answers for this bet (a failure, or null to let the debit through), and whether it was asked before. */
  decide(betKey: string, rate: number): { failure: ProviderFailure | null; again: boolean } {
    const known = this.decided.get(betKey);
    if (known !== undefined) return { failure: known, again: true };
    const failure = this.deal(rate) ? (this.random() < 0.5 ? 'decline' : 'timeout') : null;
    this.decided.set(betKey, failure);
    const oldest = this.decided.keys().next().value;
    if (this.decided.size > ProviderFailures.REMEMBERED && oldest !== undefined) this.decided.delete(oldest);
    return { failure, again: false };
  }

  /** A new rate, or the scenario switched: a fresh deck, and every bet is decided anew. */
  reset(): void {
    this.deck = [];
    this.carried = 0;
    this.decided.clear();
  }

  private deal(rate: number): boolean {
    if (!this.deck.length) {
      const owed = rate * DECK_SIZE + this.carried;
      // The epsilon absorbs float error, e.g. 0.3 × 20 = 5.999….
      const failures = Math.min(DECK_SIZE, Math.floor(owed + 1e-9));
      this.carried = owed - failures;
      this.deck = Array.from({ length: DECK_SIZE }, (_, i) => i < failures);
      for (let i = this.deck.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [this.deck[i], this.deck[j]] = [this.deck[j] ?? false, this.deck[i] ?? false];
      }
    }
    return this.deck.pop() ?? false;
  }
}
