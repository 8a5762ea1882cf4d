import { runAction } from '../shared/action.js';
import { run } from './main.js';

await runAction(run);
