export class AuditTrailRejected extends Error {
  override name = 'AuditTrailRejected';
  readonly failureKind = 'audit-trail-rejected';
}

/**
 * error-burst in the wager service: on its turn, a wagering update fires off an audit write and
 * never awaits it, the bug being shown. Its rejection is unhandled; the SDK reports it from the
 * request's async context, so the event carries the request's trace. The wager itself counts.
 */
export function unawaitedAudit(): void {
  void sendToAuditTrail();
}

async function sendToAuditTrail(): Promise<void> {
  await Promise.resolve();
  throw new AuditTrailRejected('The responsible-gambling audit trail refused the wager record.');
}
