import * as Sentry from '@sentry/react';
import type { Problem } from '../api/problem';
import { inTraceOf } from './report-problem';

/** What the player typed; name and e-mail may be left empty. */
export interface Report {
  message: string;
  name: string;
  email: string;
}

/** How long to wait for Sentry (or Spotlight) to take a report before saying it was not sent. */
const SEND_TIMEOUT_MS = 20_000;

/** Reports can go somewhere: the SDK runs, with a DSN or with Spotlight alone. */
export const canReport = (): boolean => Sentry.isEnabled();

/**
 * The form is open. Session replay, when it runs, sends what it has buffered now and keeps
 * recording, so the report can name a replay holding the moments before it; the SDK's own widget
 * announces itself the same way.
 */
export function reportOpened(): void {
  Sentry.getClient()?.emit('openFeedbackWidget');
}

/**
 * Sends the player's report as Sentry user feedback (`captureFeedback`), resolving with its event
 * id once Sentry (or Spotlight) has taken it. The SDK's `sendFeedback` does the same but brings
 * the widget's renderer into the bundle with it (about 7 KB gzipped).
 *
 * Only what the player typed goes: an empty name or e-mail is left out, and nothing is filled in
 * from elsewhere (the app sets no Sentry user). About a problem, the report names the browser's
 * event for it (`associated_event_id`) and is sent in the problem's trace, on a scope of its own
 * that lives only while the report is captured.
 */
export function sendReport(report: Report, problem?: Problem): Promise<string> {
  const client = Sentry.getClient();
  if (!client) return Promise.reject(new Error('Sentry is not running on this page.'));
  const params = {
    message: report.message.trim(),
    ...(report.name.trim() ? { name: report.name.trim() } : {}),
    ...(report.email.trim() ? { email: report.email.trim() } : {}),
    ...(problem?.sentryEventId ? { associatedEventId: problem.sentryEventId } : {}),
    url: window.location.href,
    // A form on the page, opened with reportOpened: replay takes the id it kept at opening.
    source: 'widget',
  };
  const hint = { includeReplay: true };
  const traceId = problem?.traceId;
  const id = traceId ? inTraceOf(traceId, (scope) => Sentry.captureFeedback(params, hint, scope)) : Sentry.captureFeedback(params, hint);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no answer came in time.'));
    }, SEND_TIMEOUT_MS);
    const off = client.on('afterSendEvent', (event, response) => {
      if (event.event_id !== id) return;
      clearTimeout(timer);
      off();
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve(id);
      else reject(new Error(status ? `Sentry answered ${status}.` : 'it could not reach Sentry (the network, or a blocker).'));
    });
  });
}
