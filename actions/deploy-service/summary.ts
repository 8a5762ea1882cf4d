import { code, md, Summary } from '../../lib/runner/summary.js';
import { progressLine } from '../../lib/ecs/deployment-state.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import { timelineRows } from '../../lib/ecs/deployment-timeline.js';
import type { WatchResult } from '../../lib/ecs/watch-result.js';
import type { StagedWatchResult } from '../../lib/ecs/service-deployment-watch.js';
import { addRolloutPhases } from '../../lib/ecs/rollout-summary.js';
import { servedText } from '../../lib/ecs/serving-text.js';
import type { RevisionPlan } from './revision-plan.js';
import { changeLine, type RevisionChange } from '../../lib/ecs/revision-changes.js';
import type { VerifyOutcome } from '../../lib/verify/verify.js';
import { addVerification } from '../../lib/verify/verify-summary.js';

/** The job summary of one deploy-service run. Pure: built from what happened, rendered and tested without I/O. */
export interface DeployReport {
  cluster: string;
  service: string;
  previousTaskDefinition?: string;
  newTaskDefinition?: string;
  deploymentId?: string;
  plan?: RevisionPlan;
  /** What differs from the running revision (names only for environment and secrets). */
  changes?: RevisionChange[];
  /** What was checked before the first change; undefined with `verify: false`. */
  verification?: VerifyOutcome;
  dryRun?: boolean;
  status?: string;
  durationSeconds?: number;
  waited: boolean;
  /** The rolling watch's result, or the staged one's (blue/green, linear, canary). */
  watch?: WatchResult | StagedWatchResult;
  rollback?: { note: string; watch?: WatchResult };
  /** SERVING of a blue/green, linear or canary deployment: what is left (the bake), in place of the drain text. */
  servedNote?: string;
  startedAt: Date;
}

export function deploySummary(report: DeployReport): Summary {
  const summary = new Summary();
  const verifyFailed = report.verification?.failed === true;
  const status =
    report.status ??
    (verifyFailed
      ? 'not started, verify failed'
      : report.dryRun
        ? 'dry run, nothing changed'
        : report.waited
          ? 'UNKNOWN'
          : 'STARTED (not waited for)');
  const icon =
    report.status === 'COMPLETED' || report.status === 'SERVING'
      ? '✅'
      : report.dryRun && !verifyFailed
        ? 'ℹ️'
        : report.waited || verifyFailed
          ? '❌'
          : 'ℹ️';
  summary.heading(`${icon} Deploy ${report.service}: ${status}`);
  const plan = report.plan;
  summary.facts([
    ['Cluster', report.cluster],
    ['Service', report.service],
    ['Revision', revisionChange(report.previousTaskDefinition, report.newTaskDefinition)],
    ['Container', plan?.container],
    ['Image', plan ? imageChange(plan.imageBefore, plan.imageAfter) : undefined],
    ['Secrets (names)', plan?.secretNames.join(', ')],
    ['Deployment', report.deploymentId],
    ['Final counts', finalCounts(report.watch)],
    ['Failed at', report.watch && 'failedAt' in report.watch ? report.watch.failedAt : undefined],
    ['Health check', report.watch?.health ? report.watch.health.detail : undefined],
    ['Duration', report.durationSeconds !== undefined ? `${report.durationSeconds} s` : undefined],
  ]);
  if (plan?.definition && report.changes) {
    summary.heading(`Changes from ${shortTaskDefinition(report.previousTaskDefinition)}`, 3);
    if (report.changes.length === 0) summary.paragraph('None.');
    else summary.list(report.changes.map(changeLine));
  }
  addVerification(summary, report.verification?.text, report.verification === undefined && report.plan !== undefined);
  const watch = report.watch;
  if (watch?.status === 'SERVING') summary.paragraph(`${capitalized(report.servedNote ?? servedText(watch))}.`);
  if (watch?.reason) summary.heading('Why', 3).paragraph(watch.reason);
  if (watch && watch.stoppedTasks.length > 0) {
    summary
      .heading('Stopped tasks of this deployment', 3)
      .code(watch.stoppedTasks.map((t) => t.lines.join('\n')).join('\n'));
  }
  if (watch?.failedTaskLogs) {
    const logs = watch.failedTaskLogs;
    summary
      .heading(`Last ${logs.lines.length} log lines of task ${logs.taskId} (${logs.container})`, 3)
      .paragraph(md`${code(logs.group)} / ${code(logs.stream)}`)
      .code(logs.lines.join('\n'));
  }
  if (report.rollback) {
    summary.heading(report.status === 'CANCELLED' ? 'Left running' : 'Rollback', 3).paragraph(report.rollback.note);
    if (report.rollback.watch?.counts) summary.paragraph(progressLine(report.rollback.watch.counts));
  }
  addRolloutPhases(summary, watch?.rollout, `Deploy of ${shortTaskDefinition(report.newTaskDefinition)}`);
  const entries = [...(watch?.timeline ?? []), ...(report.rollback?.watch?.timeline ?? [])];
  if (entries.length > 0) {
    summary.heading('Timeline', 3).table(['UTC', 'Since start', 'What'], timelineRows(entries, report.startedAt));
  }
  return summary;
}

/** Rolling: the deployment's counts; staged: the new revision's counts and its share of traffic. */
function finalCounts(watch: DeployReport['watch']): string | undefined {
  if (watch?.counts) return progressLine(watch.counts);
  return watch && 'finalCounts' in watch ? watch.finalCounts : undefined;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function revisionChange(before?: string, after?: string): string | undefined {
  if (!before && !after) return undefined;
  if (!after || before === after) return `${shortTaskDefinition(before)} (redeployed)`;
  return `${shortTaskDefinition(before)} → ${shortTaskDefinition(after)}`;
}

function imageChange(before?: string, after?: string): string | undefined {
  if (!after) return before;
  return before && before !== after ? `${before} → ${after}` : after;
}
