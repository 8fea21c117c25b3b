/** A process's CPU time and resident memory, read from /proc (Linux). */
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat's times: 100 on Linux, whatever the CPU. */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time, in milliseconds, since the process started. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** Resident set size, in megabytes. */
export function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** A figure summed over the processes it is given for. */
export const total = (byProcess: Record<string, number>): number => Object.values(byProcess).reduce((a, b) => a + b, 0);
