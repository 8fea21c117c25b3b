/**
 * The local trace viewer: Spotlight's sidecar (it takes the envelopes the SDKs send) and its UI (the
 * traces, errors, logs and profiles), in one process on SPOTLIGHT_HOST:SPOTLIGHT_PORT.
 *
 * Started through the library rather than Spotlight's CLI: the CLI reports its own telemetry to
 * Sentry, serves the UI without its stylesheet and listens on every interface.
 */
import { setupSpotlight } from '@spotlightjs/spotlight';
import { bindListenersTo, portInUse } from './loopback.js';
import { log } from './log.js';
import { uiFiles } from './ui.js';

const DEFAULT_PORT = 8969;

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new Error(`SPOTLIGHT_PORT must be a port number from 0 to 65535 (got ${JSON.stringify(value)})`);
  return port;
}

async function main(): Promise<void> {
  const port = readPort(process.env.SPOTLIGHT_PORT);
  // Loopback unless told otherwise (a container listens on its own interface, published on loopback).
  const host = process.env.SPOTLIGHT_HOST || '127.0.0.1';
  // Fail at once on a taken port: the library would retry for 15 s, or quietly defer to another sidecar.
  if (port !== 0 && (await portInUse(host, port))) {
    log('error', `port ${port} is in use (set SPOTLIGHT_PORT, or start without Spotlight)`);
    process.exit(1);
  }
  bindListenersTo(host);
  const server = await setupSpotlight({
    port,
    filesToServe: uiFiles(),
    isStandalone: true,
    logger: {
      // Its "listening on <port>" is the ready line below, with the address.
      info: (message) => (message.startsWith('Spotlight listening on') ? undefined : log('info', message)),
      warn: (message) => log('warn', message),
      error: (message) => log('error', message),
      debug: (message) => (process.env.SPOTLIGHT_DEBUG ? log('debug', message) : undefined),
    },
  });
  const address = server?.address();
  if (!server || !address || typeof address === 'string') throw new Error('the sidecar did not start');
  log('info', 'Spotlight ready', { url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}` });
  // The sidecar closes its server on a signal but leaves the process to end by itself, which the
  // launcher's IPC channel would keep alive: end it here once the server has closed.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    });
  }
  // Started by the demo's launcher: leave with it, even when it was killed outright.
  if (process.send) process.once('disconnect', () => process.exit(0));
}

main().catch((err: unknown) => {
  log('error', err instanceof Error ? err.message : String(err));
  process.exit(1);
});
