/**
 * Records every connection attempt a process tree makes, with strace: each connect() call, its
 * address and its result, from every process and thread the command starts. Nothing is blocked;
 * the record is read afterwards and split into loopback and everything else (DNS queries to the
 * machine's resolver included, as they are connections off the machine too).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MISSING_STRACE =
  "strace is not installed: install Debian's strace (apt-get install strace), as .ci/run does. The outbound-connection check must not be skipped.";

export interface Connect {
  pid: number;
  family: 'AF_INET' | 'AF_INET6';
  address: string;
  port: number;
  line: string;
}

export class ConnectRecorder {
  readonly file: string;

  constructor(name: string) {
    try {
      execFileSync('strace', ['-V'], { stdio: 'ignore' });
    } catch {
      throw new Error(MISSING_STRACE);
    }
    this.file = join(mkdtempSync(join(tmpdir(), 'casino-connects-')), `${name}.strace`);
  }

  /** The command prefix that runs a program under the recorder. */
  prefix(): string[] {
    return ['strace', '-f', '-qq', '--seccomp-bpf', '-e', 'trace=connect', '-o', this.file];
  }

  /** Every IPv4 and IPv6 connect() recorded so far. */
  connects(): Connect[] {
    if (!existsSync(this.file)) return [];
    const found: Connect[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      const pid = Number(/^(\d+)\s/.exec(line)?.[1]);
      const v4 = /sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)/.exec(line);
      const v6 = /sa_family=AF_INET6, sin6_port=htons\((\d+)\),.*inet_pton\(AF_INET6, "([^"]+)"/.exec(line);
      if (v4) found.push({ pid, family: 'AF_INET', port: Number(v4[1]), address: v4[2]!, line });
      else if (v6) found.push({ pid, family: 'AF_INET6', port: Number(v6[1]), address: v6[2]!, line });
    }
    return found;
  }
}

/** An address on this machine's loopback (or the unspecified address, which means this machine). */
export const isLoopback = (address: string): boolean =>
  /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address) || address === '0.0.0.0' || address === '::';
