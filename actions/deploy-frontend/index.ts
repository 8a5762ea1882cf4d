import { runAction } from '../shared/action.js';
import { readAwsConfig } from '../shared/aws-config.js';
import { Inputs } from '../shared/inputs.js';
import { readSettings } from './settings.js';

await runAction(
  () => {
    const inputs = new Inputs();
    return { settings: readSettings(inputs), aws: readAwsConfig(inputs) };
  },
  async () => (await import('./main.js')).run,
);
