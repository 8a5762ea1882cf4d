import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorText } from '../../../lib/runner/error-text.js';
import { readAwsConfig } from '../../../lib/aws/config.js';
import { readFrontendInputs } from '../../../actions/deploy-frontend/inputs.js';
import { run } from '../../../actions/deploy-frontend/main.js';
import { inputsOf, NAMED_CALL, thrownBy, useHtmlEndpoint } from '../../support/html-endpoint.js';

useHtmlEndpoint();

it('an S3 answer that is an HTML page reaches the log as the named call, its status and request id', async () => {
  const site = mkdtempSync(join(tmpdir(), 'site-'));
  writeFileSync(join(site, 'index.html'), '<p>hi</p>');
  const given = inputsOf({ bucket: 'site-bucket', source: site, 'max-attempts': '1' });
  const inputs = readFrontendInputs(given);
  const error = await thrownBy(() => run(inputs, { aws: readAwsConfig(given), signal: new AbortController().signal }));
  expect(errorText(error)).toMatch(NAMED_CALL);
});
