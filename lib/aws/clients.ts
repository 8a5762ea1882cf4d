import { ECSClient } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { withNamedCalls } from './aws-errors.js';
import type { AwsClientConfig } from './config.js';

/** Clients use the default credential chain (OIDC via configure-aws-credentials) and the SDK's endpoint settings. */
export function ecsClient(config: AwsClientConfig): ECSClient {
  return withNamedCalls(new ECSClient({ ...config }));
}

export function logsClient(config: AwsClientConfig): CloudWatchLogsClient {
  return withNamedCalls(new CloudWatchLogsClient({ ...config }));
}

/** When the current credentials expire, if the provider says (temporary credentials do). */
export async function credentialsExpiry(client: ECSClient): Promise<Date | undefined> {
  try {
    const credentials = await client.config.credentials();
    return credentials.expiration;
  } catch {
    return undefined;
  }
}
