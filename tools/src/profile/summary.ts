/**
 * What a CPU profile says, in the terms the platform's costs are discussed in: busy time, and its
 * share by owner (the innermost frame from a package or from the platform's own code: Sentry,
 * mingo, express, the kit, the service, Node alone, the garbage collector) and by function.
 */

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Milliseconds the thread was not idle. */
  busyMs: number;
  /** Share of busy time by owner, largest first. */
  owners: { owner: string; share: number }[];
  /** Share of busy time spent in each function itself, largest first. */
  functions: { name: string; share: number }[];
}

/** The package a script belongs to, or the platform's part; undefined for Node's own code. */
export function ownerOf(url: string): string | undefined {
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg.startsWith('@sentry/') || pkg.startsWith('@opentelemetry/') ? 'sentry' : pkg;
  if (url.includes('/shared/dist/')) return 'kit';
  if (url.includes('/services/')) return 'service';
  return undefined;
}

export function summarise(profile: CpuProfile, top = 10): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<number, number>();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  let busy = 0;
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of time) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += us;
    let owner = frame.functionName === '(garbage collector)' ? 'gc' : undefined;
    for (let at: number | undefined = id; !owner && at !== undefined; at = parent.get(at)) owner = ownerOf(byId.get(at)!.callFrame.url);
    owner ??= 'node';
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${ownerOf(frame.url) ?? (frame.url.split('/').pop() || 'native')}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const ranked = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, share: busy ? us / busy : 0 }));
  return {
    busyMs: busy / 1000,
    owners: ranked(owners)
      .slice(0, top)
      .map(({ name, share }) => ({ owner: name, share })),
    functions: ranked(functions).slice(0, top),
  };
}
