import { readAwsConfig } from '../../../lib/aws/config.js';
import { errorText } from '../../../lib/runner/error-text.js';
import { readRollbackInputs } from '../../../actions/rollback/inputs.js';
import { run } from '../../../actions/rollback/main.js';
import { inputsOf, NAMED_CALL, thrownBy, useHtmlEndpoint } from '../../support/html-endpoint.js';

useHtmlEndpoint();

it('an AWS answer that is not JSON reaches the log as the named call, its status and request id', async () => {
  const given = inputsOf({ cluster: 'c', service: 's', 'max-attempts': '1' });
  const [inputs, aws] = [readRollbackInputs(given), readAwsConfig(given)];
  const error = await thrownBy(() => run(inputs, { aws, signal: new AbortController().signal }));
  expect(errorText(error)).toMatch(NAMED_CALL);
  expect(errorText(error)).toMatch(/^DescribeServices failed: HTTP 500, answer was not JSON/);
});
