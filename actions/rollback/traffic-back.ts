import type { WatchResult } from '../../lib/ecs/watch-result.js';
import { formatSeconds } from '../../lib/runner/time.js';

/**
 * Which way the service went back and how long production traffic took to be all on the target revision again, from
 * the call that changed the service. Pure: the moments observed while waiting come in; the words the log and the
 * summary share come out.
 */

export interface TrafficBack {
  /**
   * `staged`: StopServiceDeployment ROLLBACK of a blue/green, linear or canary deployment in flight or baking: ECS
   * moves production traffic back to the revision still running. `rolling`: a rolling deployment starts the target's
   * tasks again (UpdateService, or StopServiceDeployment ROLLBACK of a rolling deployment, which ECS carries out so).
   */
  path: 'staged' | 'rolling';
  call: 'StopServiceDeployment' | 'UpdateService';
  /** BLUE_GREEN, LINEAR or CANARY on the staged path. */
  strategy?: string;
  /** Whether the step waited for the rollback (`wait`); without, nothing was seen. */
  waited: boolean;
  /** Seconds from the call to production traffic all on the target; undefined when it was not seen. */
  seconds?: number;
}

const secondsBetween = (from: Date, to: Date | undefined) =>
  to ? Math.max(0, (to.getTime() - from.getTime()) / 1000) : undefined;

/** The staged path: traffic is back when the deployment's production weight on the new revision is seen at 0. */
export function stagedTrafficBack(strategy: string, calledAt: Date, trafficBackAt?: Date, waited = true): TrafficBack {
  const seconds = secondsBetween(calledAt, trafficBackAt);
  return {
    path: 'staged',
    call: 'StopServiceDeployment',
    strategy,
    waited,
    ...(seconds !== undefined ? { seconds } : {}),
  };
}

/**
 * The rolling path: traffic is back when no target of the revision left behind is in service any more (the watch's
 * `servingAt`: the target's tasks are healthy and the others draining); not seen without target groups or a wait.
 */
export function rollingTrafficBack(call: TrafficBack['call'], calledAt: Date, watch?: WatchResult): TrafficBack {
  const seconds = secondsBetween(calledAt, watch?.rollout?.moments.servingAt);
  return { path: 'rolling', call, waited: watch !== undefined, ...(seconds !== undefined ? { seconds } : {}) };
}

/** `StopServiceDeployment ROLLBACK (BLUE_GREEN): ECS moved production traffic back to web:3, still running`. */
export function pathText(back: TrafficBack, target: string): string {
  if (back.path === 'staged') {
    return `StopServiceDeployment ROLLBACK (${back.strategy}): ECS moved production traffic back to ${target}, still running`;
  }
  const call =
    back.call === 'UpdateService' ? 'UpdateService' : 'StopServiceDeployment ROLLBACK of a rolling deployment';
  return `${call}: a rolling deployment started ${target}'s tasks again`;
}

/** `Production traffic all back on web:3 12.5s after StopServiceDeployment.` or that it was not seen. */
export function trafficText(back: TrafficBack, target: string): string {
  if (!back.waited) return `Not waited for (wait: false): ECS puts production traffic back on ${target} on its own.`;
  return back.seconds === undefined
    ? `Production traffic was not seen all back on ${target} while waiting.`
    : `Production traffic all back on ${target} ${formatSeconds(back.seconds)} after ${back.call}.`;
}
