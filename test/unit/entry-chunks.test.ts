import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';
import { ACTIONS } from '../../scripts/actions.mjs';

/**
 * Every input is checked before the heavy modules load: a bundle's entry file must not carry @actions/core (and with it
 * its HTTP client) or the AWS SDK, which belong in the chunks imported once the inputs are valid.
 */
const HEAVY = [
  ['@actions/core', 'ACTIONS_ID_TOKEN_REQUEST_URL'],
  ['the AWS SDK', 'x-amz-user-agent'],
];

describe.each(ACTIONS)('dist/%s/index.js', (action) => {
  const entry = readFileSync(join(REPO_ROOT, 'dist', action, 'index.js'), 'utf8');
  test.each(HEAVY)('does not bundle %s in the entry file', (_name, marker) => {
    expect(entry.includes(marker)).toBe(false);
  });
});
