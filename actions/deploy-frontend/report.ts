import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { CompiledRule } from '../shared/cache-rules.js';
import { Summary } from '../shared/summary.js';
import type { SkippedEntry } from '../shared/site-files.js';
import type { Change, UploadPlan } from '../shared/upload-plan.js';
import type { Outcome } from './execute.js';

/** How a deploy is shown: the plan in the log, the plan as JSON, and the job summary. */

const SUMMARY_FILE_LIMIT = 50;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** An AWS SDK error on one line: name, message, HTTP status and how many attempts the SDK made. */
export function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  const status = e?.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  const attempts = e?.$metadata?.attempts ? `, ${e.$metadata.attempts} attempt(s)` : '';
  const name = e?.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${name}${e?.message ?? String(error)}${status}${attempts}`.replace(/\s+/g, ' ');
}

/** The line printed every few seconds while a phase uploads, so a long upload is never silent. */
export function uploadProgressLine(
  phase: string,
  done: { files: number; bytes: number },
  total: { files: number; bytes: number },
): string {
  const bytes = total.bytes > 0 ? `, ${formatBytes(done.bytes)} of ${formatBytes(total.bytes)}` : '';
  return `Uploading ${phase}: ${done.files} of ${total.files} done${bytes}`;
}

export function rulesText(cacheControl: CompiledRule[], contentType: CompiledRule[]): string[] {
  return [
    ...cacheControl.map((r) => `Cache-Control  ${r.pattern}: ${r.value}`),
    ...contentType.map((r) => `Content-Type   ${r.pattern}: ${r.value}`),
    ...(contentType.length === 0 ? ['Content-Type   by extension (mime-db), charset=utf-8 on text types'] : []),
  ];
}

export function changeLine(change: Change): string {
  const what =
    change.method === 'copy'
      ? `headers only: ${change.previous?.cacheControl ?? '?'} -> ${change.cacheControl}`
      : `${formatBytes(change.size)}, ${change.cacheControl}, ${change.contentType}`;
  return `${change.method === 'copy' ? '~' : '+'} ${change.key} (${change.reason}; ${what})`;
}

export function planLines(plan: UploadPlan): string[] {
  return [
    ...plan.changes.map(changeLine),
    ...plan.deletes.map((key) => `- ${key} (not in source)`),
    ...(plan.kept.length ? [`  ${plan.kept.length} object(s) not in the source are kept (delete is off)`] : []),
    `  ${plan.unchanged.length} unchanged`,
  ];
}

/** [title, message] warnings about the source's files: skipped entries, and types the MIME database did not know. */
export function fileWarnings(skipped: SkippedEntry[], unknownTypes: string[]): Array<[string, string]> {
  const warnings = skipped.map((entry): [string, string] => [
    'File skipped',
    `Skipped '${entry.path}': ${entry.reason}`,
  ]);
  if (unknownTypes.length > 0) {
    warnings.push([
      'Unknown file type',
      `No known Content-Type for ${unknownTypes.length} file(s), sent as application/octet-stream: ` +
        unknownTypes.slice(0, 10).join(', ') +
        (unknownTypes.length > 10 ? ', …' : '') +
        ` (set a 'content-type' rule to choose one)`,
    ]);
  }
  return warnings;
}

/**
 * The step's outputs. `uploaded` counts every object written (new or changed content, and header-only updates), so
 * that after a complete run `uploaded + unchanged` is the number of files in the source; `bytes-uploaded` counts only
 * content sent. A dry run writes nothing: 0.
 */
export function outputsOf(plan: UploadPlan, outcome: Outcome | undefined, planFile: string) {
  return {
    uploaded: outcome?.done.length ?? 0,
    unchanged: plan.unchanged.length,
    deleted: outcome?.deleted.length ?? 0,
    'bytes-uploaded': outcome?.bytesUploaded ?? 0,
    'invalidation-id': outcome?.invalidationId ?? '',
    plan: planFile,
  };
}

/** Why a run stopped, and what that means for the live site (one sentence for the annotation and the summary). */
export function failureReason(outcome: Outcome): string {
  const consequence =
    outcome.stoppedAt === 'assets'
      ? 'No HTML was uploaded and nothing was deleted: the live site still serves the previous version.'
      : 'Nothing was deleted.';
  const notStarted = outcome.notStarted.length ? ` ${outcome.notStarted.length} change(s) not attempted.` : '';
  return `${outcome.error}. ${consequence}${notStarted}`;
}

export function doneLine(plan: UploadPlan, outcome: Outcome): string {
  return (
    `Done: ${outcome.done.length} uploaded (${formatBytes(outcome.bytesUploaded)}), ${plan.unchanged.length} unchanged, ` +
    `${outcome.deleted.length} deleted` +
    (outcome.invalidationId ? `, invalidation ${outcome.invalidationId}` : '')
  );
}

export function writePlanFile(plan: UploadPlan, meta: Record<string, unknown>): string {
  const file = join(process.env.RUNNER_TEMP || tmpdir(), `deploy-frontend-plan-${process.pid}.json`);
  const body = {
    ...meta,
    changes: plan.changes.map(({ key, method, reason, phase, size, cacheControl, contentType }) => ({
      key,
      action: method === 'put' ? 'upload' : 'update-headers',
      reason,
      phase,
      size,
      cacheControl,
      contentType,
    })),
    unchanged: plan.unchanged,
    deletes: plan.deletes,
    kept: plan.kept,
    invalidationPaths: plan.invalidationPaths,
    bytesToUpload: plan.bytesToUpload,
  };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}

export interface SummaryInput {
  bucket: string;
  prefix: string;
  dryRun: boolean;
  plan: UploadPlan;
  outcome?: Outcome;
  rules: string[];
  distributionId?: string;
}

export function buildSummary(input: SummaryInput): Summary {
  const { plan, outcome } = input;
  const summary = new Summary();
  const target = `s3://${input.bucket}/${input.prefix}`;
  const failed = outcome?.stoppedAt !== undefined;
  summary.heading(
    input.dryRun
      ? `Frontend deploy plan (dry run) for ${target}`
      : failed
        ? `Frontend deploy to ${target} failed`
        : `Frontend deployed to ${target}`,
  );
  const done = outcome?.done ?? [];
  summary.facts([
    [input.dryRun ? 'Would upload' : 'Uploaded', input.dryRun ? plan.changes.length : done.length],
    ['Headers updated in place', (input.dryRun ? plan.changes : done).filter((c) => c.method === 'copy').length],
    ['Unchanged', plan.unchanged.length],
    [input.dryRun ? 'Would delete' : 'Deleted', input.dryRun ? plan.deletes.length : (outcome?.deleted.length ?? 0)],
    ['Kept (not in source, delete off)', plan.kept.length || undefined],
    ['Bytes', formatBytes(input.dryRun ? plan.bytesToUpload : (outcome?.bytesUploaded ?? 0))],
    [
      'CloudFront invalidation',
      input.distributionId
        ? outcome?.invalidationId
          ? `${outcome.invalidationId} (${plan.invalidationPaths.join(', ')})`
          : plan.invalidationPaths.length
            ? `${input.dryRun ? 'would invalidate' : 'not created'}: ${plan.invalidationPaths.join(', ')}`
            : 'nothing to invalidate'
        : undefined,
    ],
  ]);
  if (failed && outcome) {
    summary.heading('What failed', 3);
    summary.paragraph(`Stopped at the ${outcome.stoppedAt} step: ${failureReason(outcome)}`);
    summary.list(outcome.failed.slice(0, SUMMARY_FILE_LIMIT).map((f) => `\`${f.change.key}\`: ${f.message}`));
  }
  const changes = input.dryRun ? plan.changes : done;
  if (changes.length > 0) {
    summary.heading(input.dryRun ? 'Changes planned' : 'Changed files', 3);
    summary.table(
      ['File', 'Why', 'Size', 'Cache-Control', 'Content-Type'],
      changes
        .slice(0, SUMMARY_FILE_LIMIT)
        .map((c) => [
          `\`${c.key}\``,
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
    summary.list(deletions.slice(0, SUMMARY_FILE_LIMIT).map((key) => `\`${key}\``));
    if (deletions.length > SUMMARY_FILE_LIMIT) summary.paragraph(`…and ${deletions.length - SUMMARY_FILE_LIMIT} more.`);
  }
  summary.details('Rules in force', input.rules.join('\n'));
  return summary;
}
