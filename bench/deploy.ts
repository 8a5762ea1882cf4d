import type { ImageBehaviour } from '../sandbox/sim/model.js';
import { deployOnSeededSandbox, interleavedRuns, type SeededDeploy } from './seeded-deploy.js';
import { median, total, type BenchResult } from './types.js';

const RUNS = 3;
const POLL_SECONDS = 1;
/** At timeScale 0.05 a task takes 100 simulated seconds = 5 real seconds to start, so the wait spans several polls. */
const TIME_SCALE = 0.05;
const BASELINE = 'aws-actions/amazon-ecs-deploy-task-definition v2.6.3 (waiter settings and issue #447, anchors.md)';

interface Run {
  delayMs: number;
  waitMs: number;
  describeServices: number;
  listTasks: number;
  describeTasks: number;
  describedTasks: number;
  uniqueDescribed: number;
  status: string;
}

/**
 * deploy-service through its bundle against the sandbox (poll interval 1 s). Detection delay = the bundle process
 * exiting minus the simulator marking the deployment COMPLETED, or FAILED by the circuit breaker (its timeline).
 * API calls counted from the simulator's request log from UpdateService to the end of the run.
 */
export async function benchDeploy(): Promise<BenchResult> {
  const { completed, failed } = await interleavedRuns(RUNS, {
    completed: () => once('COMPLETED', { startSeconds: 100 }),
    failed: () =>
      once('FAILED', {
        startSeconds: 60,
        crashAfterSeconds: 5,
        exitCode: 1,
        logLines: ['Traceback (most recent call last):', 'ImportError: bench'],
      }),
  });
  const all = [...completed, ...failed];
  const sum = (runs: Run[], field: 'listTasks' | 'describeTasks') => total(runs, (run) => run[field]);
  const minutes = total(all, (run) => run.waitMs) / 60_000;
  // The watcher polls once at once, then once per interval.
  const polls = total(all, (run) => Math.floor(run.waitMs / (POLL_SECONDS * 1000)) + 1);
  const describeServices = total(all, (run) => run.describeServices);
  const describeTasks = total(all, (run) => run.describeTasks);
  const listTasks = total(all, (run) => run.listTasks);
  const describedTasks = total(all, (run) => run.describedTasks);
  const unique = total(all, (run) => run.uniqueDescribed);
  const goalMs = POLL_SECONDS * 1000 + 1000;
  const worst = (runs: Run[]) => Math.max(...runs.map((run) => run.delayMs));
  return {
    name: 'deploy-service: detection delay and API calls',
    method:
      `${RUNS} healthy rollouts (2 tasks) and ${RUNS} circuit-breaker failures (tasks crashing), seeded StartupWebApp ` +
      `service, sandbox timeScale ${TIME_SCALE}, poll-interval-seconds ${POLL_SECONDS}, bundle under Node 24. ` +
      `Statuses: ${all.map((run) => run.status).join(', ')}.`,
    rows: [
      {
        metric: 'detection delay after COMPLETED, median / worst (ms)',
        ours: `${Math.round(median(completed.map((r) => r.delayMs)))} / ${Math.round(worst(completed))}`,
        baseline: 'up to 15,000 (waiter minDelay 15 s)',
        baselineName: BASELINE,
        goal: `<= ${goalMs} ms`,
        met: worst(completed) <= goalMs,
      },
      {
        metric: 'detection delay after circuit breaker FAILED, median / worst (ms)',
        ours: `${Math.round(median(failed.map((r) => r.delayMs)))} / ${Math.round(worst(failed))}`,
        baseline: 'after the whole rollback finishes (~30 min in #447)',
        baselineName: BASELINE,
        goal: `<= ${goalMs} ms`,
        met: worst(failed) <= goalMs,
      },
      {
        metric: 'DescribeServices per poll while waiting',
        ours: (describeServices / polls).toFixed(2),
        goal: '1 per poll',
        met: describeServices / polls <= 1.05,
      },
      {
        metric: 'calls per minute of waiting: DescribeServices / ListTasks / DescribeTasks',
        ours: [describeServices, listTasks, describeTasks].map((n) => (n / minutes).toFixed(1)).join(' / '),
        goal: `${(60 / POLL_SECONDS).toFixed(0)} DescribeServices (1 per poll); task calls only for newly stopped tasks`,
      },
      {
        metric: 'task calls in the healthy rollouts: ListTasks / DescribeTasks',
        ours: `${sum(completed, 'listTasks')} / ${sum(completed, 'describeTasks')}`,
        goal: '0 / 0 (old tasks stopped by the rollout are not ours)',
        met: sum(completed, 'listTasks') + sum(completed, 'describeTasks') === 0,
      },
      {
        metric: 'stopped tasks described: total / distinct (DescribeTasks calls)',
        ours: `${describedTasks} / ${unique} (${describeTasks})`,
        goal: 'each newly stopped task once',
        met: describedTasks === unique,
      },
    ],
  };
}

function once(expect: 'COMPLETED' | 'FAILED', behaviour: ImageBehaviour): Promise<Run> {
  const image = `app:bench-${expect.toLowerCase()}`;
  const inputs = { 'poll-interval-seconds': POLL_SECONDS, 'timeout-minutes': 5 };
  return deployOnSeededSandbox({ timeScale: TIME_SCALE, image, behaviour, inputs }, (run) => measure(run, expect));
}

function measure({ sim, result, started }: SeededDeploy, expect: string): Run {
  const id = result.outputs['deployment-id'];
  if (!id) throw new Error(`deploy-service did not start a deployment: ${result.stdout}`);
  const marked = sim.timeline.find((e) => e.kind === 'deployment' && e.subject === id && e.value === expect)?.at;
  if (marked === undefined)
    throw new Error(`The simulator never marked ${id} ${expect} (status ${result.outputs.status})`);
  const exited = started + result.durationMs;
  const update = sim.calls('UpdateService')[0]!.at;
  const during = sim.requests.filter((r) => r.at >= update);
  const count = (operation: string) => during.filter((r) => r.operation === operation).length;
  const described = during
    .filter((r) => r.operation === 'DescribeTasks' && r.status === 200)
    .flatMap((r) => (r.input as { tasks?: string[] }).tasks ?? []);
  return {
    delayMs: exited - marked,
    waitMs: exited - update,
    describeServices: count('DescribeServices'),
    listTasks: count('ListTasks'),
    describeTasks: count('DescribeTasks'),
    describedTasks: described.length,
    uniqueDescribed: new Set(described).size,
    status: result.outputs.status ?? '?',
  };
}
