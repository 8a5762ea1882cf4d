import { planAgainstBase } from './against-base.js';
import { isLongLived } from './cache-lifetime.js';
import type { CheckInputs } from './inputs.js';
import { readSiteFolder, withSha256 } from './local-objects.js';
import {
  againstBaseDeletesRefusal,
  againstBaseLines,
  againstBaseVerdict,
  fail,
  fileWarnings,
  group,
  info,
  printUntrusted,
  rulesText,
  warn,
} from './log.js';
import { buildCheckSummary } from './summary.js';
import { changedLongLived } from './upload-plan.js';

/**
 * The pull-request check (`check-against`): the refusal a deploy would raise, raised before the merge. Reads the site
 * at the head of the pull request and the base branch's copy with the deploy's rules, plans the head onto the base
 * as a deploy would, and fails (or warns, per `changed-immutable`) when content changed under a long-lived name, and
 * fails when it removes more published files than `max-deletes` allows a deploy with `delete: true`.
 * No AWS call, nothing written but the job summary.
 */
export async function run(inputs: CheckInputs): Promise<void> {
  const rules = rulesText(inputs.cacheControl, inputs.contentType);
  info(`Rules in force (first match wins):\n  ${rules.join('\n  ')}`);
  info('Check only (check-against): nothing is deployed and no AWS call is made');

  const options = { ...inputs, prefix: '' };
  const [head, base] = await Promise.all([
    readSiteFolder(inputs.source, options),
    readSiteFolder(inputs.checkAgainst, options, { input: 'check-against', allowEmpty: true }),
  ]);
  for (const [title, message] of fileWarnings(head.skipped, head.unknownTypes)) warn(message, title);
  const [headFiles, baseFiles] = await Promise.all([
    withSha256(head.drafts, new Map(), inputs.concurrency),
    withSha256(base.drafts, new Map(), inputs.concurrency),
  ]);
  const plan = planAgainstBase(headFiles, baseFiles);
  const longLivedNames = headFiles.filter((file) => isLongLived(file.cacheControl)).length;
  await group(
    `Against the base branch: ${plan.changes.length} new or changed, ${plan.deletes.length} not in this branch, ` +
      `${plan.unchanged.length} unchanged; ${longLivedNames} file(s) with a long-lived Cache-Control`,
    async () => printUntrusted(againstBaseLines(plan).join('\n')),
  );

  const tooManyDeletes = inputs.deleteRemoved && plan.deletes.length > inputs.maxDeletes;
  const deletesRefusal = tooManyDeletes ? againstBaseDeletesRefusal(plan.deletes.length, inputs.maxDeletes) : undefined;
  const refused = changedLongLived(plan);
  const verdict = refused.length > 0 ? againstBaseVerdict(refused, inputs.changedImmutable) : undefined;
  await buildCheckSummary({
    source: inputs.source,
    base: inputs.checkAgainst,
    plan,
    rules,
    longLivedNames,
    verdict,
    changedImmutable: inputs.changedImmutable,
    deletesRefusal,
  }).write();
  if (deletesRefusal) fail('Too many deletions', deletesRefusal);
  if (verdict && inputs.changedImmutable === 'fail') fail('Changed under a long-lived name', verdict);
  else if (verdict) warn(verdict, 'Changed under a long-lived name');
  if (!deletesRefusal && !verdict) info('No long-lived name changed content: the deploy will not refuse this change');
}
