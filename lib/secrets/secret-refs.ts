/**
 * What a container's secret reference (`secrets[].valueFrom`) points at, as ECS reads it: a Secrets Manager ARN
 * (optionally followed by `:json-key:version-stage:version-id`), an SSM parameter ARN, or else the name of an SSM
 * parameter in the task's own region. Pure; only names and ARNs, never a value.
 */

export type SecretRef =
  | { store: 'secretsmanager'; region: string; secretId: string; resourceArn: string }
  | { store: 'ssm'; region: string; parameter: string; resourceArn?: string };

const SECRETS_MANAGER = /^(arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:[^:]+)(?::.*)?$/;
const SSM_PARAMETER = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):\d{12}:parameter\/.+$/;

export function secretRef(valueFrom: string, taskRegion: string): SecretRef {
  const secret = SECRETS_MANAGER.exec(valueFrom);
  if (secret) {
    const [, secretId, region] = secret as unknown as [string, string, string];
    // A policy grants on the secret's ARN with its random suffix; `-??????` matches it when the reference has none.
    const resourceArn = /-[A-Za-z0-9]{6}$/.test(secretId) ? secretId : `${secretId}-??????`;
    return { store: 'secretsmanager', region, secretId, resourceArn };
  }
  const parameter = SSM_PARAMETER.exec(valueFrom);
  if (parameter) return { store: 'ssm', region: parameter[1] as string, parameter: valueFrom, resourceArn: valueFrom };
  return { store: 'ssm', region: taskRegion, parameter: valueFrom };
}
