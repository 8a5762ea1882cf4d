import type { AwsClientConfig } from '../shared/aws-config.js';
import { createCloudFrontClient } from '../shared/cloudfront-invalidation.js';
import { InputError } from '../shared/inputs.js';
import { fail, group, info, setOutputs, warn } from '../shared/report.js';
import { runContext } from '../shared/run-context.js';
import { openS3Site } from '../shared/s3-uploader.js';
import { assertFolder } from '../shared/site-files.js';
import { decide } from './decide.js';
import { executePlan } from './execute.js';
import {
  buildSummary,
  doneLine,
  failureReason,
  fileWarnings,
  formatBytes,
  outputsOf,
  planLines,
  rulesText,
  writePlanFile,
} from './report.js';
import type { DeploySettings } from './settings.js';

/**
 * Decide, then act: read the source and the bucket, plan, and (unless a dry run) upload assets, then entry points,
 * then invalidate CloudFront, then delete; stop at the first step that fails.
 */
export async function run(
  { settings, aws }: { settings: DeploySettings; aws: AwsClientConfig },
  signal?: AbortSignal,
): Promise<void> {
  const rules = rulesText(settings.cacheControl, settings.contentType);
  info(`Rules in force (first match wins):\n  ${rules.join('\n  ')}`);

  await assertFolder(settings.source);
  const s3 = await openS3Site(aws, settings.bucket, { directPut: settings.directPut, signal });
  const { plan, local, remote, manifestText, skipped, unknownTypes } = await decide(settings, s3, signal);
  for (const [title, message] of fileWarnings(skipped, unknownTypes)) warn(message, title);

  if (plan.deletes.length > settings.maxDeletes) {
    throw new InputError(
      `Input 'max-deletes' is ${settings.maxDeletes} but this deploy would delete ${plan.deletes.length} object(s) ` +
        `under s3://${settings.bucket}/${settings.prefix}; nothing was changed. Raise 'max-deletes' if that is intended`,
    );
  }

  const target = { bucket: settings.bucket, prefix: settings.prefix, dryRun: settings.dryRun };
  const planFile = writePlanFile(plan, target);
  await group(
    `Plan: ${plan.changes.length} to upload (${formatBytes(plan.bytesToUpload)}), ${plan.unchanged.length} unchanged, ${plan.deletes.length} to delete`,
    async () => info(planLines(plan).join('\n')),
  );
  const report = { ...target, plan, rules, distributionId: settings.distributionId };

  if (settings.dryRun) {
    info('Dry run: nothing was changed.');
    setOutputs(outputsOf(plan, undefined, planFile));
    await buildSummary(report).write();
    return;
  }

  const outcome = await executePlan({
    s3,
    cloudfront: settings.distributionId
      ? {
          client: createCloudFrontClient(aws),
          distributionId: settings.distributionId,
          callerReference: callerReference(),
        }
      : undefined,
    plan,
    local,
    remote,
    previousManifest: manifestText,
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    signal,
  });

  setOutputs(outputsOf(plan, outcome, planFile));
  await buildSummary({ ...report, outcome }).write();
  info(`${s3.requests} S3 request(s) in all`);
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
  return `deploy-frontend-${runId}-${runAttempt}-${Date.now()}`;
}
