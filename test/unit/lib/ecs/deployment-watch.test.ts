import { jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Deployment,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { failureEvidence } from '../../../../lib/ecs/failure-evidence.js';
import { watchDeployment } from '../../../../lib/ecs/deployment-watch.js';
import type { WatchResult } from '../../../../lib/ecs/watch-result.js';
import { waitForIdle } from '../../../../actions/deploy-service/wait-for-idle.js';
import type { TaskDefinitionJson } from '../../../../lib/ecs/task-definitions.js';
import { onFakeClock } from '../../../support/fake-clock.js';

// The waits run on a fake clock: their pauses move it forward, nothing really sleeps.
onFakeClock();

const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';
const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4';
const created = new Date(Date.now() - 1000);
const definition: TaskDefinitionJson = {
  family: 'web',
  containerDefinitions: [
    {
      name: 'app',
      image: 'app:2',
      essential: true,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' },
      },
    },
  ],
};

function snapshot(
  ours: Partial<Deployment>,
  extra: Deployment[] = [],
  events: Service['events'] = [],
): { services: Service[] } {
  return {
    services: [
      {
        serviceName: 'web',
        status: 'ACTIVE',
        taskDefinition: NEW,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        deployments: [
          ...extra,
          {
            id: 'ecs-svc/1',
            status: 'PRIMARY',
            taskDefinition: NEW,
            desiredCount: 2,
            runningCount: 0,
            pendingCount: 0,
            failedTasks: 0,
            rolloutState: 'IN_PROGRESS',
            createdAt: created,
            ...ours,
          },
        ],
        events,
      },
    ],
  };
}

