import * as report from '../../lib/runner/log.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';

import { failureEvidence } from '../../lib/ecs/deployment-watch.js';
import { rolloutAdvice } from '../../lib/ecs/rollout-phases.js';
import { servedText } from '../../lib/ecs/serving-text.js';
import type { DeployReport } from './summary.js';
import type { RevisionPlan } from './revision-plan.js';

/** What deploy-service says in the job log: the one module of the action that prints (the summary is summary.ts). */

/** The waits' progress lines and warnings. */
export const waitPrinter = report.progressPrinter;

export function credentialsExpiring(warning: string | undefined, title: string): void {
  if (warning) report.warn(warning, title);
}

export function running(service: string, cluster: string, revision: string, container: string, image?: string): void {
  report.info(`Service ${service} in ${cluster} runs ${revision} (${container}: ${image})`);
}

export function deploymentStarted(deploymentId: string, revision: string): void {
  report.info(`Deployment ${deploymentId} of ${revision} started`);
}

export function rollbackNote(note: string | undefined): void {
  if (note) report.info(note);
}

export function ecsRollingBack(deploymentId: string): void {
  report.info(
    `on-failure: rollback — ECS is already rolling back (deployment ${deploymentId}); waiting for it to finish`,
  );
}

export function rollingBackTo(revision: string): void {
  report.info(`on-failure: rollback — putting the service back on ${revision}`);
}

export function rollbackOnCancelFailed(error: string): void {
  report.warn(`Could not roll back on cancel: ${error}`);
}

export function leftRunning(note: string): void {
  report.warn(note, 'Cancelled: what is left running');
}

export function describePlan(plan: RevisionPlan, registered: string | undefined): void {
  if (registered) report.info(`Registered ${registered}: ${plan.container} ${plan.imageBefore} → ${plan.imageAfter}`);
  else report.info(`Redeploying the current revision (force-new-deployment)`);
  if (plan.environmentChanges.length > 0) {
    report.info(
      `Environment of ${plan.container}: ${plan.environmentChanges.map((c) => `${c.name} ${c.change}`).join(', ')}`,
    );
  }
  if (plan.secretNames.length > 0) {
    report.info(`Secrets of ${plan.container} (references, values not read): ${plan.secretNames.join(', ')}`);
  }
}

/** The failed task's log lines in the log, and one error annotation: reason, stopped tasks, log lines, rollback. */
export function reportFailure(deploy: DeployReport): void {
  const watch = deploy.watch!;
  const logs = watch.failedTaskLogs;
  if (logs) {
    report.info(`Last ${logs.lines.length} log lines of task ${logs.taskId} (${logs.container}, ${logs.stream}):`);
    for (const line of logs.lines) report.printUntrusted(line);
  }
  const evidence = failureEvidence(watch, deploy.rollback ? [deploy.rollback.note] : []);
  report.fail(`Deployment ${watch.status}`, watch.reason ?? watch.status, evidence);
}

/** Completed, or serving all traffic with the drain still to come; then one line of advice when there is one. */
export function reportSuccess(deploy: DeployReport): void {
  const watch = deploy.watch!;
  const ours = `Deployment ${deploy.deploymentId} of ${shortTaskDefinition(deploy.newTaskDefinition)}`;
  report.info(watch.status === 'SERVING' ? `${ours}: ${servedText(watch)}` : `${ours} completed`);
  const advice = watch.rollout ? rolloutAdvice(watch.rollout) : undefined;
  if (advice) report.info(`Advice: ${advice}`);
}

/** What a cancelled run leaves behind in ECS, and how to undo it. Pure. */
export function cancelNote(deploy: DeployReport, rolledBackWith?: string): string {
  const ours = `Deployment ${deploy.deploymentId} of ${shortTaskDefinition(deploy.newTaskDefinition)}`;
  const previous = shortTaskDefinition(deploy.previousTaskDefinition);
  if (rolledBackWith) {
    return `${ours} was left unfinished; on-failure: rollback put the service back on ${previous} (deployment ${rolledBackWith}), not waited for.`;
  }
  return (
    `${ours} carries on in ECS (this step no longer watches it; the service's circuit breaker, if enabled, still ` +
    `rolls back a failing rollout). To undo it, run the rollback action or ` +
    `\`aws ecs update-service --cluster ${deploy.cluster} --service ${deploy.service} --task-definition ${deploy.previousTaskDefinition}\`.`
  );
}
