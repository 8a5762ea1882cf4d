import { runAction } from '../shared/action.js';
import { readAwsConfig } from '../shared/aws-config.js';
import { Inputs } from '../shared/inputs.js';
import { readMigrationInputs } from './inputs.js';

await runAction(
  () => {
    const inputs = new Inputs();
    return { inputs: readMigrationInputs(inputs), aws: readAwsConfig(inputs) };
  },
  async () => (await import('./main.js')).run,
);
