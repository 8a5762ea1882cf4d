import { InputError } from '../../lib/runner/inputs.js';
import * as report from '../../lib/runner/log.js';
import { failureEvidence } from '../../lib/ecs/failure-evidence.js';
import { succeeded, type WatchResult } from '../../lib/ecs/watch-result.js';
import { rolloutAdvice } from '../../lib/ecs/rollout-phases.js';
import { servedText } from '../../lib/ecs/serving-text.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import { deploymentIdOf } from './rollback-target.js';
import type { RollbackPlan } from './plan-rollback.js';
import { revisionDetails } from './revision-details.js';
import { changeLine, revisionChanges } from '../../lib/ecs/revision-changes.js';
import type { CandidateList, RollbackReport, RollbackStatus } from './summary.js';
import { errorText, failureText } from '../../lib/runner/error-text.js';
import { verifyWords, type VerifyOutcome } from '../../lib/verify/verify.js';
import { trafficText } from './traffic-back.js';

/**
 * What the rollback says in the job log, as it goes; the one module of the action that prints. The outputs, the masks
 * and the summary file are outputs.ts's.
 */

/** What planning and applying report as they go (they print nothing themselves). */
export const rollbackPrinter = {
  onProgress: (line: string) => report.progress(line),
  onWarning: (message: string, title?: string) => report.warn(message, title),
};
export type RollbackReporter = typeof rollbackPrinter;

/** The wait's progress lines and warnings. */
export const watchPrinter = report.progressPrinter;

export function credentialsExpiring(warning: string | undefined, title: string): void {
  if (warning) report.warn(warning, title);
}

/** Prints what was found and decided (and records it for the summary). */
export function describePlan(plan: RollbackPlan, summary: RollbackReport): void {
  summary.from = revisionDetails(plan.from);
  summary.to = revisionDetails(plan.to);
  summary.reason = plan.reason;
  summary.differences = revisionChanges(plan.from, plan.to).map(changeLine);
  summary.candidates = plan.choice && candidateList(plan.choice);
  const images = (details: typeof summary.from) => details?.images.map((i) => `${i.container}=${i.image}`).join(', ');
  report.info(`Running: ${summary.from.label} (${images(summary.from)})`);
  report.info(`Target:  ${summary.to.label} (${images(summary.to)})`);
  report.info(`Why: ${plan.reason}`);
  for (const row of summary.candidates?.rows ?? []) {
    const images = row.revision.images.map((i) => i.image).join(', ') || 'images unknown';
    report.info(`  ${row.chosen ? '→' : ' '} -${row.back} ${row.revision.label} (${images}; ${row.deployed})`);
  }
  if (plan.action.kind === 'noop') return;
  report.info(summary.differences.length > 0 ? 'Differences:' : 'Differences: none');
  for (const line of summary.differences) report.printUntrusted(`  ${line}`);
}

/** What was checked before the change; false (the step failed, nothing changed) when something the target needs is missing. */
export function verification(summary: RollbackReport, outcome: VerifyOutcome | undefined): boolean {
  const words = verifyWords(outcome, 'nothing changed');
  for (const line of words.lines) report.printUntrusted(line);
  for (const warning of words.warnings) report.warn(warning, words.warningTitle);
  if (!words.failure) return true;
  summary.headline = `Refused, nothing changed: ${words.failure.reason}`;
  report.fail(words.failure.title, words.failure.reason, words.failure.body);
  return false;
}

/** `stop deployment abc with a rollback to web:2 (...)`, `update the service to web:2 ...`. */
export function actionText(plan: RollbackPlan): string {
  const action = plan.action;
  if (action.kind === 'noop') return `do nothing (${action.reason})`;
  if (action.kind === 'stop-deployment') {
    return `stop deployment ${deploymentIdOf(action.serviceDeploymentArn)} with a rollback to ${label(plan)} (${action.reason})`;
  }
  return `update the service to ${shortTaskDefinition(action.taskDefinitionArn)} with a new deployment`;
}

/** ECS refused StopServiceDeployment of a staged deployment: the rollback goes on by UpdateService. */
export function stagedStopRefused(deploymentId: string, error: unknown): void {
  report.warn(
    `StopServiceDeployment of ${deploymentId} was refused (${errorText(error)}); rolling back by update instead`,
  );
}

/** StopServiceDeployment ROLLBACK of a blue/green, linear or canary deployment was accepted. */
export function stagedStopped(
  summary: RollbackReport,
  stop: { deploymentId: string; strategy: string; target: string },
): void {
  summary.action = `StopServiceDeployment ${stop.deploymentId} (stopType ROLLBACK)`;
  summary.deploymentId = stop.deploymentId;
  report.progress(
    `Stopped ${stop.strategy} deployment ${stop.deploymentId} with a rollback: ECS moves production traffic back to ${stop.target}, still running`,
  );
}

