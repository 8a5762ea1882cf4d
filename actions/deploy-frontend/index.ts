import { readAwsConfig } from '../../lib/aws/config.js';
import { Inputs } from '../../lib/runner/inputs.js';
import { runAction } from '../../lib/runner/run-action.js';
import { isCheckOnly, readCheckInputs, readFrontendInputs } from './inputs.js';

const inputs = new Inputs();
if (isCheckOnly(inputs)) {
  // The pull-request check: two folders compared, no AWS setting read and no AWS SDK loaded.
  await runAction(
    () => ({ inputs: readCheckInputs(inputs), aws: undefined }),
    async () => (await import('./check-main.js')).run,
  );
} else {
  await runAction(
    () => ({ inputs: readFrontendInputs(inputs), aws: readAwsConfig(inputs) }),
    async () => (await import('./main.js')).run,
  );
}
