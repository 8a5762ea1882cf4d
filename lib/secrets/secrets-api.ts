import { DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';

/**
 * Whether secrets exist, by name: Secrets Manager's DescribeSecret reads metadata only; SSM's GetParameters is asked
 * without decryption and only the names it could not find are kept (whatever else it answers is dropped here).
 */

/** True when the secret exists; false for ResourceNotFoundException; other errors are thrown. */
export async function secretExists(client: SecretsManagerClient, secretId: string): Promise<boolean> {
  try {
    await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    return true;
  } catch (error) {
    if ((error as Error)?.name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

/** The names (or ARNs, as asked) of the parameters that do not exist, 10 per GetParameters call. */
export async function missingParameters(client: SSMClient, names: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (let i = 0; i < names.length; i += 10) {
    const response = await client.send(
      new GetParametersCommand({ Names: names.slice(i, i + 10), WithDecryption: false }),
    );
    missing.push(...(response.InvalidParameters ?? []));
  }
  return missing;
}
