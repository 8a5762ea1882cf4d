import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { CancelledError } from '../../../actions/shared/action.js';
import { Inputs } from '../../../actions/shared/inputs.js';
import { readMigrationInputs } from '../../../actions/run-migration/inputs.js';
import { run } from '../../../actions/run-migration/main.js';

const ecs = mockClient(ECSClient);
const writes: string[] = [];
let write: typeof process.stdout.write;

beforeEach(() => {
  ecs.reset();
  ecs.on(DescribeClustersCommand).resolves({ clusters: [{ status: 'ACTIVE' }] });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/migrate:3',
      family: 'migrate',
      revision: 3,
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'migration', image: 'repo/app:1', essential: true }],
    },
  });
  write = process.stdout.write;
  process.stdout.write = ((chunk: string) => writes.push(chunk) > 0) as typeof process.stdout.write;
});
afterEach(() => {
  process.stdout.write = write;
});

it('cancelled before RunTask: nothing is registered or run, and the cancellation is what fails the step', async () => {
  const values: Record<string, string> = { cluster: 'c', 'task-definition': 'migrate', image: 'repo/app:2' };
  const inputs = readMigrationInputs(new Inputs((name) => values[name] ?? ''));
  const cancel = new AbortController();
  cancel.abort(new CancelledError('SIGTERM'));
  const aws = { region: 'us-east-1', maxAttempts: 1, retryMode: 'standard' as const };
  await expect(run({ inputs, aws }, cancel.signal)).rejects.toBeInstanceOf(CancelledError);
  expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(1);
  expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
});
