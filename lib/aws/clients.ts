import { ECSClient } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { withNamedCalls } from './aws-errors.js';
import type { AwsClientConfig } from './config.js';

/** Clients use the default credential chain (OIDC via configure-aws-credentials) and the SDK's endpoint settings. */
export function ecsClient(config: AwsClientConfig): ECSClient {
  return withNamedCalls(new ECSClient({ ...config }));
}

export function logsClient(config: AwsClientConfig): CloudWatchLogsClient {
  return withNamedCalls(new CloudWatchLogsClient({ ...config }));
}

/** The read-only clients a pre-deploy check needs, one per service and region (a reference may name another region). */
export interface RegionalClients {
  ecr(region: string): ECRClient;
  secretsManager(region: string): SecretsManagerClient;
  ssm(region: string): SSMClient;
  logs(region: string): CloudWatchLogsClient;
}

export function regionalClients(config: AwsClientConfig): RegionalClients {
  const made = new Map<string, unknown>();
  const once = <C>(key: string, make: () => C): C => {
    if (!made.has(key)) made.set(key, make());
    return made.get(key) as C;
  };
  return {
    ecr: (region) => once(`ecr ${region}`, () => withNamedCalls(new ECRClient({ ...config, region }))),
    secretsManager: (region) =>
      once(`secretsmanager ${region}`, () => withNamedCalls(new SecretsManagerClient({ ...config, region }))),
    ssm: (region) => once(`ssm ${region}`, () => withNamedCalls(new SSMClient({ ...config, region }))),
    logs: (region) => once(`logs ${region}`, () => logsClient({ ...config, region })),
  };
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
