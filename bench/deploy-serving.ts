import { deployOnSeededSandbox, type SeededDeploy } from './seeded-deploy.js';
import type { BenchResult } from './types.js';

/**
 * deploy-service with `wait-until: serving` and `completed`, side by side, on the seeded StartupWebApp service at a
 * realistic simulated time scale: target group startupwebapp-tg checks /order/products every 30 s (2 to be healthy),
 * deregistration delay unset (ELB's 300 s), health-check grace 120 s, tasks taking 40 s to start. The sandbox runs
 * 10x faster than real time; every figure below is in simulated seconds (real ones in brackets).
 */

const TIME_SCALE = 0.1;
/** 5 simulated seconds, the action's default poll interval. */
const POLL_SECONDS = 5 * TIME_SCALE;
const START_SECONDS = 40;
const DEREGISTRATION_DELAY = 300;

interface Run {
  mode: 'serving' | 'completed';
  status: string;
  /** Simulated seconds from the step's start to its exit. */
  exitSeconds: number;
  /** Simulated seconds from the step's start to the last new target turning healthy. */
  lastHealthySeconds: number;
  /** Simulated seconds from the step's start to ECS marking the deployment COMPLETED (undefined: not yet). */
  completedSeconds?: number;
  calls: Map<string, number>;
}

const sim = (realMs: number) => realMs / 1000 / TIME_SCALE;
const fmt = (seconds: number) => `${seconds.toFixed(1)} s (${(seconds * TIME_SCALE).toFixed(2)} s real)`;

export async function benchDeployServing(): Promise<BenchResult> {
  const serving = await once('serving');
  const completed = await once('completed');
  // Both runs start their tasks and pass their health checks alike, but not in exactly the same time on a busy
  // machine: the saving is compared from the moment the last new target turned healthy in each run.
  const after = (run: Run) => run.exitSeconds - run.lastHealthySeconds;
  const saved = after(completed) - after(serving);
  const total = (run: Run) => [...run.calls.values()].reduce((a, b) => a + b, 0);
  const breakdown = (run: Run) =>
    [...run.calls.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op} ${n}`)
      .join(', ');
  return {
    name: 'deploy-service: wait-until serving vs completed (target group startupwebapp-tg)',
    method:
      `One deploy each of a new image (2 tasks, ${START_SECONDS} s to start) to the seeded service, sandbox ` +
      `timeScale ${TIME_SCALE} (figures in simulated seconds), poll-interval-seconds ${POLL_SECONDS} ` +
      `(${POLL_SECONDS / TIME_SCALE} s simulated), bundle under Node 24. Target group: /order/products every 30 s, ` +
      `healthy after 2, deregistration delay ${DEREGISTRATION_DELAY} s (unset), grace 120 s. ` +
      `Statuses: serving ${serving.status}, completed ${completed.status}.`,
    rows: [
      { metric: 'start to exit, wait-until serving', ours: fmt(serving.exitSeconds) },
      { metric: 'start to exit, wait-until completed', ours: fmt(completed.exitSeconds) },
      {
        metric: 'start to the last new target healthy, serving / completed run',
        ours: `${fmt(serving.lastHealthySeconds)} / ${fmt(completed.lastHealthySeconds)}`,
      },
      {
        metric: 'serving exits sooner by (exit after the last new target turned healthy, completed minus serving)',
        ours: fmt(saved),
        goal: `>= the deregistration delay (${DEREGISTRATION_DELAY} s)`,
        met: saved >= DEREGISTRATION_DELAY,
      },
      {
        metric: 'serving: exit after the last new target turned healthy',
        ours: fmt(after(serving)),
        goal: `<= one poll (${POLL_SECONDS / TIME_SCALE} s) + 1 s real of process exit`,
        met: after(serving) <= POLL_SECONDS / TIME_SCALE + sim(1000),
      },
      {
        metric: 'completed: exit after ECS marked COMPLETED',
        ours: completed.completedSeconds !== undefined ? fmt(completed.exitSeconds - completed.completedSeconds) : '?',
      },
      { metric: 'AWS calls, wait-until serving', ours: `${total(serving)}: ${breakdown(serving)}` },
      { metric: 'AWS calls, wait-until completed', ours: `${total(completed)}: ${breakdown(completed)}` },
    ],
  };
}

function once(mode: Run['mode']): Promise<Run> {
  const image = `app:bench-${mode}`;
  const behaviour = { startSeconds: START_SECONDS };
  const inputs = { 'wait-until': mode, 'poll-interval-seconds': POLL_SECONDS, 'timeout-minutes': 5 };
  return deployOnSeededSandbox({ timeScale: TIME_SCALE, image, behaviour, inputs }, (run) => measure(run, mode));
}

function measure({ sim: sandbox, result, started, before }: SeededDeploy, mode: Run['mode']): Run {
  const id = result.outputs['deployment-id'];
  if (!id) throw new Error(`deploy-service did not start a deployment: ${result.stdout}`);
  const healthy = sandbox.timeline.filter((e) => e.kind === 'target' && e.value === 'healthy' && e.detail === id);
  if (healthy.length === 0) throw new Error(`No target of ${id} turned healthy (status ${result.outputs.status})`);
  const completedAt = sandbox.timeline.find(
    (e) => e.kind === 'deployment' && e.subject === id && e.value === 'COMPLETED',
  )?.at;
  const calls = new Map<string, number>();
  for (const request of sandbox.requests.slice(before.requests)) {
    calls.set(request.operation, (calls.get(request.operation) ?? 0) + 1);
  }
  return {
    mode,
    status: result.outputs.status ?? '?',
    exitSeconds: sim(result.durationMs),
    lastHealthySeconds: sim(Math.max(...healthy.map((e) => e.at)) - started),
    completedSeconds: completedAt !== undefined ? sim(completedAt - started) : undefined,
    calls,
  };
}
