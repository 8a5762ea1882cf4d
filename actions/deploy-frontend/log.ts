import type { CompiledRule } from './cache-rules.js';
import { describeLifetime } from './cache-lifetime.js';
import { hasContentHash, withNewHashPlaceholder } from './content-hash.js';
import type { Outcome } from './outcome.js';
import { toolingWarning } from './tooling-files.js';
import { formatSeconds } from '../../lib/runner/time.js';
import { shownOnOneLine } from '../../lib/runner/untrusted-text.js';
import type { SkippedEntry } from './site-files.js';
import type { Change, UploadPlan } from './upload-plan.js';

/**
 * How a deploy reads in the job log: the rules, the plan, progress while uploading, and how it ended. The one module
 * of the action that prints: the others print through what it exports.
 */
export { fail, group, info, printUntrusted, progress, warn } from '../../lib/runner/log.js';

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
  const page = change.recognisedBy === 'content' ? '; a page by its content' : '';
  const longLived = change.longLived ? '; LONG-LIVED NAME CHANGED IN PLACE' : '';
  return `${change.method === 'copy' ? '~' : '+'} ${shownOnOneLine(change.key)} (${change.reason}; ${what}${page}${longLived})`;
}

export function planLines(plan: UploadPlan): string[] {
  return [
    ...plan.changes.map(changeLine),
    ...plan.deletes.map((key) => `- ${shownOnOneLine(key)} (not in source)`),
    ...(plan.kept.length ? [`  ${plan.kept.length} object(s) not in the source are kept (delete is off)`] : []),
    ...(plan.outsideRules.length
      ? [
          `  ${plan.outsideRules.length} object(s) not in the source are outside the include/exclude rules and left alone`,
        ]
      : []),
    `  ${plan.unchanged.length} unchanged`,
  ];
}

/**
 * [title, message] warnings about the source's files: skipped entries, types the MIME database did not know, and
 * files that look like repository tooling published for want of an `include` list.
 */
export function fileWarnings(
  skipped: SkippedEntry[],
  unknownTypes: string[],
  tooling: string[] = [],
): Array<[string, string]> {
  const warnings = skipped.map((entry): [string, string] => [
    'File skipped',
    `Skipped '${shownOnOneLine(entry.path)}': ${entry.reason}`,
  ]);
  if (unknownTypes.length > 0) {
    warnings.push([
      'Unknown file type',
      `No known Content-Type for ${unknownTypes.length} file(s), sent as application/octet-stream: ` +
        unknownTypes.slice(0, 10).map(shownOnOneLine).join(', ') +
        (unknownTypes.length > 10 ? ', …' : '') +
        ` (set a 'content-type' rule to choose one)`,
    ]);
  }
  const toolingMessage = toolingWarning(tooling);
  if (toolingMessage) warnings.push(['Repository files in the site', toolingMessage]);
  return warnings;
}

/** Why a run stopped, and what that means for the live site (one sentence for the annotation and the summary). */
export function failureReason(outcome: Outcome): string {
  const consequence =
    outcome.stoppedAt === 'assets'
      ? 'No HTML was uploaded and nothing was deleted: the live site still serves the previous version.'
      : 'Nothing was deleted.';
  const notStarted = outcome.notStarted.length ? ` ${outcome.notStarted.length} change(s) not attempted.` : '';
  const pending = outcome.pendingPaths.length
    ? ` The invalidation of ${outcome.pendingPaths.join(' ')} is recorded for the next run, which will create it even if it uploads nothing.`
    : '';
  return `${outcome.error}. ${consequence}${notStarted}${pending}`;
}

/** The extensionless files published as pages because their first bytes are HTML. */
export function pagesByContentLine(pages: string[]): string | undefined {
  if (pages.length === 0) return undefined;
  return `${pages.length} extensionless file(s) recognised as HTML pages by their content: ${pages.map(shownOnOneLine).join(', ')}`;
}

const FEW = 10;
const listed = (keys: string[]) =>
  keys.slice(0, FEW).map(shownOnOneLine).join(', ') + (keys.length > FEW ? `, … (${keys.length} in all)` : '');

/** The refusal of a deploy that changes files under long-lived names (changed-immutable: fail): one line. */
export function changedLongLivedRefusal(changes: Change[]): string {
  const keys = changes.map((change) => change.key);
  return (
    `${keys.length} file(s) changed in place under a long-lived name (Cache-Control immutable or a max-age of a day ` +
    `or more): ${keys.map(shownOnOneLine).join(', ')}. Browsers that have them would keep the old copy, so nothing was written. ` +
    `${renameAdvice(keys)}, or set 'changed-immutable: warn' to upload them anyway and invalidate their paths`
  );
}

