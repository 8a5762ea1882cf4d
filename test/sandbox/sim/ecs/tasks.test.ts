import { FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListTasksCommand, RunTaskCommand, StopTaskCommand, type RunTaskCommandInput } from '@aws-sdk/client-ecs';
import { useSeededSim } from '../../../support/sim-fixtures.js';
import { CLUSTER, waitForTaskStopped } from '../../../support/sim-clients.js';

const network = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a1b2c3d4e5f60001'],
    securityGroups: ['sg-0a1b2c3d4e5f60003'],
    assignPublicIp: 'DISABLED' as const,
  },
};

function migration(overrides: Partial<RunTaskCommandInput> = {}): RunTaskCommandInput {
  return {
    cluster: CLUSTER,
    taskDefinition: 'startupwebapp-migration-task',
    launchType: 'FARGATE',
    networkConfiguration: network,
    startedBy: 'github-actions',
    ...overrides,
  };
}

describe('one-off tasks (RunTask) and their logs', () => {
  const ctx = useSeededSim('all', { image: 'app:seed' });

  it('walks a task through the lifecycle and reports a non-zero exit with its log lines across pages', async () => {
    ctx.sim.images.define('app:seed', {
      commands: { 'python manage.py migrate': { logLines: 250, exitCode: 3, runSeconds: 20 } },
    });
    const run = await ctx.ecs.send(new RunTaskCommand(migration()));
    expect(run.failures).toEqual([]);
    const started = run.tasks![0];
    expect(started.lastStatus).toBe('PROVISIONING');
    expect(started.desiredStatus).toBe('RUNNING');
    expect(started.startedBy).toBe('github-actions');

    const stopped = await waitForTaskStopped(ctx.ecs, CLUSTER, started.taskArn!);
    expect(stopped.stopCode).toBe('EssentialContainerExited');
    expect(stopped.stoppedReason).toBe('Essential container in task exited');
    expect(stopped.containers![0]).toMatchObject({ name: 'migration', exitCode: 3, lastStatus: 'STOPPED' });
    expect(stopped.stoppedAt!.getTime()).toBeGreaterThanOrEqual(stopped.startedAt!.getTime());
    const statuses = ctx.sim.timeline
      .filter((e) => e.kind === 'task' && e.subject === started.taskArn)
      .map((e) => e.value);
    expect(statuses).toEqual([
      'PROVISIONING',
      'PENDING',
      'ACTIVATING',
      'RUNNING',
      'DEACTIVATING',
      'STOPPING',
      'DEPROVISIONING',
      'STOPPED',
    ]);

    const taskId = started.taskArn!.split('/').pop();
    const stream = { logGroupName: '/ecs/startupwebapp-migrations', logStreamName: `migration/migration/${taskId}` };
    const messages: string[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await ctx.logs.send(
        new GetLogEventsCommand({ ...stream, startFromHead: true, limit: 100, nextToken: token }),
      );
      messages.push(...page.events!.map((e) => e.message!));
      pages++;
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
    expect(pages).toBe(4); // 100 + 100 + 50, then the same token back
    expect(messages).toHaveLength(250);
    expect(messages[0]).toBe('line 1 of 250');
    expect(messages[249]).toBe('line 250 of 250');

    const tail = await ctx.logs.send(new GetLogEventsCommand({ ...stream, limit: 10 }));
    expect(tail.events!.map((e) => e.message)).toEqual(messages.slice(240));
    const filtered = await ctx.logs.send(
      new FilterLogEventsCommand({
        logGroupName: stream.logGroupName,
        logStreamNames: [stream.logStreamName],
        filterPattern: '"of 250"',
        limit: 200,
      }),
    );
    expect(filtered.events).toHaveLength(200);
    expect(filtered.nextToken).toBeDefined();
  });

  it('uses command overrides and fails a task whose image cannot be pulled', async () => {
    ctx.sim.images.define('app:missing', { pull: 'fail' });
    const run = await ctx.ecs.send(
      new RunTaskCommand(
        migration({
          taskDefinition: 'startupwebapp-service-task',
          overrides: { containerOverrides: [{ name: 'web', command: ['true'] }] },
        }),
      ),
    );
    const first = await waitForTaskStopped(ctx.ecs, CLUSTER, run.tasks![0].taskArn!);
    expect(first.containers![0].exitCode).toBe(0);
    expect(first.overrides!.containerOverrides![0].command).toEqual(['true']);

    const { RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
    await ctx.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'broken',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'app:missing' }],
      }),
    );
    const failed = await ctx.ecs.send(new RunTaskCommand(migration({ taskDefinition: 'broken' })));
    const task = await waitForTaskStopped(ctx.ecs, CLUSTER, failed.tasks![0].taskArn!);
    const reason =
      'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref app:missing: not found';
    expect(task.stopCode).toBe('TaskFailedToStart');
    expect(task.stoppedReason).toBe(reason);
    expect(task.containers![0].reason).toBe(reason);
    expect(task.containers![0].exitCode).toBeUndefined();
  });

  it('stops a running task on StopTask with the given reason and SIGTERM exit code', async () => {
    ctx.sim.images.define('app:seed', { commands: { '*': { logLines: 1, exitCode: 0, runSeconds: 3600 } } });
    const run = await ctx.ecs.send(new RunTaskCommand(migration()));
    const arn = run.tasks![0].taskArn!;
    const listed = await ctx.ecs.send(
      new ListTasksCommand({ cluster: CLUSTER, family: 'startupwebapp-migration-task' }),
    );
    expect(listed.taskArns).toContain(arn);
    const response = await ctx.ecs.send(
      new StopTaskCommand({ cluster: CLUSTER, task: arn, reason: 'Cancelled by GitHub Actions run 4242' }),
    );
    expect(response.task!.desiredStatus).toBe('STOPPED');
    const stopped = await waitForTaskStopped(ctx.ecs, CLUSTER, arn);
    expect(stopped.stopCode).toBe('UserInitiated');
    expect(stopped.stoppedReason).toBe('Cancelled by GitHub Actions run 4242');
    const listedStopped = await ctx.ecs.send(
      new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'STOPPED', startedBy: 'github-actions' }),
    );
    expect(listedStopped.taskArns).toContain(arn);
  });

  it('returns placement failures for a task too big to place', async () => {
    ctx.sim.images.define('app:huge', { placementFailure: 'RESOURCE:MEMORY' });
    const { RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
    await ctx.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'huge',
        containerDefinitions: [{ name: 'app', image: 'app:huge', memory: 512 }],
      }),
    );
    const run = await ctx.ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'huge' }));
    expect(run.tasks).toEqual([]);
    expect(run.failures).toEqual([
      { arn: expect.stringContaining(':cluster/startupwebapp-cluster'), reason: 'RESOURCE:MEMORY' },
    ]);
  });
});
