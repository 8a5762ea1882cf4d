import { readAwsConfig } from '../../lib/aws/config.js';
import { Inputs } from '../../lib/runner/inputs.js';
import { runAction } from '../../lib/runner/run-action.js';
import { readCheckSetupInputs } from './inputs.js';
import { isAwsScope } from './scopes.js';

await runAction(
  () => {
    const inputs = new Inputs();
    const checked = readCheckSetupInputs(inputs);
    return { inputs: checked, aws: isAwsScope(checked.scope) ? readAwsConfig(inputs) : undefined };
  },
  async () => (await import('./main.js')).run,
);
