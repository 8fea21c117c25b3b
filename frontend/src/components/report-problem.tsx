import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { describeProblem, type Problem } from '../api/problem';
import { canReport, reportOpened, sendReport } from '../lib/feedback';

type Step = { at: 'form' } | { at: 'sending' } | { at: 'sent'; id: string } | { at: 'failed'; why: string };

/**
 * A button that opens the report form: from the lobby on its own, or from a problem notice, when
 * the report is tied to that problem. Nothing is shown when the SDK is off: there is nowhere to
 * send it.
 */
export function ReportProblem({ label, problem }: { label: string; problem?: Problem }) {
  const [open, setOpen] = useState(false);
  if (!canReport()) return null;
  return (
    <>
      <button type="button" className="link" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {label}
      </button>
      {/* On the page's body: a problem notice is an alert region, and the form is not part of it. */}
      {open && createPortal(<ReportDialog problem={problem} onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}

/**
 * The form, in a modal dialog: the player's words, and a name and e-mail only if they choose to
 * give them. The page's own stylesheet styles it (the SDK's widget brings inline styles, which the
 * content security policy refuses).
 */
function ReportDialog({ problem, onClose }: { problem?: Problem; onClose: () => void }) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [message, setMessage] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [step, setStep] = useState<Step>({ at: 'form' });

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    reportOpened();
  }, []);

  const close = () => dialog.current?.close();
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!message.trim() || step.at === 'sending') return;
    setStep({ at: 'sending' });
    try {
      setStep({ at: 'sent', id: await sendReport({ message, name, email }, problem) });
    } catch (err) {
      setStep({ at: 'failed', why: err instanceof Error ? err.message : String(err) });
    }
  };
  const about = problem && describeProblem(problem);

  return (
    <dialog ref={dialog} className="report" aria-labelledby={`${id}-title`} onClose={onClose}>
      <h2 id={`${id}-title`}>Report a problem</h2>
      {about && (
        <p className="muted">
          About: {about.heading}
          {problem.traceId && (
            <>
              {' '}
              (trace <code className="wrap-anywhere">{problem.traceId}</code>)
            </>
          )}
        </p>
      )}
      {step.at === 'sent' ? (
        <>
          <p role="status">
            Thank you: your report was sent. Its id is <code data-testid="report-id">{step.id}</code>.
          </p>
          <button type="button" className="primary" onClick={close}>
            Close
          </button>
        </>
      ) : (
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <label htmlFor={`${id}-message`}>What happened?</label>
          <textarea id={`${id}-message`} required rows={4} maxLength={4000} value={message} onChange={(e) => setMessage(e.target.value)} />
          <label htmlFor={`${id}-name`}>Your name (optional)</label>
          <input id={`${id}-name`} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          <label htmlFor={`${id}-email`}>E-mail (optional, if you want an answer)</label>
          <input id={`${id}-email`} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          {step.at === 'failed' && (
            <p className="problem" role="alert">
              The report was not sent: {step.why}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={step.at === 'sending' || !message.trim()}>
              {step.at === 'sending' ? 'Sending…' : 'Send report'}
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
