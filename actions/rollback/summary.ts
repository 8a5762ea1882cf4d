import { bold, code, joined, md, Summary, type Text } from '../../lib/runner/summary.js';
import { timelineRows } from '../../lib/ecs/deployment-timeline.js';
import type { WatchResult } from '../../lib/ecs/watch-result.js';
import { addRolloutPhases } from '../../lib/ecs/rollout-summary.js';
import { registeredLine, type RevisionDetails } from './revision-details.js';
import type { VerifyOutcome } from '../../lib/verify/verify.js';
import { addVerification } from '../../lib/verify/verify-summary.js';
import { pathText, trafficText, type TrafficBack } from './traffic-back.js';

/** The job summary of a rollback, on success, NOOP, dry-run, refusal and failure alike. Pure. */

export type RollbackStatus = 'COMPLETED' | 'SERVING' | 'FAILED' | 'TIMED_OUT' | 'NOOP';

export interface RollbackReport {
  cluster: string;
  service: string;
  status?: RollbackStatus;
  dryRun: boolean;
  /** One line saying what happened (or would happen). */
  headline: string;
  from?: RevisionDetails;
  to?: RevisionDetails;
  /** Why that target. */
  reason?: string;
  /** What was done: `UpdateService ... forceNewDeployment`, `StopServiceDeployment ROLLBACK`, nothing. */
  action?: string;
  differences?: string[];
  /** What was checked before the change (the target's images, secrets, log groups). */
  verification?: VerifyOutcome;
  deploymentId?: string;
  /** Which way the service went back (StopServiceDeployment of a staged deployment, or rolling) and how fast. */
  trafficBack?: TrafficBack;
  watch?: WatchResult;
  /** For `previous` and `-N`: what the target was chosen from. */
  candidates?: CandidateList;
}

export interface CandidateList {
  /** Where they come from: the service's successful deployments, or the family's ACTIVE revisions. */
  source: 'history' | 'revisions';
  rows: CandidateRow[];
  /** Revisions left out because the service was rolled back from them: `web:3 (its deployment … was ROLLBACK_SUCCESSFUL)`. */
  leftOut: string[];
}

export interface CandidateRow {
  back: number;
  revision: RevisionDetails;
  /** When and by which deployment it was deployed, or registered, or that it runs now. */
  deployed: string;
  chosen: boolean;
}

export function rollbackSummary(report: RollbackReport): Summary {
  const summary = new Summary();
  const title = `Rollback of ${report.service}${report.dryRun ? ' (dry run)' : ''}`;
  summary.heading(report.status ? `${title}: ${report.status}` : title);
  summary.paragraph(report.headline);
  summary.facts([
    ['Cluster', report.cluster],
    ['Service', report.service],
    ['Action', report.action],
    ['Path', report.trafficBack && pathText(report.trafficBack, targetLabel(report))],
    ['Traffic back', report.trafficBack && trafficText(report.trafficBack, targetLabel(report))],
    ['Deployment', report.deploymentId],
    [
      'Waited',
      report.watch
        ? `${Math.round((report.watch.finishedAt.getTime() - report.watch.startedAt.getTime()) / 100) / 10} s`
        : undefined,
    ],
  ]);
  if (report.from || report.to)
    summary.table(['', 'From (running)', 'To (target)'], revisionRows(report.from, report.to));
  if (report.reason) summary.heading('Why this target', 3).paragraph(report.reason);
  if (report.candidates) candidatesSection(summary, report.candidates);
  if (report.differences) {
    summary.heading('Differences', 3);
    if (report.differences.length === 0) summary.paragraph('None.');
    else summary.list(report.differences);
  }
  addVerification(summary, report.verification?.text);
  const watch = report.watch;
  if (watch) {
    addRolloutPhases(summary, watch.rollout, `Rollback of ${report.service}`);
    summary
      .heading('Timeline', 3)
      .table(['Time (UTC)', 'Since start', 'What'], timelineRows(watch.timeline, watch.startedAt));
    if (watch.stoppedTasks.length > 0) {
      summary.details(
        `Stopped tasks (${watch.stoppedTasks.length})`,
        watch.stoppedTasks.map((t) => t.lines.join('\n')).join('\n'),
      );
    }
    const logs = watch.failedTaskLogs;
    if (logs)
      summary.details(
        `Last ${logs.lines.length} log lines of task ${logs.taskId} (${logs.container})`,
        logs.lines.join('\n'),
      );
  }
  return summary;
}

const targetLabel = (report: RollbackReport) => report.to?.label ?? 'the target revision';

function revisionRows(from: RevisionDetails | undefined, to: RevisionDetails | undefined): Text[][] {
  const rows: Text[][] = [[bold('Revision'), revisionCell(from), revisionCell(to)]];
  const containers = [...new Set([...(from?.images ?? []), ...(to?.images ?? [])].map((i) => i.container))];
  for (const container of containers) {
    const image = (details?: RevisionDetails) => details?.images.find((i) => i.container === container)?.image ?? '-';
    rows.push([md`**Image** (${container})`, code(image(from)), code(image(to))]);
  }
  rows.push([bold('Registered'), from ? registeredLine(from) : '-', to ? registeredLine(to) : '-']);
  return rows;
}

function revisionCell(details: RevisionDetails | undefined): string {
  if (!details) return '-';
  return details.status && details.status !== 'ACTIVE' ? `${details.label} (${details.status})` : details.label;
}

function candidatesSection(summary: Summary, list: CandidateList): void {
  if (list.rows.length === 0) return;
  summary
    .heading('Candidates', 3)
    .paragraph(
      list.source === 'history'
        ? md`
\`to: -N\` counts back through these, newest first: the revisions of the service's successful deployments, never the running one nor one the service was rolled back from (\`previous\` is \`-1\`).
          `
        : md`
\`to: -N\` counts back through these, newest first: the deployment history had none, so the ACTIVE revisions older than the running one stand in, without those whose deployments failed (\`previous\` is \`-1\`).
          `,
    )
    .table(
      ['to', 'Revision', 'Image', 'Deployed'],
      list.rows.map((row) => {
        const cells: Text[] = [md`-${row.back}`, revisionCell(row.revision), imagesCell(row.revision.images)];
        const marked = row.chosen ? cells.map((cell, i) => (i === 2 ? cell : bold(cell))) : cells;
        return [...marked, row.deployed];
      }),
    );
  if (list.leftOut.length > 0) summary.paragraph(`Left out: ${list.leftOut.join('; ')}.`);
}

function imagesCell(images: RevisionDetails['images']): Text {
  if (images.length === 0) return '?';
  if (images.length === 1) return code(images[0]!.image);
  return joined(images.map((i) => md`${i.container}: ${code(i.image)}`));
}
