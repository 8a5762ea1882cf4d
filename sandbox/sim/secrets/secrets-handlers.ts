import { AwsError } from '../core/errors.js';
import type { Json } from '../core/json.js';
import { epochSeconds } from '../core/ids.js';
import type { Handler } from '../model.js';
import type { SecretStore } from './secret-store.js';

/**
 * Secrets Manager (target prefix `secretsmanager`) and SSM Parameter Store (`AmazonSSM`), JSON 1.1, as far as a deploy
 * check reads them: DescribeSecret (metadata, no value) and GetParameters. GetParameters answers every parameter as
 * a SecureString read without decryption (an opaque ciphertext), so no API of the sandbox ever serves a value.
 */

export function secretsManagerApi(store: SecretStore, createdAt: number): Record<string, Handler> {
  return {
    DescribeSecret(input) {
      const id = String(input.SecretId ?? '');
      const found = id ? store.findSecret(id) : undefined;
      if (!found) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return {
        ARN: found.arn,
        Name: found.name,
        LastChangedDate: epochSeconds(createdAt),
        CreatedDate: epochSeconds(createdAt),
        VersionIdsToStages: { '00000000-0000-4000-8000-000000000001': ['AWSCURRENT'] },
      };
    },
  };
}

export function ssmApi(store: SecretStore, createdAt: number): Record<string, Handler> {
  return {
    GetParameters(input) {
      const names = (input.Names ?? []) as string[];
      if (names.length === 0 || names.length > 10) {
        throw new AwsError(
          'ValidationException',
          `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1`,
        );
      }
      const parameters: Json[] = [];
      const invalid: string[] = [];
      for (const name of names) {
        const found = store.findParameter(name);
        if (!found) {
          invalid.push(name);
          continue;
        }
        parameters.push({
          Name: found.name,
          Type: 'SecureString',
          Value: `AQICAH${Buffer.from(found.arn).toString('base64').slice(0, 40)}`,
          Version: 1,
          LastModifiedDate: epochSeconds(createdAt),
          ARN: found.arn,
          DataType: 'text',
        });
      }
      return { Parameters: parameters, InvalidParameters: invalid };
    },
  };
}
