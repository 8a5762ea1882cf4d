import { SEED } from '../sandbox/sim/seed.js';
import { deployOnSeededSandbox, interleavedRuns, type SeededDeploy } from './seeded-deploy.js';
import { median, total, type BenchResult } from './types.js';

const RUNS = 3;
/** Real seconds per simulated second: a real-account minute passes in 1.2 s. */
const TIME_SCALE = 0.02;
/** deploy-service's default poll interval (5 s), at the same scale. */
const POLL_SECONDS = 5;
/**
 * A Fargate task whose tag is missing: about 20 s provisioning, then the pull retried 5 times before
 * CannotPullContainerError, about 60 s after launch (the simulator fails the pull at 60 % of startSeconds).
 */
const PULL_FAILS_AFTER_SECONDS = 60;
const MISSING = `${SEED.repository}:0badc0d`;

interface Run {
  /** Time to the failing exit, in real-account seconds (simulated waits scaled back). */
  seconds: number;
  registered: number;
  updated: number;
  tasksStarted: number;
  firstError: string;
}

/**
 * deploy-service through its bundle, deploying a tag that was never pushed to the seeded service (2 tasks, circuit
 * breaker with rollback, threshold min(200, max(3, ceil(desired / 2))) = 3 failed tasks): with the check (default)
 * and without it (`verify: false`). Time to failure = from the bundle's start to its exit; the part after
 * UpdateService, spent waiting on the simulated account, is scaled back to real-account seconds.
 */
export async function benchVerify(): Promise<BenchResult> {
  const { checked, unchecked } = await interleavedRuns(RUNS, {
    checked: () => once(true),
    unchecked: () => once(false),
  });
  const ours = median(checked.map((r) => r.seconds));
  const baseline = median(unchecked.map((r) => r.seconds));
  const ratio = baseline / ours;
  const nothingChanged = checked.every((r) => r.registered + r.updated + r.tasksStarted === 0);
  return {
    name: 'deploy-service: time to failure for a missing image tag',
    method:
      `${RUNS} runs each, seeded StartupWebApp service (2 tasks), sandbox timeScale ${TIME_SCALE}, poll interval ` +
      `${POLL_SECONDS} s scaled, the image pull failing ${PULL_FAILS_AFTER_SECONDS} s after each task's launch; bundle ` +
      `under Node 24. Without the check: ${unchecked.map((r) => `${r.tasksStarted} tasks`).join(', ')} started, ` +
      `ended with "${unchecked[0]!.firstError}". With it: "${checked[0]!.firstError}".`,
    rows: [
      {
        metric: 'time to failure, median (real-account seconds)',
        ours: ours.toFixed(2),
        baseline: baseline.toFixed(1),
        baselineName: 'the same deploy with verify: false (register, update, circuit breaker)',
        ratio,
        goal: '>= 50x sooner',
        met: ratio >= 50,
      },
      {
        metric: 'with the check: revisions registered / services updated / tasks started',
        ours: `${sum(checked, 'registered')} / ${sum(checked, 'updated')} / ${sum(checked, 'tasksStarted')}`,
        baseline: `${sum(unchecked, 'registered')} / ${sum(unchecked, 'updated')} / ${sum(unchecked, 'tasksStarted')}`,
        goal: '0 / 0 / 0',
        met: nothingChanged,
      },
    ],
  };
}

function sum(runs: Run[], field: 'registered' | 'updated' | 'tasksStarted'): number {
  return total(runs, (run) => run[field]);
}

function once(verify: boolean): Promise<Run> {
  // pull: 'fail' keeps the tag out of the registry too, so both runs meet the same missing image.
  const behaviour = { pull: 'fail' as const, startSeconds: PULL_FAILS_AFTER_SECONDS / 0.6 };
  const inputs = {
    verify,
    'poll-interval-seconds': POLL_SECONDS * TIME_SCALE,
    'timeout-minutes': 60 * TIME_SCALE,
  };
  return deployOnSeededSandbox({ timeScale: TIME_SCALE, image: MISSING, behaviour, inputs }, measure);
}

function measure({ sim, result, started, before }: SeededDeploy): Run {
  if (result.exitCode !== 1) throw new Error(`expected a failure, got exit ${result.exitCode}: ${result.stdout}`);
  const exited = started + result.durationMs;
  const calls = sim.requests.slice(before.requests);
  const count = (operation: string) => calls.filter((r) => r.operation === operation && r.status === 200).length;
  const update = calls.find((r) => r.operation === 'UpdateService')?.at;
  const seconds =
    update === undefined ? (exited - started) / 1000 : (update - started + (exited - update) / TIME_SCALE) / 1000;
  const tasks = (entries: typeof sim.timeline) =>
    new Set(entries.filter((e) => e.kind === 'task').map((e) => e.subject));
  const earlier = tasks(sim.timeline.slice(0, before.timeline));
  return {
    seconds,
    registered: count('RegisterTaskDefinition'),
    updated: count('UpdateService'),
    tasksStarted: [...tasks(sim.timeline.slice(before.timeline))].filter((arn) => !earlier.has(arn)).length,
    firstError: (result.errors[0]?.message ?? '?').split('\n')[0]!.slice(0, 240),
  };
}
