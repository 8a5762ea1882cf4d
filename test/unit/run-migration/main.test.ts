import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { CancelledError } from '../../../lib/runner/run-action.js';
import { Inputs } from '../../../lib/runner/inputs.js';
import { readMigrationInputs } from '../../../actions/run-migration/inputs.js';
import { run } from '../../../actions/run-migration/main.js';
import { onFakeClock } from '../../support/fake-clock.js';

// The waits run on a fake clock: their pauses move it forward, nothing really sleeps.
onFakeClock();

const ecs = mockClient(ECSClient);
const logs = mockClient(CloudWatchLogsClient);
const writes: string[] = [];
let write: typeof process.stdout.write;

beforeEach(() => {
  ecs.reset();
  logs.reset();
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
  writes.length = 0;
  process.exitCode = undefined;
});

const aws = { region: 'us-east-1', maxAttempts: 1, retryMode: 'standard' as const };
const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task/c/abc';

/** A task definition whose container logs with awslogs, and a RunTask that starts the task. */
function givenAwslogsTask(): void {
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/migrate:3',
      family: 'migrate',
      revision: 3,
      networkMode: 'bridge',
      containerDefinitions: [
        {
          name: 'migration',
          image: 'repo/app:1',
          essential: true,
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/migrations', 'awslogs-stream-prefix': 'ecs' },
          },
        },
      ],
    },
  });
  ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn, lastStatus: 'PROVISIONING' }] });
}

const stoppedTask = (exitCode: number) => ({
  taskArn,
  lastStatus: 'STOPPED',
  containers: [{ name: 'migration', exitCode, lastStatus: 'STOPPED' }],
});

it('cancelled before RunTask: nothing is registered or run, and the cancellation is what fails the step', async () => {
  const values: Record<string, string> = { cluster: 'c', 'task-definition': 'migrate', image: 'repo/app:2' };
  const inputs = readMigrationInputs(new Inputs((name) => values[name] ?? ''));
  const cancel = new AbortController();
  cancel.abort(new CancelledError('SIGTERM'));
  await expect(run(inputs, { aws, signal: cancel.signal })).rejects.toBeInstanceOf(CancelledError);
  expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(1);
  expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
});

it('a log read error that lasts is warned about once in the whole run, across waiting, stopping and draining', async () => {
  givenAwslogsTask();
  const values: Record<string, string> = {
    cluster: 'c',
    'task-definition': 'migrate',
    'timeout-minutes': '0.01',
    'poll-interval-seconds': '0.05',
  };
  const inputs = readMigrationInputs(new Inputs((name) => values[name] ?? ''));
  let describesAfterStop: number | undefined;
  ecs.on(StopTaskCommand).callsFake(() => {
    describesAfterStop = 0;
    return {};
  });
  ecs.on(DescribeTasksCommand).callsFake(() => {
    if (describesAfterStop !== undefined && ++describesAfterStop > 3) return { tasks: [stoppedTask(143)] };
    return { tasks: [{ taskArn, lastStatus: 'RUNNING' }] };
  });
  logs.on(GetLogEventsCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));

  await run(inputs, { aws, signal: new AbortController().signal });

  expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(1);
  expect(logs.commandCalls(GetLogEventsCommand).length).toBeGreaterThan(5);
  expect(writes.filter((line) => line.includes("Reading the task's logs failed"))).toHaveLength(1);
});

it('stream-logs false: a run that succeeds reads no log lines', async () => {
  givenAwslogsTask();
  const values: Record<string, string> = { cluster: 'c', 'task-definition': 'migrate', 'stream-logs': 'false' };
  const inputs = readMigrationInputs(new Inputs((name) => values[name] ?? ''));
  ecs.on(DescribeTasksCommand).resolves({ tasks: [stoppedTask(0)] });

  await run(inputs, { aws, signal: new AbortController().signal });

  expect(process.exitCode).toBeUndefined();
  expect(logs.commandCalls(GetLogEventsCommand)).toHaveLength(0);
});
