import { startSimulator, SEED, type Simulator } from '../sandbox/sim/index.js';
import { runBundle } from '../sandbox/run-bundle.js';
import { median, type BenchResult } from './types.js';

/**
 * Rollback speed, rolling vs ECS blue/green (issue 25): the time from "bad release detected" (the rollback action
 * starts) to "the old revision serves all production traffic", on the seeded StartupWebApp service with the real ALB
 * shape: /order/products checked every 30 s (2 to be healthy), deregistration delay 300 s, grace 120 s, tasks taking
 * 40 s to start. Rolling: the rollback starts old tasks again; traffic is all old once the last bad target is taken
 * out of the listener (draining). Blue/green: the bad release was deployed with `wait-until: serving` and is baking
 * (60-minute bake), so the old tasks still run; traffic is all old once ECS puts the listener rule's weight back.
 *
 * Each time is two parts, measured apart so that neither is scaled by the other's clock: the step's own work before
 * its change call (process start, read-only checks, in real seconds: it is not simulated), then what ECS and the load
 * balancer do after it (in simulated seconds, from the simulator's own timeline).
 */

const RUNS = 5;
const TIME_SCALE = 0.1;
const POLL_SECONDS = 5 * TIME_SCALE;
const START_SECONDS = 40;
const GOAL_SECONDS = 30;

type Strategy = 'ROLLING' | 'BLUE_GREEN';

interface Run {
  /** Real seconds from the rollback step's start to its change call (UpdateService / StopServiceDeployment). */
  beforeChange: number;
  /** Simulated seconds from the change call to all production traffic on the old revision. */
  changeToTraffic?: number;
  /** Simulated seconds from the change call to the step's exit. */
  changeToExit: number;
  status: string;
}

const total = (run: Run) => (run.changeToTraffic === undefined ? undefined : run.beforeChange + run.changeToTraffic);
const medianOf = (values: Array<number | undefined>) =>
  values.some((v) => v === undefined) ? undefined : median(values as number[]);
const fmt = (seconds: number | undefined) => (seconds === undefined ? '?' : `${seconds.toFixed(1)} s`);
const range = (values: Array<number | undefined>) => {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length ? `${Math.min(...known).toFixed(1)}-${Math.max(...known).toFixed(1)}` : '?';
};

export async function benchRollbackTraffic(): Promise<BenchResult> {
  const runs: Record<Strategy, Run[]> = { ROLLING: [], BLUE_GREEN: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.ROLLING.push(await once('ROLLING'));
    runs.BLUE_GREEN.push(await once('BLUE_GREEN'));
  }
  const back = (s: Strategy) => medianOf(runs[s].map(total));
  const part = (s: Strategy, field: 'beforeChange' | 'changeToTraffic') => medianOf(runs[s].map((r) => r[field]));
  const exit = (s: Strategy) => medianOf(runs[s].map((r) => r.beforeChange + r.changeToExit));
  const [blueGreen, rolling] = [back('BLUE_GREEN'), back('ROLLING')];
  const ratio = blueGreen !== undefined && rolling ? blueGreen / rolling : undefined;
  const statuses = (s: Strategy) => [...new Set(runs[s].map((r) => r.status))].join('/');
  return {
    name: 'rollback: bad release detected -> old revision serving all traffic, rolling vs blue/green',
    method:
      `Median of ${RUNS} runs each, alternating, each on a fresh sandbox (timeScale ${TIME_SCALE}, ` +
      `poll-interval-seconds ${POLL_SECONDS} = ${POLL_SECONDS / TIME_SCALE} s simulated), rollback bundle under ` +
      `Node 24 with its defaults (wait-until completed). Time = the step's own work before its change call ` +
      `(UpdateService / StopServiceDeployment: process start and read-only checks, real seconds, the only part a ` +
      `loaded machine lengthens) + ECS and the ALB after it (simulated seconds from the simulator's timeline; the ` +
      `simulated clock follows the wall clock, so load only coarsens it by the engine's 20 ms real = 0.2 s simulated ` +
      `tick). Service: 2 tasks, ${START_SECONDS} s to start, target group /order/products every 30 s, healthy after ` +
      `2, deregistration delay 300 s, grace 120 s. Blue/green: BLUE_GREEN, bake 60 min, alternate target group ` +
      `startupwebapp-tg-green. Rolling: traffic is back when the last bad target starts draining. Statuses: rolling ` +
      `${statuses('ROLLING')}, blue/green ${statuses('BLUE_GREEN')}.`,
    rows: [
      {
        metric: 'blue/green rollback during the bake: traffic back on the old revision (median)',
        ours: fmt(blueGreen),
        baseline: fmt(rolling),
        baselineName: 'rolling rollback (UpdateService to the previous revision) on the same service',
        ...(ratio !== undefined ? { ratio } : {}),
        goal: `< ${GOAL_SECONDS} s`,
        met: blueGreen !== undefined && blueGreen < GOAL_SECONDS,
      },
      {
        metric: 'of which the step before its change call, real s (median): blue/green / rolling',
        ours: `${fmt(part('BLUE_GREEN', 'beforeChange'))} / ${fmt(part('ROLLING', 'beforeChange'))}`,
      },
      {
        metric: 'of which ECS + ALB after the change call, simulated s (median): blue/green / rolling',
        ours: `${fmt(part('BLUE_GREEN', 'changeToTraffic'))} / ${fmt(part('ROLLING', 'changeToTraffic'))}`,
      },
      {
        metric: 'traffic back, range over the runs (s): blue/green / rolling',
        ours: `${range(runs.BLUE_GREEN.map(total))} / ${range(runs.ROLLING.map(total))}`,
      },
      {
        metric: 'rollback step, start to exit, blue/green (ROLLBACK_SUCCESSFUL, median)',
        ours: fmt(exit('BLUE_GREEN')),
      },
      {
        metric: 'rollback step, start to exit, rolling (COMPLETED, after the 300 s drain, median)',
        ours: fmt(exit('ROLLING')),
      },
    ],
  };
}

async function once(strategy: Strategy): Promise<Run> {
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
    const change = sandbox
      .calls(strategy === 'BLUE_GREEN' ? 'StopServiceDeployment' : 'UpdateService')
      .find((r) => r.at >= started && r.status === 200)?.at;
    if (change === undefined) throw new Error(`the ${strategy} rollback made no change: ${result.outputs.status}`);
    const sim = (realMs: number) => realMs / 1000 / TIME_SCALE;
    const traffic = trafficBackAt(sandbox, strategy, bad, change);
    return {
      beforeChange: (change - started) / 1000,
      ...(traffic !== undefined ? { changeToTraffic: sim(traffic - change) } : {}),
      changeToExit: sim(started + result.durationMs - change),
      status: result.outputs.status ?? '?',
    };
  } finally {
    await sandbox.stop();
  }
}

/** When (real epoch ms) the old revision served all production traffic, after the change call at `change`. */
function trafficBackAt(sandbox: Simulator, strategy: Strategy, bad: string, change: number): number | undefined {
  const after = sandbox.timeline.filter((e) => e.at >= change);
  if (strategy === 'BLUE_GREEN') {
    return after.find((e) => e.kind === 'target' && e.subject === 'production-traffic' && e.value === 'blue')?.at;
  }
  // Rolling: the listener stops routing to a target once it is draining; the last bad one to drain ends it.
  const drained = after.filter((e) => e.kind === 'target' && e.detail === bad && e.value === 'draining');
  return drained.length > 0 ? Math.max(...drained.map((e) => e.at)) : undefined;
}