function stoppedTask(id: string, exitCode: number): Task & { taskArn: string } {
  return {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/c/${id}`,
    taskDefinitionArn: NEW,
    startedBy: 'ecs-svc/1',
    lastStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    createdAt: new Date(),
    containers: [{ name: 'app', exitCode, lastStatus: 'STOPPED' }],
  };
}

const ecsMock = mockClient(ECSClient);
const logsMock = mockClient(CloudWatchLogsClient);
const clients = () => ({
  ecs: new ECSClient({ region: 'us-east-1' }),
  logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
});
const base = {
  cluster: 'c',
  service: 'web',
  deploymentId: 'ecs-svc/1',
  pollSeconds: 0.01,
  previousTaskDefinition: OLD,
};

beforeEach(() => {
  ecsMock.reset();
  logsMock.reset();
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

it('completes with one DescribeServices per poll, printing each event once and no task calls', async () => {
  const event = { id: 'e1', createdAt: new Date(), message: '(service web) has started 2 tasks: (task a) (task b).' };
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce(snapshot({ pendingCount: 2 }, [], [event]))
    .resolvesOnce(snapshot({ runningCount: 1, pendingCount: 1 }, [], [event]))
    .resolves(snapshot({ runningCount: 2, rolloutState: 'COMPLETED' }, [], [event]));
  const result = await watchDeployment(clients(), { ...base, timeoutSeconds: 5 });
  expect(result.status).toBe('COMPLETED');
  expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(3);
  expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(0);
  expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0);
  expect(result.timeline.filter((e) => e.kind === 'event').map((e) => e.text)).toEqual([event.message]);
  expect(result.timeline.filter((e) => e.kind === 'progress').map((e) => e.text)).toEqual([
    '0/2 running, 2 pending, 0 failed · rollout IN_PROGRESS',
    '1/2 running, 1 pending, 0 failed · rollout IN_PROGRESS',
    '2/2 running, 0 pending, 0 failed · rollout COMPLETED',
  ]);
});

it('describes each newly stopped task once, detects the rollback, and fetches the crashed task log lines', async () => {
  const rollback: Deployment = { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: OLD, rolloutState: 'IN_PROGRESS' };
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce(snapshot({ failedTasks: 1 }))
    .resolvesOnce(snapshot({ failedTasks: 1 }))
    .resolves(snapshot({ failedTasks: 3, rolloutState: 'FAILED', status: 'ACTIVE' }, [rollback]));
  const t1 = stoppedTask('t1', 1);
  const t2 = stoppedTask('t2', 1);
  ecsMock
    .on(ListTasksCommand)
    .resolvesOnce({ taskArns: [t1.taskArn] })
    .resolves({ taskArns: [t1.taskArn, t2.taskArn] });
  ecsMock.on(DescribeTasksCommand, { tasks: [t1.taskArn] }).resolves({ tasks: [t1] });
  ecsMock.on(DescribeTasksCommand, { tasks: [t2.taskArn] }).resolves({ tasks: [t2] });
  logsMock.on(GetLogEventsCommand).resolves({ events: [{ message: 'Traceback\n' }, { message: 'ImportError: boom' }] });

  const result = await watchDeployment(clients(), { ...base, timeoutSeconds: 5, taskDefinition: definition });

  expect(result.status).toBe('ROLLED_BACK');
  expect(result.rollbackDeploymentId).toBe('ecs-svc/2');
  expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(3);
  const described = ecsMock.commandCalls(DescribeTasksCommand).flatMap((call) => call.args[0].input.tasks);
  expect(described).toEqual([t1.taskArn, t2.taskArn]);
  expect(result.stoppedTasks.map((t) => t.taskId)).toEqual(['t1', 't2']);
  expect(result.stoppedTasks[0]?.lines[0]).toBe(
    'Task t1 stopped (EssentialContainerExited): Essential container in task exited',
  );
  expect(result.failedTaskLogs).toEqual({
    taskId: 't1',
    container: 'app',
    group: '/ecs/web',
    stream: 'ecs/app/t1',
    lines: ['Traceback', 'ImportError: boom'],
  });
});

it('times out with the last counts', async () => {
  ecsMock.on(DescribeServicesCommand).resolves(snapshot({ runningCount: 1, pendingCount: 1 }));
  const result = await watchDeployment(clients(), { ...base, pollSeconds: 0.05, timeoutSeconds: 0.2 });
  expect(result.status).toBe('TIMED_OUT');
  expect(result.reason).toMatch(
    /did not finish within 0.2s \(1\/2 running, 1 pending, 0 failed · rollout IN_PROGRESS\)/,
  );
});

it('waits for an in-flight deployment before returning the idle service', async () => {
  const other = snapshot({ id: 'ecs-svc/0', runningCount: 1 });
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce(other)
    .resolvesOnce(other)
    .resolves(snapshot({ id: 'ecs-svc/0', runningCount: 2, rolloutState: 'COMPLETED' }));
  const idle = await waitForIdle(clients(), { cluster: 'c', service: 'web', timeoutSeconds: 5, pollSeconds: 0.01 });
  expect(idle.waitedFor).toBe('ecs-svc/0');
  expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(3);
});

it('describes stopped tasks when an event reports a failed task, even if the failed count did not rise', async () => {
  const unplaced = {
    id: 'e2',
    createdAt: new Date(),
    message: '(service web) was unable to place a task. Reason: CannotPullContainerError: pull failed.',
  };
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce(snapshot({ pendingCount: 2 }))
    .resolvesOnce(snapshot({ pendingCount: 2 }, [], [unplaced]))
    .resolves(snapshot({ runningCount: 2, rolloutState: 'COMPLETED' }, [], [unplaced]));
  const t1 = stoppedTask('t1', 0);
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [t1.taskArn] });
  ecsMock.on(DescribeTasksCommand).resolves({ tasks: [t1] });
  const result = await watchDeployment(clients(), { ...base, timeoutSeconds: 5 });
  expect(result.status).toBe('COMPLETED');
  expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(1);
  expect(result.stoppedTasks.map((t) => t.taskId)).toEqual(['t1']);
});

it('makes no task calls when a healthy rollout stops the old tasks', async () => {
  const events = [
    { id: 'e1', createdAt: new Date(), message: '(service web) has started 1 tasks: (task new1).' },
    { id: 'e2', createdAt: new Date(), message: '(service web) has stopped 1 running tasks: (task old1).' },
  ];
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce(snapshot({ runningCount: 1, pendingCount: 1 }, [], events))
    .resolves(snapshot({ runningCount: 2, rolloutState: 'COMPLETED' }, [], events));
  const result = await watchDeployment(clients(), { ...base, timeoutSeconds: 5 });
  expect(result.status).toBe('COMPLETED');
  expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(0);
});

it('describes again when the consecutive failed count drops and rises back to the same value', async () => {
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce(snapshot({ failedTasks: 1 }))
    .resolvesOnce(snapshot({ failedTasks: 0, runningCount: 1 }))
    .resolvesOnce(snapshot({ failedTasks: 1, runningCount: 1 }))
    .resolves(snapshot({ runningCount: 2, rolloutState: 'COMPLETED' }));
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  await watchDeployment(clients(), { ...base, timeoutSeconds: 5 });
  expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(2);
});

it('stops at the given deadline and names the step timeout', async () => {
  ecsMock.on(DescribeServicesCommand).resolves(snapshot({ pendingCount: 2 }));
  const started = Date.now();
  const result = await watchDeployment(clients(), {
    ...base,
    pollSeconds: 0.05,
    timeoutSeconds: 600,
    deadline: new Date(Date.now() + 150),
  });
  expect(result.status).toBe('TIMED_OUT');
  expect(Date.now() - started).toBeLessThan(10_000); // not the wait it would do without the deadline (a busy-machine margin)
  expect(result.reason).toMatch(/did not finish within 10m /);
});

describe('how a watch ends, from what its polls show', () => {
  const newer: Deployment = { id: 'ecs-svc/9', status: 'PRIMARY', taskDefinition: NEW, rolloutState: 'IN_PROGRESS' };
  const rollback: Deployment = { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: OLD, rolloutState: 'IN_PROGRESS' };
  const noRollback = ({ services }: { services: Service[] }) => ({
    services: services.map((s) => ({
      ...s,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    })),
  });
  const gone = (services: Service[]) => ({ services: services.map((s) => ({ ...s, deployments: [newer] })) });
  it.each<[string, Array<{ services: Service[] }>, Partial<WatchResult>]>([
    [
      'in progress, then completed',
      [snapshot({ pendingCount: 2 }), snapshot({ runningCount: 2, rolloutState: 'COMPLETED' })],
      { status: 'COMPLETED' },
    ],
    [
      'in progress, then failed (the circuit breaker does not roll back)',
      [snapshot({ pendingCount: 2 }), noRollback(snapshot({ failedTasks: 3, rolloutState: 'FAILED' }))],
      { status: 'FAILED', reason: 'deployment failed' },
    ],
    [
      'failed, with ECS rolling back to the previous revision',
      [snapshot({ failedTasks: 3, rolloutState: 'FAILED', status: 'ACTIVE' }, [rollback])],
      { status: 'ROLLED_BACK', rollbackDeploymentId: 'ecs-svc/2' },
    ],
    [
      'replaced by a deployment that is not a rollback',
      [snapshot({ pendingCount: 1 }), gone(snapshot({}).services)],
      { status: 'FAILED', replacedBy: 'ecs-svc/9' },
    ],
    [
      'the service deleted',
      [snapshot({ pendingCount: 1 }), { services: [] }],
      { status: 'FAILED', reason: 'service web no longer exists' },
    ],
    ['still in progress at the timeout', [snapshot({ runningCount: 1, pendingCount: 1 })], { status: 'TIMED_OUT' }],
  ])('%s', async (_name, polls, expected) => {
    const describe = ecsMock.on(DescribeServicesCommand);
    for (const answer of polls.slice(0, -1)) describe.resolvesOnce(answer);
    describe.resolves(polls[polls.length - 1]!);
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    const result = await watchDeployment(clients(), { ...base, pollSeconds: 1, timeoutSeconds: 30 });
    expect(result).toMatchObject(expected);
    if (expected.status !== 'TIMED_OUT')
      expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(polls.length);
  });
});

describe('failureEvidence', () => {
  const stoppedTask = (n: number) => ({
    taskArn: `t${n}`,
    taskId: `t${n}`,
    at: new Date(0),
    lines: [`task t${n} stopped`],
  });
  const result = (fields: Partial<WatchResult>): WatchResult => ({
    status: 'FAILED',
    deploymentId: 'ecs-svc/1',
    timeline: [],
    stoppedTasks: [],
    startedAt: new Date(0),
    finishedAt: new Date(0),
    ...fields,
  });

  it('shows the first three stopped tasks, counts the rest, then the log lines and what followed', () => {
    const watch = result({
      stoppedTasks: [1, 2, 3, 4, 5].map(stoppedTask),
      failedTaskLogs: { taskId: 't1', container: 'app', group: 'g', stream: 's', lines: ['ImportError: x'] },
    });
    expect(failureEvidence(watch, ['Rolled back to web:3'])).toBe(
      [
        'task t1 stopped',
        'task t2 stopped',
        'task t3 stopped',
        '(2 more stopped tasks in the job summary)',
        '',
        'Last log lines of task t1 (app):',
        'ImportError: x',
        '',
        'Rolled back to web:3',
      ].join('\n'),
    );
  });

  it('is undefined when there is nothing to show', () => {
    expect(failureEvidence(result({}))).toBeUndefined();
  });
});
