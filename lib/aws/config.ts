import { InputError, type Inputs } from '../runner/inputs.js';

/** What every AWS client of this suite is built with. Endpoints come from the SDK's own AWS_ENDPOINT_URL(_<SERVICE>). */
export interface AwsClientConfig {
  region: string;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
}

export function readAwsConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): AwsClientConfig {
  const region = inputs.optionalString('aws-region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new InputError(
      `Input 'aws-region' is not set and neither AWS_REGION nor AWS_DEFAULT_REGION is in the environment`,
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new InputError(`Input 'aws-region' must look like 'us-east-1', got '${region}'`);
  }
  return {
    region,
    maxAttempts: inputs.number('max-attempts', { min: 1, max: 20, default: 5, integer: true }),
    retryMode: inputs.choice('retry-mode', ['standard', 'adaptive'] as const, 'adaptive'),
  };
}
