import { readAwsConfig } from '../../lib/aws/config.js';
import { Inputs } from '../../lib/runner/inputs.js';
import { runAction } from '../../lib/runner/run-action.js';
import { readRollbackInputs } from './inputs.js';

await runAction(
  () => {
    const inputs = new Inputs();
    return { inputs: readRollbackInputs(inputs), aws: readAwsConfig(inputs) };
  },
  async () => (await import('./main.js')).run,
);
