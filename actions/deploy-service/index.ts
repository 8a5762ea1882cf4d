import { Inputs } from '../../lib/runner/inputs.js';
import { runAction } from '../../lib/runner/run-action.js';
import { readDeployInputs } from './inputs.js';

await runAction(
  () => {
    const inputs = readDeployInputs(new Inputs());
    return { inputs, aws: inputs.aws };
  },
  async () => (await import('./main.js')).run,
);
