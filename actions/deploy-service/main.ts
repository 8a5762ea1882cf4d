import { Inputs } from '../shared/inputs.js';
import { readAwsConfig } from '../shared/aws-config.js';

export async function run(): Promise<void> {
  const inputs = new Inputs();
  inputs.string('cluster', { required: true });
  inputs.string('service', { required: true });
  readAwsConfig(inputs);
  throw new Error('deploy-service is not implemented yet');
}
