import { type FormEvent, useId, useState } from 'react';
import type { Api } from '../api/client';
import type { Player } from '../api/types';
import { ProblemNotice } from '../components/problem-notice';
import { useAction } from '../lib/use-action';
import type { Session } from './session';

/** Register or log in. Passwords go to the gateway and nowhere else: not kept, not logged. */
export function AuthPanel({ api, onSession }: { api: Api; onSession: (s: Session) => void }) {
  const [mode, setMode] = useState<'register' | 'login'>('register');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const id = useId();

  const submit = useAction(mode === 'register' ? 'register' : 'log in', async () => {
    if (mode === 'register') {
      const body = { email, password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) };
      const r = await api<{ player: Player; accessToken: string }>('POST', '/auth/register', { body });
      onSession({ token: r.accessToken, player: r.player });
    } else {
      const r = await api<{ accessToken: string }>('POST', '/auth/login', { body: { email, password } });
      const player = await api<Player>('GET', '/me', { token: r.accessToken });
      onSession({ token: r.accessToken, player });
    }
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.act();
  };

  return (
    <section className="card auth" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{mode === 'register' ? 'Create your account' : 'Welcome back'}</h2>
      <div className="tabs" role="group" aria-label="Account">
        <button type="button" aria-pressed={mode === 'register'} onClick={() => setMode('register')}>
          Register
        </button>
        <button type="button" aria-pressed={mode === 'login'} onClick={() => setMode('login')}>
          Log in
        </button>
      </div>
      <form onSubmit={onSubmit} noValidate>
        <label htmlFor={`${id}-email`}>E-mail</label>
        <input id={`${id}-email`} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
          required
          minLength={mode === 'register' ? 10 : undefined}
          aria-describedby={mode === 'register' ? `${id}-password-hint` : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {mode === 'register' && (
          <>
            <p id={`${id}-password-hint`} className="muted">
              At least 10 characters.
            </p>
            <label htmlFor={`${id}-name`}>Display name (optional)</label>
            <input
              id={`${id}-name`}
              autoComplete="nickname"
              maxLength={40}
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          </>
        )}
        <button type="submit" className="primary" disabled={submit.pending}>
          {submit.pending ? 'Please wait…' : mode === 'register' ? 'Create account' : 'Sign in'}
        </button>
      </form>
      {submit.problem && <ProblemNotice problem={submit.problem} />}
    </section>
  );
}
