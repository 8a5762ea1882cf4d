import * as report from '../../lib/runner/log.js';
import { setOutputs } from '../../lib/runner/outputs.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';

import { failureEvidence } from '../../lib/ecs/failure-evidence.js';
import { rolloutAdvice } from '../../lib/ecs/rollout-phases.js';
import { servedText } from '../../lib/ecs/serving-text.js';
import type { DeployReport } from './summary.js';
import type { StagedWatchResult } from '../../lib/ecs/service-deployment-watch.js';
import type { RevisionPlan } from './revision-plan.js';
import { changeLine } from '../../lib/ecs/revision-changes.js';
import { verifyWords, type VerifyOutcome } from '../../lib/verify/verify.js';

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

/** The watch's verdict, as the `status` output. */
export function watchStatus(status: string): void {
  setOutputs({ status });
}

export function stagedWatchStarts(service: string, strategy: string): void {
  report.info(`Service ${service} deploys with ECS ${strategy}: watching its stages`);
}

/** A staged deployment is being rolled back (by ECS, or by on-failure: rollback): `how`, then the wait. */
export function stagedRollbackWaiting(how: string): void {
  report.info(`${how}; waiting for ECS to finish the rollback`);
}

/** Completed, or production traffic all on the new revision with the bake still to come; then the final counts. */
export function reportStagedSuccess(deploy: DeployReport & { watch: StagedWatchResult }): void {
  const watch = deploy.watch;
  const ours = ourDeployment(deploy);
  report.info(watch.status === 'SERVING' ? `${ours}: ${deploy.servedNote}` : `${ours} completed`);
  if (watch.finalCounts) report.info(`Final counts: ${watch.finalCounts}`);
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

/** Cancelled with on-failure: rollback while a staged deployment of ours is in flight: it is being stopped. */
export function stagedCancelStopping(serviceDeploymentArn: string): void {
  report.info(
    `on-failure: rollback — cancelled while in flight: stopping service deployment ${serviceDeploymentArn} with ` +
      `StopServiceDeployment ROLLBACK (production traffic goes back to the revision still running)`,
  );
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
  if (plan.secretNames.length > 0) {
    report.info(`Secrets of ${plan.container} (references, values not read): ${plan.secretNames.join(', ')}`);
  }
}

/** What was checked before the first change; a missing one is the step's one error annotation. */
export function verification(outcome: VerifyOutcome | undefined): void {
  const words = verifyWords(outcome, 'nothing registered or deployed');
  for (const line of words.lines) report.printUntrusted(line);
  for (const warning of words.warnings) report.warn(warning, words.warningTitle);
  if (words.failure) report.fail(words.failure.title, words.failure.reason, words.failure.body);
}

/** What differs from the running revision (names only for environment and secrets), before anything is changed. */
export function changes(deploy: DeployReport): void {
  const list = deploy.changes ?? [];
  const running = shortTaskDefinition(deploy.previousTaskDefinition);
  if (!deploy.plan?.definition) {
    report.info(`Changes: none (redeploying ${running} as it is)`);
    return;
  }
  report.info(list.length === 0 ? `Changes from ${running}: none` : `Changes from ${running}:`);
  for (const change of list) report.printUntrusted(`  ${changeLine(change)}`);
}

export function dryRun(deploy: DeployReport): void {
  const running = shortTaskDefinition(deploy.previousTaskDefinition);
  const what = deploy.plan?.definition
    ? `register a new revision of ${deploy.plan.definition.family} and deploy it to ${deploy.service} (now on ${running})`
    : `redeploy ${running} on ${deploy.service}`;
  report.info(`Dry run: nothing registered or deployed. It would ${what}.`);
  setOutputs({ 'previous-task-definition-arn': deploy.previousTaskDefinition });
}

export function replanned(taskDefinition: string | undefined): void {
  report.info(`The service moved to ${shortTaskDefinition(taskDefinition)} while this step waited: planned again`);
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
  const ours = ourDeployment(deploy);
  report.info(watch.status === 'SERVING' ? `${ours}: ${servedText(watch)}` : `${ours} completed`);
  const advice = watch.rollout ? rolloutAdvice(watch.rollout) : undefined;
  if (advice) report.info(`Advice: ${advice}`);
}

/** `Deployment ecs-svc/123 of web:4`: the deployment of this run, as the log and the notes name it. */
export function ourDeployment(deploy: DeployReport): string {
  return `Deployment ${deploy.deploymentId} of ${shortTaskDefinition(deploy.newTaskDefinition)}`;
}

/** What a cancelled run leaves behind in ECS, and how to undo it. Pure. */
export function cancelNote(deploy: DeployReport, rolledBackWith?: string): string {
  const ours = ourDeployment(deploy);
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
