import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { AwsClientConfig } from '../../lib/aws/config.js';
import { withNamedCalls } from '../../lib/aws/aws-errors.js';

export function createCloudFrontClient(config: AwsClientConfig): CloudFrontClient {
  return withNamedCalls(
    new CloudFrontClient({ region: config.region, maxAttempts: config.maxAttempts, retryMode: config.retryMode }),
  );
}

/** Starts an invalidation and returns its id (CloudFront finishes it on its own; waiting is optional). */
export async function createInvalidation(
  client: CloudFrontClient,
  distributionId: string,
  paths: string[],
  callerReference: string,
  signal?: AbortSignal,
): Promise<string> {
  const out = await client.send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
    }),
    { abortSignal: signal },
  );
  const id = out.Invalidation?.Id;
  if (!id) throw new Error(`CloudFront accepted the invalidation of ${distributionId} but returned no id`);
  return id;
}

/** An invalidation's status: `InProgress` or `Completed`. */
export async function invalidationStatus(
  client: CloudFrontClient,
  distributionId: string,
  id: string,
  signal?: AbortSignal,
): Promise<string> {
  const out = await client.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }), {
    abortSignal: signal,
  });
  return out.Invalidation?.Status ?? 'unknown';
}
