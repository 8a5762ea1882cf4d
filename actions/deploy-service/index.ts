import { runAction } from '../shared/action.js';
import { Inputs } from '../shared/inputs.js';
import { readDeployInputs } from './inputs.js';

await runAction(
  () => readDeployInputs(new Inputs()),
  async () => (await import('./main.js')).run,
);
