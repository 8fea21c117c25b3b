/** The container test's hands: docker and docker-compose as child processes, and what they report. */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface Output {
  stdout: string;
  stderr: string;
}

/** The engine's own client where Debian installed one beside it: the same version as the engine. */
const DOCKER = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';

export function docker(args: string[]): Promise<Output> {
  return exec(DOCKER, args, { maxBuffer: 64 * 2 ** 20 });
}

/** A command's output, for one that may take long: the traffic generator, a build. */
export function command(
  file: string,
  args: string[],
  cwd: string,
  timeoutMs = 30 * 60_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Output> {
  return exec(file, args, { cwd, env, maxBuffer: 64 * 2 ** 20, timeout: timeoutMs });
}

export interface Compose {
  /** The variables that make docker-compose (or start-prod.sh) use this project and these files. */
  env: NodeJS.ProcessEnv;
  run(args: string[]): Promise<Output>;
  /** The id of the service's one container. */
  container(service: string): Promise<string>;
}

/** docker-compose on the repository's file plus the test's override, as one project. */
export function compose(root: string, envFile: string, project = 'casino-containers'): Compose {
  const env = {
    ...process.env,
    COMPOSE_FILE: [join(root, 'docker-compose.yml'), join(root, 'test/containers/compose.override.yml')].join(':'),
    COMPOSE_PROJECT_NAME: project,
  };
  const run = (args: string[]) =>
    command('docker-compose', ['--project-directory', root, '--env-file', envFile, ...args], root, undefined, env);
  return {
    env,
    run,
    async container(service) {
      const id = (await run(['ps', '--quiet', service])).stdout.trim();
      if (!id) throw new Error(`no container for ${service}`);
      return id;
    },
  };
}

/** What the test reads of `docker inspect`. */
export interface Inspected {
  Name: string;
  RestartCount: number;
  State: { Running: boolean; ExitCode: number; OOMKilled: boolean; Health?: { Status: string } };
  HostConfig: { Memory: number; ReadonlyRootfs: boolean; CapDrop: string[] | null };
  Config: { User: string };
}

export async function inspect(id: string): Promise<Inspected> {
  const [container] = JSON.parse((await docker(['inspect', id])).stdout) as Inspected[];
  if (!container) throw new Error(`no container ${id}`);
  return container;
}

/** The container's memory cgroup folder, v2 or v1. */
function cgroupOf(id: string): { dir: string; v2: boolean } {
  for (const dir of [`/sys/fs/cgroup/system.slice/docker-${id}.scope`, `/sys/fs/cgroup/docker/${id}`]) {
    if (existsSync(join(dir, 'memory.current'))) return { dir, v2: true };
  }
  const dir = `/sys/fs/cgroup/memory/docker/${id}`;
  if (existsSync(join(dir, 'memory.usage_in_bytes'))) return { dir, v2: false };
  throw new Error(`no memory accounting found for container ${id}`);
}

const readNumber = (file: string) => Number(readFileSync(file, 'utf8').trim());

/**
 * The container's working set now: its memory use less the page cache it could drop at once
 * (inactive files), as `docker stats` and the kubelet count it. The cgroup's own peak counts the
 * page cache too, which fills up to any limit without the container needing it.
 */
export function workingSet(id: string): number {
  const { dir, v2 } = cgroupOf(id);
  const usage = readNumber(join(dir, v2 ? 'memory.current' : 'memory.usage_in_bytes'));
  const stat = readFileSync(join(dir, 'memory.stat'), 'utf8');
  const inactive = Number(new RegExp(`^${v2 ? 'inactive_file' : 'total_inactive_file'} (\\d+)$`, 'm').exec(stat)?.[1] ?? 0);
  return Math.max(0, usage - inactive);
}

/** Samples each container's working set every `everyMs` until stopped; `peaks()` gives the highest seen. */
export function watchMemory(ids: Record<string, string>, everyMs = 250): { peaks(): Record<string, number>; stop(): void } {
  const peaks: Record<string, number> = {};
  const sample = () => {
    for (const [name, id] of Object.entries(ids)) {
      try {
        peaks[name] = Math.max(peaks[name] ?? 0, workingSet(id));
      } catch {
        // The container went away between samples; its peak so far stands.
      }
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return { peaks: () => ({ ...peaks }), stop: () => clearInterval(timer) };
}

/** Reads a server-sent event stream into memory until `signal` aborts; returns what has come so far. */
export function streamText(url: string, signal: AbortSignal): () => string {
  let text = '';
  void fetch(url, { headers: { accept: 'text/event-stream' }, signal })
    .then(async (response) => {
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) text += decoder.decode(chunk as Uint8Array, { stream: true });
    })
    .catch(() => undefined);
  return () => text;
}