/**
 * What to do about changed content under a long-lived name: a content-hashed name gets the hash of its new content
 * (the build does it), any other name a new version.
 */
export function renameAdvice(keys: string[]): string {
  const first = keys[0] ?? 'app-0.0.1.js';
  if (keys.length > 0 && keys.every(hasContentHash)) {
    return (
      `Rename each with a new content hash (build again so the name carries the hash of the new content, ` +
      `e.g. ${withNewHashPlaceholder(first)}) and update what loads it`
    );
  }
  return `Give each changed file a new name (e.g. bump its version, ${suggestedName(first)}) and update what loads it`;
}

/** The pull-request check's lines: each change against the base branch, then the counts. */
export function againstBaseLines(plan: UploadPlan): string[] {
  return [
    ...plan.changes.map(changeLine),
    ...plan.deletes.map((key) => `- ${key} (not in this branch)`),
    `  ${plan.unchanged.length} unchanged`,
  ];
}

/**
 * The pull-request check's verdict on content changed under long-lived names (one line): what the deploy would do
 * with them under `changed-immutable`, and the remedy.
 */
export function againstBaseVerdict(changes: Change[], changedImmutable: 'fail' | 'warn'): string {
  const keys = changes.map((change) => change.key);
  const lifetime = describeLifetime(changes[0]?.previous?.cacheControl || changes[0]?.cacheControl || '');
  const consequence =
    changedImmutable === 'fail'
      ? 'The deploy would refuse them (changed-immutable: fail) and publish nothing'
      : `The deploy (changed-immutable: warn) would upload them, but browsers that have them may keep the old copy for ${lifetime}`;
  return (
    `${keys.length} file(s) changed content against the base branch under a long-lived name (Cache-Control ` +
    `immutable or a max-age of a day or more): ${keys.map(shownOnOneLine).join(', ')}. ${consequence}. ${renameAdvice(keys)}`
  );
}

/** The pull-request check's foresight of the deploy's `max-deletes` refusal (one line). */
export function againstBaseDeletesRefusal(deletes: number, maxDeletes: number): string {
  return (
    `Input 'max-deletes' is ${maxDeletes} but this change removes ${deletes} published file(s) the base branch has: ` +
    `the deploy (delete: true) would refuse it before changing anything. Raise 'max-deletes' if that is intended`
  );
}

/** The warning when such files are uploaded anyway (changed-immutable: warn). */
export function changedLongLivedWarning(changes: Change[], invalidated: boolean): string {
  const longest = changes.map((change) => change.previous?.cacheControl || change.cacheControl);
  return (
    `${changes.length} file(s) changed in place under a long-lived name: ${listed(changes.map((c) => c.key))}. ` +
    (invalidated
      ? 'CloudFront is invalidated for them, but browsers'
      : 'No CloudFront distribution was given; browsers') +
    ` that cached them may keep the old copy for ${describeLifetime(longest[0] ?? '')}. Give changed files a new name.`
  );
}

/** `js/cart-0.0.1.js` -> `js/cart-0.0.2.js`; otherwise a `-2` before the extension. */
function suggestedName(key: string): string {
  const versioned = /^(.*\d+\.\d+\.)(\d+)(\.[^./]+)$/.exec(key);
  if (versioned) return `${versioned[1]}${Number(versioned[2]) + 1}${versioned[3]}`;
  const dot = key.lastIndexOf('.');
  return dot > key.lastIndexOf('/') ? `${key.slice(0, dot)}-2${key.slice(dot)}` : `${key}-2`;
}

/** How the wait for an invalidation ended, for the log. */
export function invalidationWaitLine(outcome: Outcome, timeoutMs: number): string | undefined {
  if (!outcome.invalidationId || outcome.invalidationStatus === undefined) return undefined;
  if (outcome.invalidationStatus === 'Completed') {
    return `Invalidation ${outcome.invalidationId} completed after ${formatSeconds((outcome.invalidationWaitMs ?? 0) / 1000)}`;
  }
  return (
    `Invalidation ${outcome.invalidationId} still ${outcome.invalidationStatus} after ${formatSeconds(timeoutMs / 1000)}: ` +
    'CloudFront finishes it on its own; until then some viewers may get the previous files'
  );
}

export function doneLine(plan: UploadPlan, outcome: Outcome): string {
  return (
    `Done: ${outcome.done.length} uploaded (${formatBytes(outcome.bytesUploaded)}), ${plan.unchanged.length} unchanged, ` +
    `${outcome.deleted.length} deleted` +
    (outcome.invalidationId ? `, invalidation ${outcome.invalidationId}` : '') +
    (outcome.carriedPaths.length ? ` (with ${outcome.carriedPaths.length} path(s) an earlier run left)` : '')
  );
}
