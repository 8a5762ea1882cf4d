import { runAction } from '../shared/action.js';
import { Inputs } from '../shared/inputs.js';
import { readRollbackInputs } from './inputs.js';

await runAction(
  () => readRollbackInputs(new Inputs()),
  async () => (await import('./main.js')).run,
);
