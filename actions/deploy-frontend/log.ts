import type { CompiledRule } from './cache-rules.js';
import type { Outcome } from './outcome.js';
import type { SkippedEntry } from './site-files.js';
import type { Change, UploadPlan } from './upload-plan.js';

/** How a deploy reads in the job log: the rules, the plan, progress while uploading, and how it ended. */

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
