import * as Sentry from '@sentry/react';
import { useContext, useEffect, useMemo, useState } from 'react';
import { createApi } from './api/client';
import { ConfigContext } from './context';
import { Console } from './console/console';
import { Lobby } from './lobby/lobby';

type Page = 'lobby' | 'console';
const pageOf = (path: string): Page => (path.startsWith('/console') ? 'console' : 'lobby');

function Fallback({ error, eventId, resetError }: { error: unknown; eventId: string; resetError: () => void }) {
  return (
    <div className="card problem" role="alert">
      <h2>Something broke on this page</h2>
      <p>{error instanceof Error ? error.message : String(error)}</p>
      <p>
        Sentry event id: <code data-testid="event-id">{eventId || 'not sent (no DSN configured)'}</code>
      </p>
      <button type="button" onClick={resetError}>
        Try again
      </button>
    </div>
  );
}

/** Two pages, the player lobby and the ops console, with plain history navigation. */
export function App() {
  const config = useContext(ConfigContext);
  const api = useMemo(() => createApi(config.apiBaseUrl), [config.apiBaseUrl]);
  const [page, setPage] = useState<Page>(() => pageOf(location.pathname));
  useEffect(() => {
    const onPop = () => setPage(pageOf(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (next: Page) => (e: React.MouseEvent) => {
    e.preventDefault();
    history.pushState(null, '', next === 'console' ? '/console' : '/');
    setPage(next);
  };
  useEffect(() => {
    document.title = page === 'console' ? 'Ops console · Lucky Casino' : 'Lucky Casino';
  }, [page]);

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <p className="brand">Lucky Casino</p>
        <nav aria-label="Pages">
          <a href="/" aria-current={page === 'lobby' ? 'page' : undefined} onClick={go('lobby')}>
            Lobby
          </a>
          <a href="/console" aria-current={page === 'console' ? 'page' : undefined} onClick={go('console')}>
            Ops console
          </a>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <h1 className="visually-hidden">{page === 'console' ? 'Ops console' : 'Lobby'}</h1>
        <Sentry.ErrorBoundary key={page} fallback={(props) => <Fallback {...props} />}>
          {page === 'console' ? <Console apiBaseUrl={config.apiBaseUrl} /> : <Lobby api={api} />}
        </Sentry.ErrorBoundary>
      </main>
      <footer className="muted small">
        Demo casino: play money only. Release {__SENTRY_RELEASE__} · traces to{' '}
        {config.sentryDsn ? 'Sentry' : config.spotlightUrl ? 'Spotlight' : 'nowhere (no DSN)'}
      </footer>
    </>
  );
}
