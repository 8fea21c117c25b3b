import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { loadConfig } from './config';
import { ConfigContext } from './context';
import { initSentry } from './sentry';
import './styles.css';

const config = await loadConfig();
initSentry(config);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigContext.Provider value={config}>
      <App />
    </ConfigContext.Provider>
  </StrictMode>,
);
