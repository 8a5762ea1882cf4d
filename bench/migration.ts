import { startSimulator } from '../sandbox/sim/index.js';
import { SEED } from '../sandbox/sim/seed.js';
import { runBundle } from '../sandbox/run-bundle.js';
import { median, percentile, type BenchResult } from './types.js';

const LINES = 10_000;
const POLL_SECONDS = 1;
/** Simulated seconds the migration runs; at timeScale 0.05 that is 10 real seconds. */
const RUN_SECONDS = 200;
const TIME_SCALE = 0.05;
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend:bench';

/**
 * run-migration through its bundle against the sandbox: a migration writing 10,000 lines in batches over ~10 s, the
 * last 10 % in the moment before it stops. Delay = when the bundle printed a batch's last line minus when the simulator
 * wrote it (its timeline). API calls counted from the simulator's request log between RunTask and the end of the run.
 */
export async function benchMigration(): Promise<BenchResult> {
  const sim = await startSimulator({ timeScale: TIME_SCALE });
  try {
    await sim.seedStartupWebApp();
    sim.images.define(IMAGE, { commands: { '*': { logLines: LINES, exitCode: 0, runSeconds: RUN_SECONDS } } });
    const printedAt = new Map<string, number>();
    const pattern = new RegExp(`^line \\d+ of ${LINES}$`);
    const result = await runBundle('run-migration', {
      inputs: {
        cluster: SEED.cluster,
        'task-definition': SEED.migrationFamily,
        service: SEED.service,
        image: IMAGE,
        'poll-interval-seconds': POLL_SECONDS,
      },
      env: sim.env(),
      timeoutMs: 120_000,
      onLine: (line) => {
        if (pattern.test(line) && !printedAt.has(line)) printedAt.set(line, Date.now());
      },
    });
    const ended = Date.now();
    if (result.exitCode !== 0) throw new Error(`bench run failed: ${result.errors.map((e) => e.message).join('; ')}`);

    const printed = result.lines.filter((line) => pattern.test(line));
    const expected = Array.from({ length: LINES }, (_, i) => `line ${i + 1} of ${LINES}`);
    const inOrder = printed.length === LINES && printed.every((line, i) => line === expected[i]);
    const missing = LINES - new Set(printed).size;
    const duplicates = printed.length - new Set(printed).size;

    const stream = `migration/migration/${result.outputs['task-id']}`;
    const writes = sim.timeline.filter((entry) => entry.kind === 'logs' && entry.subject.endsWith(stream));
    const delays = writes
      .map((entry) => (entry.detail ? (printedAt.get(entry.detail) ?? NaN) - entry.at : NaN))
      .filter((delay) => Number.isFinite(delay));

    const runTaskAt = sim.calls('RunTask').at(-1)!.at;
    const waiting = sim.requests.filter((r) => r.at >= runTaskAt && r.at <= ended);
    const minutes = (ended - runTaskAt) / 60_000;
    const perMinute = (operation: string) => waiting.filter((r) => r.operation === operation).length / minutes;
    const logCalls = waiting.filter((r) => r.operation === 'GetLogEvents').map((r) => r.at);
    const peakPerSecond = Math.max(...logCalls.map((at) => logCalls.filter((t) => t >= at && t < at + 1000).length));

    const stoppedAt = sim.timeline.find(
      (entry) => entry.kind === 'task' && entry.subject === result.outputs['task-arn'] && entry.value === 'STOPPED',
    )?.at;
    const stopToExitMs = stoppedAt === undefined ? NaN : ended - stoppedAt;

    const goalMs = POLL_SECONDS * 1000 + 1000;
    const p95 = percentile(delays, 95);
    return {
      name: 'run-migration: log streaming',
      method:
        `One migration through dist/run-migration against the sandbox (timeScale ${TIME_SCALE}): ${LINES} log lines ` +
        `written in ${writes.length} batches over ${(RUN_SECONDS * TIME_SCALE).toFixed(0)} s, the last 10 % just before ` +
        `the container stops; poll-interval-seconds ${POLL_SECONDS}; ${delays.length} write-to-print delays measured ` +
        `(simulator timeline -> bundle stdout). Loopback, 2 shared cores.`,
      rows: [
        {
          metric: `log lines printed, in order (missing / duplicated)`,
          ours: `${new Set(printed).size}/${LINES} (${missing} / ${duplicates})${inOrder ? ', in order' : ', OUT OF ORDER'}`,
          baselineName: 'kayac/ecspresso (anchors.md: last lines can be lost when the task stops)',
          baseline: 'last lines can be lost',
          goal: 'all, in order',
          met: inOrder,
        },
        {
          metric: 'delay write -> printed, median ms',
          ours: Math.round(median(delays)),
          goal: `<= ${goalMs} ms (one poll + 1 s)`,
          met: median(delays) <= goalMs,
        },
        {
          metric: 'delay write -> printed, p95 ms',
          ours: Math.round(p95),
          goal: `<= ${goalMs} ms (one poll + 1 s)`,
          met: p95 <= goalMs,
        },
        {
          metric: `DescribeTasks per minute of waiting (poll ${POLL_SECONDS} s; scales as 60/poll)`,
          ours: Math.round(perMinute('DescribeTasks')),
        },
        {
          metric: `GetLogEvents per minute of waiting (poll ${POLL_SECONDS} s; incl. final drain)`,
          ours: Math.round(perMinute('GetLogEvents')),
        },
        {
          metric: 'GetLogEvents peak per second',
          ours: peakPerSecond,
          goal: '< 25/s (CloudWatch Logs quota), far below',
          met: peakPerSecond < 5,
        },
        {
          metric: 'task STOPPED -> action exited, ms (seeing STOPPED + final drain + summary)',
          ours: Math.round(stopToExitMs),
          goal: `<= ${POLL_SECONDS * 1000 + 3000} ms (one poll + a 2 s quiet drain + 1 s)`,
          met: stopToExitMs <= POLL_SECONDS * 1000 + 3000,
        },
        {
          metric: 'run wall time s (RunTask -> exit)',
          ours: ((ended - runTaskAt) / 1000).toFixed(1),
        },
      ],
    };
  } finally {
    await sim.stop();
  }
}
