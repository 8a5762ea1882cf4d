import { errorText } from '../../../lib/runner/error-text.js';
import { readAwsConfig } from '../../../lib/aws/config.js';
import { readMigrationInputs } from '../../../actions/run-migration/inputs.js';
import { run } from '../../../actions/run-migration/main.js';
import { inputsOf, NAMED_CALL, thrownBy, useHtmlEndpoint } from '../../support/html-endpoint.js';

useHtmlEndpoint();

it('an AWS answer that is not JSON reaches the log as the named call, its status and request id', async () => {
  const given = inputsOf({ cluster: 'c', service: 's', 'max-attempts': '1' });
  const inputs = readMigrationInputs(given);
  const error = await thrownBy(() => run(inputs, { aws: readAwsConfig(given), signal: new AbortController().signal }));
  expect(errorText(error)).toMatch(NAMED_CALL);
  expect(errorText(error)).toMatch(/answer was not JSON/);
});
