// The suite's actions: every folder of actions/ that holds an action.yml. The build, the tests and the bench all take
// this one list, so a new action is never silently left out of any of them.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '..', 'actions');

export const ACTIONS = readdirSync(DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(DIR, entry.name, 'action.yml')))
  .map((entry) => entry.name)
  .sort();
