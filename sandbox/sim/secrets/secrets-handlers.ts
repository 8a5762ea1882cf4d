import { AwsError } from '../core/errors.js';
import type { Handler } from '../model.js';
import type { SecretStore } from './secret-store.js';

/** Secrets Manager over AWS JSON 1.1, metadata only: DescribeSecret never answers a value. */
export function secretsManagerApi(store: SecretStore): Record<string, Handler> {
  return {
    DescribeSecret(input) {
      const id = String((input as { SecretId?: string }).SecretId ?? '');
      const arn = store.findSecret(id);
      if (!arn) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      const name = /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(arn)?.[1] ?? arn;
      return { ARN: arn, Name: name, CreatedDate: Date.now() / 1000, VersionIdsToStages: {} };
    },
  };
}
