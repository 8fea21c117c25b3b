// What the ledger's write protocol can answer besides a result (refusals for lack of money are
// the domain's InsufficientFundsError).

/** The same idempotency key was sent with a different request. */
export class IdempotencyMismatchError extends Error {}
/** Another request with the same key is still being processed. */
export class InProgressError extends Error {}
/** The wallet stayed contended past every attempt; the caller may retry. */
export class WalletBusyError extends Error {}
