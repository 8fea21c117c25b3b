/**
 * An error of a kind the platform knows, a scenario's or a provider's: every event of one kind is
 * one issue in Sentry (the kind is its fingerprint), whatever the message or the player.
 */
export interface KnownFailure {
  readonly failureKind: string;
}

/** The failure kind an error declares, if it declares one. */
export function failureKindOf(err: unknown): string | undefined {
  const kind = err instanceof Error ? (err as Partial<KnownFailure>).failureKind : undefined;
  return typeof kind === 'string' ? kind : undefined;
}
