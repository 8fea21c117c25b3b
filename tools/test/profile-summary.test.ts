/** What `npm run profile` reads from a CPU profile: busy time, and its shares by owner and function. */
import { type CpuProfile, ownerOf, summarise } from '@casino/tools/profile/summary';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

// root → express handler → kit store op → mingo; root → Sentry span end → (native) memoryUsage; idle; gc.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 5, 7, 8] },
    { id: 2, callFrame: frame('handle', '/app/node_modules/router/index.js'), children: [3] },
    { id: 3, callFrame: frame('updateFirst', '/app/shared/dist/store/embedded.js'), children: [4] },
    { id: 4, callFrame: frame('addOps', '/app/node_modules/mingo/dist/cjs/core/_internal.js') },
    { id: 5, callFrame: frame('processSegmentSpan', '/app/node_modules/@sentry/node/build/cjs/integrations/context.js'), children: [6] },
    { id: 6, callFrame: frame('memoryUsage', '') },
    { id: 7, callFrame: frame('(idle)', '') },
    { id: 8, callFrame: frame('(garbage collector)', '') },
  ],
  samples: [4, 4, 3, 6, 6, 6, 7, 7, 7, 7, 8, 2],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('the profile summary', () => {
  test('when a profile is summarised, then idle time is left out and each sample goes to the innermost frame with an owner', () => {
    const s = summarise(profile);
    expect(s.busyMs).toBe(8);
    expect(s.owners).toEqual([
      { owner: 'sentry', share: 3 / 8 },
      { owner: 'mingo', share: 2 / 8 },
      { owner: 'kit', share: 1 / 8 },
      { owner: 'gc', share: 1 / 8 },
      { owner: 'router', share: 1 / 8 },
    ]);
    expect(s.functions[0]).toEqual({ name: 'memoryUsage native', share: 3 / 8 });
    expect(s.functions.map((f) => f.name)).toContain('addOps mingo');
  });

  test('when a script is placed, then packages are named, Sentry and OpenTelemetry are one owner, the platform is kit or service, Node is nobody', () => {
    expect(ownerOf('/app/node_modules/@sentry/core/build/cjs/client.js')).toBe('sentry');
    expect(ownerOf('/app/node_modules/@opentelemetry/api/build/src/index.js')).toBe('sentry');
    expect(ownerOf('/app/node_modules/pino-http/logger.js')).toBe('pino-http');
    expect(ownerOf('/app/services/game/dist/use-cases/play-spin.js')).toBe('service');
    expect(ownerOf('/app/shared/dist/logger.js')).toBe('kit');
    expect(ownerOf('node:internal/http')).toBeUndefined();
  });
});
