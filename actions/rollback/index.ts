import { Inputs } from '../../lib/runner/inputs.js';
import { runAction } from '../../lib/runner/run-action.js';
import { readRollbackInputs } from './inputs.js';

await runAction(
  () => {
    const inputs = readRollbackInputs(new Inputs());
    return { inputs, aws: inputs.aws };
  },
  async () => (await import('./main.js')).run,
);
