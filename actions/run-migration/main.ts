import { Inputs } from '../shared/inputs.js';
import { readAwsConfig } from '../shared/aws-config.js';

export async function run(): Promise<void> {
  const inputs = new Inputs();
  inputs.string('cluster', { required: true });
  readAwsConfig(inputs);
  throw new Error('run-migration is not implemented yet');
}
