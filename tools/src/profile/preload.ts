/**
 * Preloaded into each service by `npm run profile` (NODE_OPTIONS=--require): SIGUSR2 starts V8's
 * sampling CPU profiler, the next SIGUSR2 writes PROFILE_DIR/<service>.cpuprofile.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, dirname, join } from 'node:path';

const session = new Session();
session.connect();
// services/<name>/dist/main.js
const service = basename(dirname(dirname(process.argv[1] ?? 'unknown/dist/x')));
let running = false;

process.on('SIGUSR2', () => {
  if (!running) {
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')),
    );
  } else {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(process.env.PROFILE_DIR ?? '.', `${service}.cpuprofile`), JSON.stringify(result.profile));
    });
  }
  running = !running;
});
