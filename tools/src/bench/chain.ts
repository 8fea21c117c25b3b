/**
 * The bench's anchor: five Express processes in a line, each calling the next with fetch, as the
 * spin's five services would if they did nothing but pass the request on. What the platform can
 * at best reach on this machine.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePorts } from '../launcher';

export const HOPS = ['hop1', 'hop2', 'hop3', 'hop4', 'hop5'] as const;

export interface BareChain {
  /** The first hop's spin route. */
  url: string;
  pids: Record<(typeof HOPS)[number], number>;
  readyAfterMs: number;
  stop(): Promise<void>;
}

/** With `sentryDsn`, every hop runs the SDK at tracing 1.0 and sends there (hop-instrument.ts). */
export async function startBareChain(options: { sentryDsn?: string } = {}): Promise<BareChain> {
  const started = Date.now();
  const ports = await freePorts(HOPS.length);
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null ? undefined : new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
      ),
    );
  };
  try {
    // Last first, so each hop's next one is listening before anything calls it.
    for (let i = HOPS.length - 1; i >= 0; i--) {
      const next = ports[i + 1] === undefined ? '' : `http://127.0.0.1:${ports[i + 1]}/spin`;
      const sdk = options.sentryDsn ? ['--import', pathToFileURL(join(__dirname, 'hop-instrument.js')).href] : [];
      const child = fork(join(__dirname, 'hop.js'), [], {
        execArgv: sdk,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          HOP_PORT: String(ports[i]),
          HOP_NEXT: next,
          HOP_SENTRY_DSN: options.sentryDsn,
        },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`bare hop ${i + 1} exited with ${code} before it was ready`)));
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const pids = Object.fromEntries(HOPS.map((hop, i) => [hop, children[HOPS.length - 1 - i]!.pid!])) as BareChain['pids'];
  return { url: `http://127.0.0.1:${ports[0]}/spin`, pids, readyAfterMs: Date.now() - started, stop };
}
