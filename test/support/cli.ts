import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@casino/tools/launcher';
import { TEST_SECRETS } from './platform';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to a bare environment (only PATH), so nothing from the developer's shell leaks in. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Sends SIGINT after that many ms, as Ctrl-C would. */
  interruptAfterMs?: number;
  /** Kills the command after that many ms. */
  timeoutMs?: number;
}

/** Runs a built CLI (`tools/dist/cli/<name>.js`) as `npm run <name>` does after building. */
export function runCli(name: string, args: string[], options: CliOptions = {}): Promise<CliRun> {
  const script = join(repoRoot(), 'tools', 'dist', 'cli', `${name}.js`);
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  if (options.interruptAfterMs) setTimeout(() => child.kill('SIGINT'), options.interruptAfterMs);
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** `npm run reconcile` against a running platform's gateway, with the tests' admin token. */
export function reconcile(gatewayPort: number, args: string[] = [], timeoutMs = 30_000): Promise<CliRun> {
  return runCli('reconcile', ['--url', `http://127.0.0.1:${gatewayPort}`, ...args], {
    env: { ADMIN_TOKEN: TEST_SECRETS.ADMIN_TOKEN },
    timeoutMs,
  });
}
