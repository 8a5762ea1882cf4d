import type { AwsClientConfig } from '../../lib/aws/config.js';
import type { StoryContext } from '../../lib/runner/run-action.js';
import { createCloudFrontClient } from './cloudfront-api.js';
import { InputError } from '../../lib/runner/inputs.js';
import { fail, group, info, warn } from './log.js';
import { setOutputs } from '../../lib/runner/outputs.js';
import { runContext } from '../../lib/runner/run-context.js';
import { openS3Site } from './s3-api.js';
import { assertFolder } from './site-files.js';
import { decide } from './decide.js';
import { executePlan } from './execute.js';
import type { FrontendInputs } from './inputs.js';
import {
  changedLongLivedRefusal,
  changedLongLivedWarning,
  doneLine,
  failureReason,
  fileWarnings,
  formatBytes,
  invalidationWaitLine,
  pagesByContentLine,
  planLines,
  rulesText,
} from './log.js';
import { outputsOf, writePlanFile } from './outputs.js';
import { changedLongLived } from './upload-plan.js';
import { frontendSummary } from './summary.js';
import { now } from '../../lib/runner/time.js';

/**
 * Decide, then act: read the source and the bucket, plan, and (unless a dry run) upload assets, then entry points,
 * then invalidate CloudFront, then delete; stop at the first step that fails.
 */
export async function run(inputs: FrontendInputs, { aws, signal }: StoryContext<AwsClientConfig>): Promise<void> {
  const rules = rulesText(inputs.cacheControl, inputs.contentType);
  info(`Rules in force (first match wins):\n  ${rules.join('\n  ')}`);

  await assertFolder(inputs.source);
  const s3 = await openS3Site(aws, inputs.bucket, {
    directPut: inputs.directPut,
    forcePathStyle: inputs.forcePathStyle,
    signal,
  });
  const decision = await decide(inputs, s3, signal);
  const { plan, local, remote, manifestText, skipped, unknownTypes, pagesByContent, tooling, pending } = decision;
  for (const [title, message] of fileWarnings(skipped, unknownTypes, tooling)) warn(message, title);
  const pagesLine = pagesByContentLine(pagesByContent);
  if (pagesLine) info(pagesLine);
  for (const [id, paths] of Object.entries(pending)) {
    if (id === inputs.distributionId) {
      info(`Recorded by an earlier run, still to invalidate on ${id}: ${paths.join(' ')}`);
      continue;
    }
    warn(
      `An earlier run recorded an invalidation of ${paths.join(' ')} on distribution ${id}, which this run was not ` +
        `given: it stays recorded until a run with 'cloudfront-distribution-id: ${id}' creates it`,
      'Invalidation still pending',
    );
  }

  if (plan.deletes.length > inputs.maxDeletes) {
    throw new InputError(
      `Input 'max-deletes' is ${inputs.maxDeletes} but this deploy would delete ${plan.deletes.length} object(s) ` +
        `under s3://${inputs.bucket}/${inputs.prefix}; nothing was changed. Raise 'max-deletes' if that is intended`,
    );
  }

  const target = { bucket: inputs.bucket, prefix: inputs.prefix, dryRun: inputs.dryRun };
  const planFile = writePlanFile(plan, { ...target, pagesByContent, pendingInvalidations: pending });
  await group(
    `Plan: ${plan.changes.length} to upload (${formatBytes(plan.bytesToUpload)}), ${plan.unchanged.length} unchanged, ${plan.deletes.length} to delete`,
    async () => info(planLines(plan).join('\n')),
  );
  const report = { ...target, plan, rules, distributionId: inputs.distributionId, pagesByContent };

  const longLived = changedLongLived(plan);
  if (longLived.length > 0 && inputs.changedImmutable === 'fail') {
    const refusal = changedLongLivedRefusal(longLived);
    setOutputs(outputsOf(plan, undefined, planFile));
    await frontendSummary({ ...report, refusal }).write();
    fail('Changed under a long-lived name', refusal);
    return;
  }
  if (longLived.length > 0) {
    warn(changedLongLivedWarning(longLived, inputs.distributionId !== undefined), 'Changed under a long-lived name');
  }

  if (inputs.dryRun) {
    info('Dry run: nothing was changed.');
    setOutputs(outputsOf(plan, undefined, planFile));
    await frontendSummary(report).write();
    return;
  }

  const outcome = await executePlan({
    s3,
    cloudfront: inputs.distributionId
      ? {
          client: createCloudFrontClient(aws),
          distributionId: inputs.distributionId,
          callerReference: callerReference(),
          wait: inputs.waitForInvalidation
            ? { timeoutMs: inputs.invalidationTimeoutMs, pollMs: inputs.pollMs }
            : undefined,
        }
      : undefined,
    pending,
    plan,
    local,
    remote,
    written: { text: manifestText },
    prefix: inputs.prefix,
    concurrency: inputs.concurrency,
    signal,
  });

  setOutputs(outputsOf(plan, outcome, planFile));
  await frontendSummary({ ...report, outcome }).write();
  info(`${s3.requests} S3 request(s) in all`);
  const waitLine = invalidationWaitLine(outcome, inputs.invalidationTimeoutMs);
  if (waitLine && outcome.invalidationStatus === 'Completed') info(waitLine);
  else if (waitLine) warn(waitLine, 'Invalidation not complete');
  if (outcome.stoppedAt) {
    const failedList = outcome.failed.map((f) => `${f.change.key}: ${f.message}`).join('\n');
    fail(`Frontend deploy stopped at the ${outcome.stoppedAt} step`, failureReason(outcome), failedList || undefined);
    return;
  }
  info(doneLine(plan, outcome));
}

/** Unique per CreateInvalidation call, naming the run it came from. */
function callerReference(): string {
  const { runId = 'local', runAttempt = '1' } = runContext();
  return `deploy-frontend-${runId}-${runAttempt}-${now()}`;
}
