import type { ECSClient } from '@aws-sdk/client-ecs';
import * as report from '../../lib/runner/log.js';
import { setOutputs } from '../../lib/runner/outputs.js';
import type { TimelineEntry } from '../../lib/ecs/deployment-timeline.js';
import { stagedStrategyOf } from '../../lib/ecs/service-deployment-progress.js';
import { waitForStagedRollback } from '../../lib/ecs/service-deployment-watch.js';
import { findService, stopDeploymentWithRollback } from '../../lib/ecs/service-api.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import { errorText } from '../../lib/runner/error-text.js';
import { formatSeconds, nowDate } from '../../lib/runner/time.js';
import type { RollbackInputs } from './inputs.js';
import { finish } from './log.js';
import type { RollbackPlan } from './plan-rollback.js';
import { deploymentIdOf } from './rollback-target.js';
import type { RollbackReport, RollbackStatus } from './summary.js';

/**
 * Rollback of a blue/green, linear or canary deployment still in flight or baking: the old revision still runs behind
 * the load balancer, so StopServiceDeployment ROLLBACK has ECS move production traffic back to it in seconds (no old
 * task to start again). Returns false when this path does not apply (a rolling service, nothing in flight) or ECS
 * refused the stop; the caller then rolls back as before.
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
  const id = deploymentIdOf(arn);
  const startedAt = nowDate();
  try {
    await stopDeploymentWithRollback(ecs, arn);
  } catch (error) {
    report.warn(`StopServiceDeployment of ${id} was refused (${errorText(error)}); rolling back by update instead`);
    return false;
  }
  const target = shortTaskDefinition(plan.to.taskDefinitionArn);
  summary.action = `StopServiceDeployment ${id} (stopType ROLLBACK): ${strategy} path, ECS moves production traffic back to ${target}, still running`;
  summary.deploymentId = id;
  setOutputs({ 'deployment-id': id });
  report.progress(`Stopped deployment ${id} with a rollback: ECS moves production traffic back to ${target}`);
  if (!inputs.wait) {
    finish(summary, undefined, `Rollback of ${strategy} deployment ${id} requested; not waiting.`);
    return true;
  }
  const timeline: TimelineEntry[] = [{ at: startedAt, kind: 'start', text: `StopServiceDeployment ${id} ROLLBACK` }];
  const back = await waitForStagedRollback({ ecs }, arn, {
    deadline: new Date(startedAt.getTime() + inputs.timeoutSeconds * 1000),
    pollSeconds: inputs.pollSeconds,
    signal,
    onProgress: (line, at) => {
      timeline.push({ at, kind: 'progress', text: line });
      report.progress(line, at);
    },
  });
  const seconds = back.trafficBackAt ? (back.trafficBackAt.getTime() - startedAt.getTime()) / 1000 : undefined;
  const status: RollbackStatus =
    back.status === 'ROLLBACK_SUCCESSFUL' ? 'COMPLETED' : back.status === 'ROLLBACK_FAILED' ? 'FAILED' : 'TIMED_OUT';
  summary.watch = {
    status: status === 'COMPLETED' ? 'COMPLETED' : status === 'FAILED' ? 'FAILED' : 'TIMED_OUT',
    deploymentId: id,
    timeline,
    stoppedTasks: [],
    startedAt,
    finishedAt: back.finishedAt,
  };
  const traffic =
    seconds !== undefined
      ? `Production traffic back on the old revision after ${formatSeconds(seconds)}.`
      : 'Production traffic was not seen back on the old revision.';
  const headline = `Rollback of ${strategy} deployment ${id} to ${target}: service deployment ${back.status}. ${traffic}`;
  if (status === 'COMPLETED') report.progress(headline);
  else report.fail(status === 'TIMED_OUT' ? 'Rollback timed out' : 'Rollback failed', headline);
  finish(summary, status, headline);
  return true;
}
