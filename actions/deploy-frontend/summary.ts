import { code, joined, md, Summary } from '../../lib/runner/summary.js';
import { failureReason, formatBytes } from './log.js';
import type { Outcome } from './outcome.js';
import type { UploadPlan } from './upload-plan.js';

/** The job summary of a deploy: what changed (or would), what failed, and the rules in force. */

const SUMMARY_FILE_LIMIT = 50;

export interface FrontendReport {
  bucket: string;
  prefix: string;
  dryRun: boolean;
  plan: UploadPlan;
  outcome?: Outcome;
  rules: string[];
  distributionId?: string;
  /** Extensionless files published as pages because of their content. */
  pagesByContent?: string[];
  /** Why the deploy was refused before anything was written, if it was. */
  refusal?: string;
}

function invalidationFact({ plan, outcome, dryRun }: FrontendReport): string {
  const paths = outcome?.invalidationPaths.length ? outcome.invalidationPaths : plan.invalidationPaths;
  if (outcome?.invalidationId) {
    const status = outcome.invalidationStatus ? `, ${outcome.invalidationStatus}` : '';
    return `${outcome.invalidationId} (${paths.join(', ')}${status})`;
  }
  if (paths.length === 0) return 'nothing to invalidate';
  return `${dryRun ? 'would invalidate' : 'not created'}: ${paths.join(', ')}`;
}

export function frontendSummary(input: FrontendReport): Summary {
  const { plan, outcome } = input;
  const summary = new Summary();
  const target = `s3://${input.bucket}/${input.prefix}`;
  const failed = outcome?.stoppedAt !== undefined;
  summary.heading(
    input.refusal
      ? `Frontend deploy to ${target} refused`
      : input.dryRun
        ? `Frontend deploy plan (dry run) for ${target}`
        : failed
          ? `Frontend deploy to ${target} failed`
          : `Frontend deployed to ${target}`,
  );
  if (input.refusal) summary.paragraph(input.refusal);
  const done = outcome?.done ?? [];
  summary.facts([
    [input.dryRun ? 'Would upload' : 'Uploaded', input.dryRun ? plan.changes.length : done.length],
    ['Headers updated in place', (input.dryRun ? plan.changes : done).filter((c) => c.method === 'copy').length],
    ['Unchanged', plan.unchanged.length],
    [input.dryRun ? 'Would delete' : 'Deleted', input.dryRun ? plan.deletes.length : (outcome?.deleted.length ?? 0)],
    ['Kept (not in source, delete off)', plan.kept.length || undefined],
    ['Bytes', formatBytes(input.dryRun ? plan.bytesToUpload : (outcome?.bytesUploaded ?? 0))],
    ['CloudFront invalidation', input.distributionId ? invalidationFact(input) : undefined],
    [
      'Carried over from an earlier run',
      outcome?.carriedPaths.length
        ? `${outcome.carriedPaths.join(', ')} (its invalidation had not been created)`
        : undefined,
    ],
    [
      'Recorded for the next run',
      outcome?.pendingPaths.length
        ? `${outcome.pendingPaths.join(', ')}: not invalidated yet; the next run invalidates them even if it uploads nothing`
        : undefined,
    ],
    [
      'Recognised as pages by content',
      input.pagesByContent?.length
        ? md`${input.pagesByContent.length}: ${joined(input.pagesByContent.map(code))}`
        : undefined,
    ],
    [
      'Changed under a long-lived name',
      plan.changedLongLived.length ? joined(plan.changedLongLived.map((key) => code(key))) : undefined,
    ],
    ['Left alone (outside include/exclude)', plan.outsideRules.length || undefined],
  ]);
  if (failed && outcome) {
    summary.heading('What failed', 3);
    summary.paragraph(`Stopped at the ${outcome.stoppedAt} step: ${failureReason(outcome)}`);
    summary.list(outcome.failed.slice(0, SUMMARY_FILE_LIMIT).map((f) => md`${code(f.change.key)}: ${f.message}`));
  }
  const changes = input.dryRun ? plan.changes : done;
  if (changes.length > 0) {
    summary.heading(input.dryRun ? 'Changes planned' : 'Changed files', 3);
    summary.table(
      ['File', 'Why', 'Size', 'Cache-Control', 'Content-Type'],
      changes
        .slice(0, SUMMARY_FILE_LIMIT)
        .map((c) => [
          code(c.key),
          c.reason,
          c.method === 'copy' ? 'headers only' : formatBytes(c.size),
          c.cacheControl,
          c.contentType,
        ]),
    );
    if (changes.length > SUMMARY_FILE_LIMIT) summary.paragraph(`…and ${changes.length - SUMMARY_FILE_LIMIT} more.`);
  }
  const deletions = input.dryRun ? plan.deletes : (outcome?.deleted ?? []);
  if (deletions.length > 0) {
    summary.heading(input.dryRun ? 'Deletions planned' : 'Deleted', 3);
    summary.list(deletions.slice(0, SUMMARY_FILE_LIMIT).map((key) => code(key)));
    if (deletions.length > SUMMARY_FILE_LIMIT) summary.paragraph(`…and ${deletions.length - SUMMARY_FILE_LIMIT} more.`);
  }
  summary.details('Rules in force', input.rules.join('\n'));
  return summary;
}

