import { readAwsConfig } from '../../../lib/aws/config.js';
import { errorText } from '../../../lib/runner/error-text.js';
import { readDeployInputs } from '../../../actions/deploy-service/inputs.js';
import { run } from '../../../actions/deploy-service/main.js';
import { inputsOf, NAMED_CALL, thrownBy, useHtmlEndpoint } from '../../support/html-endpoint.js';

useHtmlEndpoint();

it('an AWS answer that is not JSON reaches the log as the named call, its status and request id', async () => {
  const given = inputsOf({ cluster: 'c', service: 's', image: 'app:v2', 'max-attempts': '1' });
  const [inputs, aws] = [readDeployInputs(given), readAwsConfig(given)];
  const error = await thrownBy(() => run(inputs, { aws, signal: new AbortController().signal }));
  expect(errorText(error)).toMatch(NAMED_CALL);
  expect(errorText(error)).toMatch(/^DescribeServices failed: HTTP 500, answer was not JSON/);
});
