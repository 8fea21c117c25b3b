/** One JSON line per record, in the shape the services' logs have, so the demo shows them alike. */
export function log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), service: 'spotlight', msg, ...fields });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}
