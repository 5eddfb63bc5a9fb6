/**
 * Preloaded (`NODE_OPTIONS=--require …/cpu-profile-hook.js`, since Node refuses --cpu-prof there)
 * into the bench's gateways when BENCH_PROFILE_DIR is set: a V8 CPU profile of the whole process, written
 * to that directory when it exits. Open it in Chrome DevTools or speedscope.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // The in-process session answers synchronously, so the profile is written before the exit.
    session.post('Profiler.stop', (err, result) => {
      if (!err)
        writeFileSync(
          path.join(dir, `${process.env.BENCH_PROFILE_LABEL ?? 'gateway'}-${process.pid}.cpuprofile`),
          JSON.stringify(result.profile),
        );
    });
  };
  process.on('exit', write);
  // The peers end by SIGTERM's default action (Apollo re-raises it), which skips 'exit'.
  process.prependListener('SIGTERM', () => {
    write();
    if (process.listenerCount('SIGTERM') === 1) process.exit(0);
  });
}
