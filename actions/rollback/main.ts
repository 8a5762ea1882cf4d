import * as core from '@actions/core';
import { InputError } from '../shared/inputs.js';
import * as report from '../shared/report.js';
import { ecsClient, logsClient } from '../shared/aws-clients.js';
import { watchDeployment, type WatchResult } from '../shared/deployment-watch.js';
import { shortTaskDefinition } from '../shared/task-definitions.js';
import { deploymentIdOf } from '../shared/rollback-target.js';
import type { RollbackInputs } from './inputs.js';
import { planRollback, type RollbackPlan } from './plan-rollback.js';
import { applyRollback } from './apply-rollback.js';
import { revisionDetails, revisionDifferences, secretValues } from './revision-details.js';
import { rollbackSummary, type RollbackReport, type RollbackStatus } from './rollback-summary.js';

/**
 * Puts the service back on an earlier revision: read and check everything (no change), say what and why, change
 * (UpdateService, or StopServiceDeployment ROLLBACK for an in-flight deployment), wait like deploy-service, report.
 */
export async function run(inputs: RollbackInputs, signal?: AbortSignal): Promise<void> {
  const ecs = ecsClient(inputs.aws);
  const summary: RollbackReport = {
    cluster: inputs.cluster,
    service: inputs.service,
    dryRun: inputs.dryRun,
    headline: '',
  };
  try {
    let plan: RollbackPlan;
    try {
      plan = await planRollback(ecs, inputs, signal);
    } catch (error) {
      if (error instanceof InputError) summary.headline = `Refused, nothing changed: ${error.message}`;
      throw error;
    }
    describePlan(plan, summary);
    const action = plan.action;

    if (inputs.dryRun) {
      summary.status = 'NOOP';
      summary.headline = `Dry run, nothing changed: would ${actionText(plan)}.`;
      return finish(summary);
    }
    if (action.kind === 'noop') {
      summary.status = 'NOOP';
      summary.headline = `Nothing to do: ${action.reason}.`;
      return finish(summary);
    }

    const applied = await applyRollback(ecs, action, {
      cluster: inputs.cluster,
      service: inputs.service,
      taskDefinition: plan.to.taskDefinitionArn ?? '?',
      knownDeploymentIds: plan.deploymentIds,
      pollSeconds: inputs.pollSeconds,
      timeoutSeconds: Math.min(inputs.timeoutSeconds, 120),
      signal,
    });
    const deploymentId = applied.deploymentId;
    summary.action = applied.action;
    summary.deploymentId = deploymentId;
    report.setOutputs({ 'deployment-id': deploymentId });
    report.progress(`Rollback deployment ${deploymentId} started`);

    if (!inputs.wait) {
      summary.headline = `Rollback deployment ${deploymentId} to ${shortTaskDefinition(plan.to.taskDefinitionArn ?? '?')} started; not waiting (wait: false).`;
      return finish(summary);
    }
    const watch = await watchDeployment(
      { ecs, logs: logsClient(inputs.aws) },
      {
        cluster: inputs.cluster,
        service: inputs.service,
        deploymentId,
        timeoutSeconds: inputs.timeoutSeconds,
        pollSeconds: inputs.pollSeconds,
        healthCheck: inputs.healthCheck,
        signal,
        // A newer deployment of the revision we leave means the circuit breaker undid the rollback.
        previousTaskDefinition: action.kind === 'update-service' ? plan.from.taskDefinitionArn : undefined,
        taskDefinition: plan.to,
      },
    );
    summary.watch = watch;
    summary.status = rollbackStatus(watch);
    const toLabel = shortTaskDefinition(plan.to.taskDefinitionArn ?? '?');
    if (summary.status === 'COMPLETED') {
      summary.headline = `The service is back on ${toLabel}: deployment ${deploymentId} completed.`;
      report.progress(summary.headline);
    } else {
      summary.headline = `Rollback to ${toLabel} ${summary.status === 'TIMED_OUT' ? 'timed out' : 'failed'}: ${watch.reason ?? watch.status}`;
      reportFailure(summary.status, summary.headline, watch);
    }
    return finish(summary);
  } catch (error) {
    if (!summary.headline) summary.headline = `Failed: ${(error as Error).message}`;
    if (summary.deploymentId && !summary.status && (error as Error).name === 'CancelledError') {
      summary.headline = `Cancelled while waiting; rollback deployment ${summary.deploymentId} carries on in ECS.`;
    }
    await finish(summary);
    throw error;
  }
}

/** Prints what was found and decided, sets the outputs known so far, masks secret-looking values. */
function describePlan(plan: RollbackPlan, summary: RollbackReport): void {
  for (const value of secretValues(plan.from, plan.to)) core.setSecret(value);
  summary.from = revisionDetails(plan.from);
  summary.to = revisionDetails(plan.to);
  summary.reason = plan.reason;
  summary.differences = revisionDifferences(plan.from, plan.to);
  report.setOutputs({
    'from-task-definition-arn': plan.from.taskDefinitionArn,
    'to-task-definition-arn': plan.to.taskDefinitionArn,
  });
  const images = (details: typeof summary.from) => details?.images.map((i) => `${i.container}=${i.image}`).join(', ');
  report.info(`Running: ${summary.from.label} (${images(summary.from)})`);
  report.info(`Target:  ${summary.to.label} (${images(summary.to)})`);
  report.info(`Why: ${plan.reason}`);
  if (plan.action.kind !== 'noop') {
    report.info(
      summary.differences.length > 0 ? 'Differences:' : 'Differences: none in images, environment or secrets',
    );
    for (const line of summary.differences) report.info(`  ${line}`);
  }
}

function actionText(plan: RollbackPlan): string {
  const action = plan.action;
  if (action.kind === 'noop') return `do nothing (${action.reason})`;
  if (action.kind === 'stop-deployment') {
    return `stop deployment ${deploymentIdOf(action.serviceDeploymentArn)} with a rollback to ${shortTaskDefinition(plan.to.taskDefinitionArn ?? '?')} (${action.reason})`;
  }
  return `update the service to ${shortTaskDefinition(action.taskDefinitionArn)} with a new deployment`;
}

function rollbackStatus(watch: WatchResult): RollbackStatus {
  if (watch.status === 'COMPLETED') return 'COMPLETED';
  if (watch.status === 'TIMED_OUT') return 'TIMED_OUT';
  return 'FAILED';
}

function reportFailure(status: RollbackStatus, headline: string, watch: WatchResult): void {
  const details = [
    ...watch.stoppedTasks.slice(0, 3).flatMap((t) => t.lines),
    ...(watch.stoppedTasks.length > 3
      ? [`(${watch.stoppedTasks.length - 3} more stopped tasks in the job summary)`]
      : []),
    ...(watch.failedTaskLogs
      ? [
          `Last log lines of task ${watch.failedTaskLogs.taskId} (${watch.failedTaskLogs.container}):`,
          ...watch.failedTaskLogs.lines,
        ]
      : []),
  ];
  report.fail(
    status === 'TIMED_OUT' ? 'Rollback timed out' : 'Rollback failed',
    headline,
    details.join('\n') || undefined,
  );
}

async function finish(summary: RollbackReport): Promise<void> {
  report.setOutputs({ status: summary.status });
  if (summary.status === 'NOOP' || summary.status === undefined) report.info(summary.headline);
  await rollbackSummary(summary).write();
}