export interface CheckSummaryInput {
  source: string;
  base: string;
  plan: UploadPlan;
  rules: string[];
  /** Content-hashed (long-lived) names in the branch. */
  longLivedNames: number;
  /** The verdict on content changed under long-lived names, if any changed. */
  verdict?: string;
  changedImmutable: 'fail' | 'warn';
  /** Set when the change removes more files than the deploy's `max-deletes` allows. */
  deletesRefusal?: string;
}

/** The job summary of the pull-request check (`check-against`). */
export function buildCheckSummary(input: CheckSummaryInput): Summary {
  const { plan } = input;
  const refused = input.verdict !== undefined && input.changedImmutable === 'fail';
  const summary = new Summary();
  summary.heading(
    refused
      ? 'Frontend check: a long-lived name changed content'
      : input.deletesRefusal
        ? 'Frontend check: too many deletions'
        : input.verdict
          ? 'Frontend check: passed with a warning'
          : 'Frontend check: no long-lived name changed content',
  );
  if (input.verdict) summary.paragraph(input.verdict);
  if (input.deletesRefusal) summary.paragraph(input.deletesRefusal);
  summary.facts([
    [
      'Compared',
      md`${code(input.source)} against the base branch's ${code(input.base)} (no AWS call, nothing deployed)`,
    ],
    ['Changed', plan.changes.filter((c) => c.reason === 'content changed').length],
    ['New', plan.changes.filter((c) => c.reason === 'new').length],
    ['Not in this branch', plan.deletes.length || undefined],
    ['Unchanged', plan.unchanged.length],
    ['Files with a long-lived Cache-Control', input.longLivedNames],
    [
      'Changed under a long-lived name',
      plan.changedLongLived.length ? joined(plan.changedLongLived.map((key) => code(key))) : 'none',
    ],
  ]);
  const changes = plan.changes.filter((c) => c.reason !== 'headers changed');
  if (changes.length > 0) {
    summary.heading('Changes against the base branch', 3);
    summary.table(
      ['File', 'Why', 'Cache-Control'],
      changes
        .slice(0, SUMMARY_FILE_LIMIT)
        .map((c) => [code(c.key), c.longLived ? `${c.reason} (long-lived name)` : c.reason, c.cacheControl]),
    );
    if (changes.length > SUMMARY_FILE_LIMIT) summary.paragraph(`…and ${changes.length - SUMMARY_FILE_LIMIT} more.`);
  }
  summary.details('Rules in force', input.rules.join('\n'));
  return summary;
}
