import { startSimulator } from '../sandbox/sim/index.js';
import type { ImageBehaviour, Simulator } from '../sandbox/sim/model.js';
import { SEED } from '../sandbox/sim/seed.js';
import { runBundle, type BundleResult } from '../sandbox/run-bundle.js';

/** What the deploy benches share: one deploy-service run on a fresh seeded sandbox, and runs repeated fairly. */

export interface SeededDeploy {
  sim: Simulator;
  result: BundleResult;
  /** Real epoch ms just before the bundle started; it exited at `started + result.durationMs`. */
  started: number;
  /** How long the simulator's request log and timeline were before the bundle started. */
  before: { requests: number; timeline: number };
}

export interface SeededDeployOptions {
  timeScale: number;
  /** The image deployed to the seeded service, scripted with `behaviour` (sandbox/sim/model.ts). */
  image: string;
  behaviour: ImageBehaviour;
  /** deploy-service's inputs besides cluster, service and image. */
  inputs: Record<string, string | number | boolean>;
}

/**
 * deploy-service through its committed bundle (as the runner runs it, under Node 24) on a sandbox just started and
 * seeded as StartupWebApp's account; `read` takes its figures from the sandbox before it stops.
 */
export async function deployOnSeededSandbox<T>(
  options: SeededDeployOptions,
  read: (run: SeededDeploy) => T,
): Promise<T> {
  const sim = await startSimulator({ timeScale: options.timeScale });
  try {
    await sim.seedStartupWebApp();
    sim.images.define(options.image, options.behaviour);
    const before = { requests: sim.requests.length, timeline: sim.timeline.length };
    const started = Date.now();
    const result = await runBundle('deploy-service', {
      env: sim.env(),
      inputs: { cluster: SEED.cluster, service: SEED.service, image: options.image, ...options.inputs },
      timeoutMs: 300_000,
    });
    return read({ sim, result, started, before });
  } finally {
    await sim.stop();
  }
}

/**
 * Each variant `runs` times, interleaved (a, b, a, b…) so that a busy spell of the shared machine weighs on every
 * variant alike; the results by variant, in run order.
 */
export async function interleavedRuns<K extends string, T>(
  runs: number,
  variants: Record<K, () => Promise<T>>,
): Promise<Record<K, T[]>> {
  const keys = Object.keys(variants) as K[];
  const results = Object.fromEntries(keys.map((key) => [key, [] as T[]])) as Record<K, T[]>;
  for (let i = 0; i < runs; i++) for (const key of keys) results[key].push(await variants[key]());
  return results;
}
