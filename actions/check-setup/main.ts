import type { AwsClientConfig } from '../../lib/aws/config.js';
import type { StoryContext } from '../../lib/runner/run-action.js';
import { SetupReader } from './aws-api.js';
import type { CheckItem } from './checklist.js';
import { checkAws } from './check-aws.js';
import { checkGithub } from './check-github.js';
import { getHealth } from './health-api.js';
import { checkHealth } from './health-checks.js';
import type { CheckSetupInputs } from './inputs.js';
import { finish, printItem, started } from './log.js';
import { isAwsScope, SCOPE_SPECS } from './scopes.js';

/**
 * Checks one scope's prerequisites with read-only calls: the AWS resources and permissions of a workflow's role, or
 * the GitHub settings of a repository's callers; then the live health path when given. Prints each line as it is
 * decided, writes the checklist with its fixes to the job summary, and fails the step when a required one is missing.
 */
export async function run(
  inputs: CheckSetupInputs,
  { aws, signal }: StoryContext<AwsClientConfig | undefined>,
): Promise<void> {
  const items: CheckItem[] = [];
  const onItem = (item: CheckItem) => {
    items.push(item);
    printItem(item);
  };
  if (isAwsScope(inputs.scope) && aws) {
    const spec = SCOPE_SPECS[inputs.scope];
    started(inputs.scope, `role ${inputs.aws.roleArn ?? '(not given)'}, region ${aws.region}`);
    const reader = new SetupReader(aws);
    try {
      await checkAws({ reader, settings: inputs.aws, spec, region: aws.region, onItem });
    } finally {
      reader.destroy();
    }
  } else {
    started('github', `repository ${inputs.github.repository}`);
    await checkGithub({ settings: inputs.github, onItem, signal });
  }
  if (inputs.healthCheckUrl) {
    onItem(checkHealth(inputs.healthCheckUrl, await getHealth(inputs.healthCheckUrl, signal), inputs.aws.targetGroup));
  }
  await finish(inputs.scope, items);
}
