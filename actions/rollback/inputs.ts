import { InputError, type Inputs } from '../shared/inputs.js';
import { readAwsConfig, type AwsClientConfig } from '../shared/aws-config.js';
import { isHttpUrl } from '../shared/health-check.js';
import { parseRollbackTo, type RollbackTo } from '../shared/rollback-target.js';

/** Every input of rollback, read and validated before any AWS call (same ranges as deploy-service). */
export interface RollbackInputs {
  cluster: string;
  service: string;
  to: RollbackTo;
  /** The `to` input as given, for messages. */
  toText: string;
  wait: boolean;
  timeoutSeconds: number;
  pollSeconds: number;
  healthCheck?: { url: string; timeoutSeconds: number };
  dryRun: boolean;
  aws: AwsClientConfig;
}

export function readRollbackInputs(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): RollbackInputs {
  const cluster = inputs.string('cluster', { required: true });
  const service = inputs.string('service', { required: true });
  const toText = inputs.string('to', { default: 'previous' });
  const to = parseRollbackTo(toText);
  const wait = inputs.boolean('wait', true);
  const timeoutMinutes = inputs.number('timeout-minutes', { min: 0.01, max: 720, default: 30 });
  const pollSeconds = inputs.number('poll-interval-seconds', { min: 0.05, max: 300, default: 5 });
  const healthUrl = inputs.optionalString('health-check-url');
  const healthTimeout = inputs.number('health-check-timeout-seconds', { min: 1, max: 3600, default: 120 });
  const dryRun = inputs.boolean('dry-run', false);
  const aws = readAwsConfig(inputs, env);
  if (healthUrl && !isHttpUrl(healthUrl)) {
    throw new InputError(`Input 'health-check-url' must be an http:// or https:// URL, got '${healthUrl}'`);
  }
  return {
    cluster,
    service,
    to,
    toText,
    wait,
    timeoutSeconds: timeoutMinutes * 60,
    pollSeconds,
    healthCheck: healthUrl ? { url: healthUrl, timeoutSeconds: healthTimeout } : undefined,
    dryRun,
    aws,
  };
}
