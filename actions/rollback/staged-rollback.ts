import type { ECSClient } from '@aws-sdk/client-ecs';
import type { TimelineEntry } from '../../lib/ecs/deployment-timeline.js';
import { stagedStrategyOf } from '../../lib/ecs/service-deployment-progress.js';
import { waitForStagedRollback } from '../../lib/ecs/service-deployment-watch.js';
import { findService, stopDeploymentWithRollback } from '../../lib/ecs/service-api.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import { nowDate } from '../../lib/runner/time.js';
import type { RollbackInputs } from './inputs.js';
import * as log from './log.js';
import { startedDeployment } from './outputs.js';
import type { RollbackPlan } from './plan-rollback.js';
import { deploymentIdOf } from './rollback-target.js';
import type { RollbackReport, RollbackStatus } from './summary.js';
import { stagedTrafficBack } from './traffic-back.js';

/**
 * Rollback of a blue/green, linear or canary deployment still in flight or baking: the old revision still runs behind
 * the load balancer, so StopServiceDeployment ROLLBACK has ECS move production traffic back to it in seconds (no old
 * task to start again). Returns false when this path does not apply (a rolling service, nothing in flight) or ECS
 * refused the stop; the caller then rolls back as before. Decides here; log.ts says it.
 */
export async function rollBackStaged(
  ecs: ECSClient,
  inputs: RollbackInputs,
  plan: RollbackPlan,
  summary: RollbackReport,
  signal?: AbortSignal,
): Promise<boolean> {
  if (plan.action.kind !== 'stop-deployment') return false;
  const strategy = stagedStrategyOf((await findService(ecs, inputs.cluster, inputs.service)).service);
  if (!strategy) return false;
  const arn = plan.action.serviceDeploymentArn;
  const deploymentId = deploymentIdOf(arn);
  const target = shortTaskDefinition(plan.to.taskDefinitionArn);
  const calledAt = nowDate();
  try {
    await stopDeploymentWithRollback(ecs, arn);
  } catch (error) {
    log.stagedStopRefused(deploymentId, error);
    return false;
  }
  log.stagedStopped(summary, { deploymentId, strategy, target });
  startedDeployment(deploymentId);
  if (!inputs.wait) {
    summary.trafficBack = stagedTrafficBack(strategy, calledAt, undefined, false);
    log.finish(summary, undefined, `Rollback of ${strategy} deployment ${deploymentId} requested; not waiting.`);
    return true;
  }
  const timeline: TimelineEntry[] = [
    { at: calledAt, kind: 'start', text: `StopServiceDeployment ${deploymentId} ROLLBACK` },
  ];
  const back = await waitForStagedRollback({ ecs }, arn, {
    deadline: new Date(calledAt.getTime() + inputs.timeoutSeconds * 1000),
    pollSeconds: inputs.pollSeconds,
    signal,
    onProgress: (line, at) => {
      timeline.push({ at, kind: 'progress', text: line });
      log.watchPrinter.onProgress(line, at);
    },
  });
  summary.trafficBack = stagedTrafficBack(strategy, calledAt, back.trafficBackAt);
  const status: RollbackStatus =
    back.status === 'ROLLBACK_SUCCESSFUL' ? 'COMPLETED' : back.status === 'ROLLBACK_FAILED' ? 'FAILED' : 'TIMED_OUT';
  summary.watch = {
    status,
    deploymentId,
    timeline,
    stoppedTasks: [],
    startedAt: calledAt,
    finishedAt: back.finishedAt,
  };
  log.judgeStaged(summary, { deploymentId, strategy, target, ecsStatus: back.status, status });
  return true;
}
