import type { AwsClientConfig } from '../shared/aws-config.js';
import { createCloudFrontClient } from '../shared/cloudfront-invalidation.js';
import { InputError } from '../shared/inputs.js';
import { runPool } from '../shared/parallel.js';
import { fail, group, info, progress, setOutputs, warn } from '../shared/report.js';
import { manifestKey, parseManifest } from '../shared/s3-manifest.js';
import { createS3Client, S3Site } from '../shared/s3-uploader.js';
import { assertFolder, scanSite } from '../shared/site-files.js';
import { knownSha256, planDeploy, type HeadInfo, type RemoteObject } from '../shared/upload-plan.js';
import { describeError, executePlan } from './execute.js';
import { describeLocalObjects, withSha256 } from './local-objects.js';
import { buildSummary, formatBytes, planLines, rulesText, writePlanFile } from './report.js';
import type { DeploySettings } from './settings.js';

export async function run(
  { settings, aws }: { settings: DeploySettings; aws: AwsClientConfig },
  signal?: AbortSignal,
): Promise<void> {
  const rules = rulesText(settings.cacheControl, settings.contentType);
  info(`Rules in force (first match wins):\n  ${rules.join('\n  ')}`);

  const s3 = new S3Site(createS3Client(aws), settings.bucket, signal);
  const reservedKey = manifestKey(settings.prefix);
  await assertFolder(settings.source);
  const { scan, drafts, unknownTypes, remote, manifestText } = await readBothSides(settings, s3, reservedKey);
  for (const skipped of scan.skipped) warn(`Skipped '${skipped.path}': ${skipped.reason}`, 'File skipped');
  if (unknownTypes.length > 0) {
    warn(
      `No known Content-Type for ${unknownTypes.length} file(s), sent as application/octet-stream: ` +
        unknownTypes.slice(0, 10).join(', ') +
        (unknownTypes.length > 10 ? ', …' : '') +
        ` (set a 'content-type' rule to choose one)`,
      'Unknown file type',
    );
  }
  if (drafts.some((file) => file.key === reservedKey)) {
    throw new InputError(`Input 'source' contains '${reservedKey}', a name this action keeps for its manifest`);
  }
  progress(`${drafts.length} file(s) in '${settings.source}' (${formatBytes(sum(drafts.map((f) => f.size)))})`);
  const manifest = parseManifest(manifestText);
  const local = await withSha256(drafts, knownSha256(drafts, remote, manifest), settings.concurrency);
  const planInput = {
    local,
    remote,
    manifest,
    deleteRemoved: settings.deleteRemoved,
    reserved: new Set([reservedKey]),
  };
  let plan = planDeploy(planInput);
  if (plan.needsHead.length > 0) {
    progress(`Reading the headers of ${plan.needsHead.length} object(s) the manifest does not cover`);
    const heads = await headAll(s3, plan.needsHead, settings.concurrency, signal);
    const headed = new Set(plan.needsHead);
    const stillThere = remote.filter((object) => heads.has(object.key) || !headed.has(object.key));
    plan = planDeploy({ ...planInput, remote: stillThere, heads });
  }
  progress(`${remote.length} object(s) under s3://${settings.bucket}/${settings.prefix} (${s3.requests} request(s))`);

  if (plan.deletes.length > settings.maxDeletes) {
    throw new InputError(
      `Input 'max-deletes' is ${settings.maxDeletes} but this deploy would delete ${plan.deletes.length} object(s) ` +
        `under s3://${settings.bucket}/${settings.prefix}; nothing was changed. Raise 'max-deletes' if that is intended`,
    );
  }

  const planFile = writePlanFile(plan, {
    bucket: settings.bucket,
    prefix: settings.prefix,
    dryRun: settings.dryRun,
  });
  await group(
    `Plan: ${plan.changes.length} to upload (${formatBytes(plan.bytesToUpload)}), ${plan.unchanged.length} unchanged, ${plan.deletes.length} to delete`,
    async () => planLines(plan).forEach((line) => info(line)),
  );
  const summaryBase = {
    bucket: settings.bucket,
    prefix: settings.prefix,
    dryRun: settings.dryRun,
    plan,
    rules,
    distributionId: settings.distributionId,
  };

  if (settings.dryRun) {
    info('Dry run: nothing was changed.');
    setOutputs({
      uploaded: 0,
      unchanged: plan.unchanged.length,
      deleted: 0,
      'bytes-uploaded': 0,
      'invalidation-id': '',
      plan: planFile,
    });
    await buildSummary(summaryBase).write();
    return;
  }

  const outcome = await executePlan({
    s3,
    cloudfront: settings.distributionId
      ? {
          client: createCloudFrontClient(aws),
          distributionId: settings.distributionId,
          callerReference: `deploy-frontend-${process.env.GITHUB_RUN_ID ?? 'local'}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}-${Date.now()}`,
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

  setOutputs({
    uploaded: outcome.done.length,
    unchanged: plan.unchanged.length,
    deleted: outcome.deleted.length,
    'bytes-uploaded': outcome.bytesUploaded,
    'invalidation-id': outcome.invalidationId ?? '',
    plan: planFile,
  });
  await buildSummary({ ...summaryBase, outcome }).write();
  info(`${s3.requests} S3 request(s) in all`);

  if (outcome.stoppedAt) {
    const failedList = outcome.failed.map((f) => `${f.change.key}: ${f.message}`).join('\n');
    fail(
      `Frontend deploy stopped at the ${outcome.stoppedAt} step`,
      `${outcome.error}.` +
        (outcome.stoppedAt === 'assets' ? ' No HTML was uploaded and nothing was deleted.' : ' Nothing was deleted.') +
        (outcome.notStarted.length ? ` ${outcome.notStarted.length} change(s) not attempted.` : ''),
      failedList || undefined,
    );
    return;
  }
  info(
    `Done: ${outcome.done.length} uploaded (${formatBytes(outcome.bytesUploaded)}), ${plan.unchanged.length} unchanged, ` +
      `${outcome.deleted.length} deleted` +
      (outcome.invalidationId ? `, invalidation ${outcome.invalidationId}` : ''),
  );
}

/** The source (scanned and hashed) and the bucket (listing, manifest), read at the same time; nothing is written. */
async function readBothSides(settings: DeploySettings, s3: S3Site, reservedKey: string) {
  const [localRead, bucketRead] = await Promise.allSettled([
    (async () => {
      const scan = await scanSite(settings.source, settings.exclude);
      const { objects: drafts, unknownTypes } = await describeLocalObjects(scan.files, settings);
      return { scan, drafts, unknownTypes };
    })(),
    (async () => {
      const listing = await s3.list(settings.prefix);
      const remote = listing.filter((object) => object.key !== reservedKey);
      const manifestText = listing.length > remote.length ? await s3.getText(reservedKey) : undefined;
      return { remote, manifestText };
    })(),
  ]);
  // A problem with the source is the user's to fix first, whatever the bucket said meanwhile.
  if (localRead.status === 'rejected') throw localRead.reason;
  if (bucketRead.status === 'rejected') throw explainBucketError(bucketRead.reason, settings.bucket);
  const [local, bucket] = [localRead.value, bucketRead.value];
  return { ...local, ...bucket };
}

function explainBucketError(error: unknown, bucket: string): unknown {
  const name = (error as { name?: string })?.name;
  if (name === 'NoSuchBucket')
    return new Error(`Bucket '${bucket}' does not exist (NoSuchBucket); check the 'bucket' input`);
  if (name === 'AccessDenied')
    return new Error(`Access denied listing bucket '${bucket}': the role needs s3:ListBucket on it`);
  return error;
}

async function headAll(
  s3: S3Site,
  keys: string[],
  concurrency: number,
  signal?: AbortSignal,
): Promise<Map<string, HeadInfo>> {
  const result = await runPool(keys, concurrency, async (key) => [key, await s3.head(key)] as const, { signal });
  if (result.failed.length > 0) throw new Error(`HEAD failed: ${describeError(result.failed[0]?.error)}`);
  const heads = new Map<string, HeadInfo>();
  for (const { value } of result.done) if (value[1]) heads.set(value[0], value[1]);
  return heads;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export type { RemoteObject };
