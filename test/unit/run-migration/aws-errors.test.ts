import { jest } from '@jest/globals';
import { errorText } from '../../../lib/runner/error-text.js';
import { readAwsConfig } from '../../../lib/aws/config.js';
import { readMigrationInputs } from '../../../actions/run-migration/inputs.js';
import { run } from '../../../actions/run-migration/main.js';
import { inputsOf, NAMED_CALL, startHtmlEndpoint, thrownBy, type HtmlEndpoint } from '../../support/html-endpoint.js';

let endpoint: HtmlEndpoint;
beforeEach(async () => {
  endpoint = await startHtmlEndpoint();
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  jest.restoreAllMocks();
  await endpoint.stop();
});

it('an AWS answer that is not JSON reaches the log as the named call, its status and request id', async () => {
  const given = inputsOf({ cluster: 'c', service: 's', 'max-attempts': '1' });
  const inputs = readMigrationInputs(given);
  const error = await thrownBy(() => run(inputs, { aws: readAwsConfig(given), signal: new AbortController().signal }));
  expect(errorText(error)).toMatch(NAMED_CALL);
  expect(errorText(error)).toMatch(/answer was not JSON/);
});
