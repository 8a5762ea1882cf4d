import { readAwsConfig } from '../../../../lib/aws/config.js';
import { Inputs } from '../../../../lib/runner/inputs.js';

const inputsOf = (values: Record<string, string>) => new Inputs((name) => values[name] ?? '');

describe('readAwsConfig', () => {
  it('prefers the aws-region input, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' };
    expect(readAwsConfig(inputsOf({ 'aws-region': 'us-east-1' }), env).region).toBe('us-east-1');
    expect(readAwsConfig(inputsOf({}), env).region).toBe('eu-west-1');
    expect(readAwsConfig(inputsOf({}), { AWS_DEFAULT_REGION: 'us-west-2' }).region).toBe('us-west-2');
  });

  it('fails naming the input when no region is known or it is malformed', () => {
    expect(() => readAwsConfig(inputsOf({}), {})).toThrow(/Input 'aws-region' is not set/);
    expect(() => readAwsConfig(inputsOf({ 'aws-region': 'mars' }), {})).toThrow(
      "Input 'aws-region' must look like 'us-east-1', got 'mars'",
    );
  });

  it('reads retries with bounds and defaults', () => {
    const env = { AWS_REGION: 'us-east-1' };
    expect(readAwsConfig(inputsOf({}), env)).toEqual({ region: 'us-east-1', maxAttempts: 5, retryMode: 'adaptive' });
    expect(readAwsConfig(inputsOf({ 'max-attempts': '10', 'retry-mode': 'standard' }), env).maxAttempts).toBe(10);
    expect(() => readAwsConfig(inputsOf({ 'max-attempts': '0' }), env)).toThrow(
      "Input 'max-attempts' must be a whole number between 1 and 20, got '0'",
    );
  });
});