/**
 * The outcome of a staged rollback's wait, with how long production traffic took to come back: progress when it
 * succeeded, else one error annotation.
 */
export function judgeStaged(
  summary: RollbackReport,
  outcome: { deploymentId: string; strategy: string; target: string; ecsStatus: string; status: RollbackStatus },
): void {
  const traffic = summary.trafficBack ? ` ${trafficText(summary.trafficBack, outcome.target)}` : '';
  const headline = `Rollback of ${outcome.strategy} deployment ${outcome.deploymentId} to ${outcome.target}: service deployment ${outcome.ecsStatus}.${traffic}`;
  if (outcome.status === 'COMPLETED') report.progress(headline);
  else report.fail(outcome.status === 'TIMED_OUT' ? 'Rollback timed out' : 'Rollback failed', headline);
  finish(summary, outcome.status, headline);
}

export function started(summary: RollbackReport, applied: { deploymentId: string; action: string }): void {
  summary.action = applied.action;
  summary.deploymentId = applied.deploymentId;
  report.progress(`Rollback deployment ${applied.deploymentId} started`);
}

/** The outcome of the wait: success said as progress, failure as one error annotation with the evidence. */
export function judge(summary: RollbackReport, plan: RollbackPlan, watch: WatchResult): RollbackStatus {
  summary.watch = watch;
  const status: RollbackStatus = succeeded(watch.status)
    ? (watch.status as 'COMPLETED' | 'SERVING')
    : watch.status === 'TIMED_OUT'
      ? 'TIMED_OUT'
      : 'FAILED';
  if (status === 'COMPLETED' || status === 'SERVING') {
    const traffic = summary.trafficBack ? ` ${trafficText(summary.trafficBack, label(plan))}` : '';
    summary.headline =
      status === 'SERVING'
        ? `The service is back on ${label(plan)}: ${servedText(watch)}.${traffic}`
        : `The service is back on ${label(plan)}: deployment ${watch.deploymentId} completed.${traffic}`;
    report.progress(summary.headline);
    const advice = watch.rollout ? rolloutAdvice(watch.rollout) : undefined;
    if (advice) report.info(`Advice: ${advice}`);
  } else {
    summary.headline = `Rollback to ${label(plan)} ${status === 'TIMED_OUT' ? 'timed out' : 'failed'}: ${watch.reason ?? watch.status}`;
    report.fail(
      status === 'TIMED_OUT' ? 'Rollback timed out' : 'Rollback failed',
      summary.headline,
      failureEvidence(watch),
    );
  }
  return status;
}

/** Records the ending, and says the headline where nothing else did. */
export function finish(summary: RollbackReport, status: RollbackStatus | undefined, headline?: string): void {
  summary.status = status;
  if (headline) summary.headline = headline;
  if (status === 'NOOP' || status === undefined) report.info(summary.headline);
}

/** The headline of a run that ended in an error: a refusal (nothing changed), a cancel, or an AWS failure. */
export function finishOnError(summary: RollbackReport, error: unknown): void {
  const message = failureText(error);
  if (!summary.action) {
    summary.headline = error instanceof InputError ? `Refused, nothing changed: ${message}` : `Failed: ${message}`;
  } else if ((error as Error).name === 'CancelledError') {
    summary.headline = `Cancelled while waiting; rollback deployment ${summary.deploymentId} carries on in ECS.`;
  } else {
    summary.headline = `Failed after ${summary.action}: ${message}`;
  }
  finish(summary, undefined);
}

function label(plan: RollbackPlan): string {
  return shortTaskDefinition(plan.to.taskDefinitionArn);
}

/** The candidates as the summary and the log show them. */
function candidateList(choice: NonNullable<RollbackPlan['choice']>): CandidateList {
  const rows = choice.candidates.map((candidate) => {
    const revision = candidate.definition
      ? revisionDetails(candidate.definition)
      : { arn: candidate.taskDefinitionArn, label: shortTaskDefinition(candidate.taskDefinitionArn), images: [] };
    const deployed =
      candidate.source === 'current'
        ? 'running now: ECS rolled the newest deployment back onto it'
        : candidate.source === 'history'
          ? `${candidate.deployedAt?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? 'time unknown'}, deployment ${candidate.deploymentId}`
          : revision.registeredAt
            ? `not in the history; registered ${revision.registeredAt}`
            : 'not in the history';
    return { back: candidate.back, revision, deployed, chosen: candidate.back === choice.chosen };
  });
  const source = choice.candidates.some((c) => c.source === 'revisions') ? 'revisions' : 'history';
  const leftOut = choice.leftOut.map((r) => `${shortTaskDefinition(r.taskDefinitionArn)} (${r.why})`);
  return { source, rows, leftOut };
}
