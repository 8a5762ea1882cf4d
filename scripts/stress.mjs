// Runs the jest suite while every core is kept busy by another process, as on a loaded CI machine.
// Usage: node scripts/stress.mjs [--runs N] [jest args...]   (stops at the first failing run)
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 1;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1`);

const burners = Array.from({ length: availableParallelism() }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
let jest;
const stopBurners = () => burners.forEach((child) => child.kill('SIGKILL'));
// Jest runs in a process group of its own, so an interrupted stress run stops it and its workers too.
const stopJest = () => jest?.exitCode === null && process.kill(-jest.pid, 'SIGTERM');
process.on('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopJest();
    process.exit(130);
  });
}

let failed = 0;
for (let run = 1; run <= runs && failed === 0; run++) {
  console.log(`\n== Stress run ${run}/${runs}: jest with ${burners.length} busy processes beside it`);
  const code = await new Promise((resolve) => {
    jest = spawn('npm', ['run', 'test:jest', '--', ...args], { stdio: 'inherit', detached: true });
    jest.on('exit', (exitCode) => resolve(exitCode ?? 1));
  });
  if (code !== 0) failed = run;
}
stopBurners();
console.log(failed ? `\nStress run ${failed} failed` : `\n${runs} stress run(s) passed with every core busy`);
process.exit(failed ? 1 : 0);
