import { startSimulator, SEED, type Simulator } from '../sandbox/sim/index.js';
import { runBundle } from '../sandbox/run-bundle.js';
import type { BenchResult } from './types.js';

/**
 * Rollback speed, rolling vs ECS blue/green (issue 25): the time from "bad release detected" (the rollback action
 * starts) to "the old revision serves all production traffic", on the seeded StartupWebApp service with the real ALB
 * shape: /order/products checked every 30 s (2 to be healthy), deregistration delay 300 s, grace 120 s, tasks taking
 * 40 s to start. Rolling: the rollback starts old tasks again; traffic is all old once the last bad target is taken
 * out of the listener (draining). Blue/green: the bad release was deployed with `wait-until: serving` and is baking
 * (60-minute bake), so the old tasks still run; traffic is all old once ECS puts the listener rule's weight back.
 */

const TIME_SCALE = 0.1;
const POLL_SECONDS = 5 * TIME_SCALE;
const START_SECONDS = 40;
const GOAL_SECONDS = 30;

interface Run {
  strategy: 'ROLLING' | 'BLUE_GREEN';
  /** Simulated seconds from the rollback step's start to all production traffic on the old revision. */
  trafficBackSeconds?: number;
  /** Simulated seconds the rollback step ran. */
  stepSeconds: number;
  status: string;
}

const sim = (realMs: number) => realMs / 1000 / TIME_SCALE;
const fmt = (seconds: number | undefined) =>
  seconds === undefined ? '?' : `${seconds.toFixed(1)} s (${(seconds * TIME_SCALE).toFixed(2)} s real)`;

export async function benchRollbackTraffic(): Promise<BenchResult> {
  const rolling = await once('ROLLING');
  const blueGreen = await once('BLUE_GREEN');
  const ratio =
    rolling.trafficBackSeconds && blueGreen.trafficBackSeconds
      ? blueGreen.trafficBackSeconds / rolling.trafficBackSeconds
      : undefined;
  return {
    name: 'rollback: bad release detected -> old revision serving all traffic, rolling vs blue/green',
    method:
      `One run each (figures in simulated seconds; sandbox timeScale ${TIME_SCALE}, poll-interval-seconds ` +
      `${POLL_SECONDS} = ${POLL_SECONDS / TIME_SCALE} s simulated), rollback bundle under Node 24 with its defaults ` +
      `(wait-until completed). Service: 2 tasks, ${START_SECONDS} s to start, target group /order/products every 30 s, ` +
      `healthy after 2, deregistration delay 300 s, grace 120 s. Blue/green: BLUE_GREEN, bake 60 min, alternate ` +
      `target group startupwebapp-tg-green, ECS stages 15 s each. Statuses: rolling ${rolling.status}, ` +
      `blue/green ${blueGreen.status}.`,
    rows: [
      {
        metric: 'blue/green rollback during the bake: traffic back on the old revision',
        ours: fmt(blueGreen.trafficBackSeconds),
        baseline: fmt(rolling.trafficBackSeconds),
        baselineName: 'rolling rollback (UpdateService to the previous revision) on the same service',
        ...(ratio !== undefined ? { ratio } : {}),
        goal: `< ${GOAL_SECONDS} s`,
        met: blueGreen.trafficBackSeconds !== undefined && blueGreen.trafficBackSeconds < GOAL_SECONDS,
      },
      { metric: 'rollback step, start to exit, blue/green (ROLLBACK_SUCCESSFUL)', ours: fmt(blueGreen.stepSeconds) },
      {
        metric: 'rollback step, start to exit, rolling (COMPLETED, after the 300 s drain)',
        ours: fmt(rolling.stepSeconds),
      },
    ],
  };
}

async function once(strategy: Run['strategy']): Promise<Run> {
  const sandbox: Simulator = await startSimulator({ timeScale: TIME_SCALE });
  try {
    await sandbox.seedStartupWebApp(
      strategy === 'BLUE_GREEN' ? { deployment: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 } } : {},
    );
    const image = `app:bad-release-${strategy.toLowerCase()}`;
    sandbox.images.define(image, { startSeconds: START_SECONDS });
    sandbox.images.define(`${SEED.image}*`, { startSeconds: START_SECONDS });
    const common = {
      cluster: SEED.cluster,
      service: SEED.service,
      'poll-interval-seconds': POLL_SECONDS,
      'timeout-minutes': 15,
    };
    // The bad release: serving all traffic (blue/green: baking; rolling: the old tasks are gone).
    const deployed = await runBundle('deploy-service', {
      env: sandbox.env(),
      inputs: { ...common, image, 'wait-until': strategy === 'BLUE_GREEN' ? 'serving' : 'completed' },
      timeoutMs: 600_000,
    });
    const bad = deployed.outputs['deployment-id'];
    if (!bad || !['SERVING', 'COMPLETED'].includes(deployed.outputs.status ?? ''))
      throw new Error(`the bad release did not deploy: ${deployed.outputs.status}`);
    const started = Date.now();
    const result = await runBundle('rollback', { env: sandbox.env(), inputs: common, timeoutMs: 600_000 });
    return {
      strategy,
      status: result.outputs.status ?? '?',
      stepSeconds: sim(result.durationMs),
      trafficBackSeconds: trafficBack(sandbox, strategy, bad, started),
    };
  } finally {
    await sandbox.stop();
  }
}

/** When the old revision served all production traffic, in simulated seconds after `started`. */
function trafficBack(sandbox: Simulator, strategy: Run['strategy'], bad: string, started: number): number | undefined {
  const after = sandbox.timeline.filter((e) => e.at >= started);
  if (strategy === 'BLUE_GREEN') {
    const back = after.find((e) => e.kind === 'target' && e.subject === 'production-traffic' && e.value === 'blue');
    return back ? sim(back.at - started) : undefined;
  }
  // Rolling: the listener stops routing to a target once it is draining; the last bad one to drain ends it.
  const drained = after.filter((e) => e.kind === 'target' && e.detail === bad && e.value === 'draining');
  return drained.length > 0 ? sim(Math.max(...drained.map((e) => e.at)) - started) : undefined;
}
