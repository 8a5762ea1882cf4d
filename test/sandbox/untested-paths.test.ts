import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteServiceCommand,
  DescribeTasksCommand,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopServiceDeploymentCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import {
  deployRevision,
  inProgressServiceDeployments,
  useSeededSim,
  waitForDeploymentFailed,
  waitForRolloutCompleted,
  waitForServiceDeploymentStatus,
} from './fixtures.js';
import {
  CLUSTER,
  SERVICE,
  describeService,
  serviceRevisionWithImage,
  waitFor,
  waitForTaskStopped,
  type SimContext,
} from './sim-clients.js';

const network = {
  awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60001'], assignPublicIp: 'DISABLED' as const },
};

function withContainers(image: string, extra: ContainerDefinition[], logGroup = '/ecs/startupwebapp-service') {
  const base = serviceRevisionWithImage(image);
  const app = { ...base.containerDefinitions[0] };
  app.logConfiguration = {
    ...app.logConfiguration,
    options: { ...app.logConfiguration.options, 'awslogs-group': logGroup },
  };
  return { ...base, containerDefinitions: [app, ...extra] };
}

/** Runs one task of `family` as a Fargate one-off and waits until it has stopped. */
async function runUntilStopped(ctx: SimContext, family: string) {
  const run = await ctx.ecs.send(
    new RunTaskCommand({
      cluster: CLUSTER,
      taskDefinition: family,
      launchType: 'FARGATE',
      networkConfiguration: network,
    }),
  );
  return waitForTaskStopped(ctx.ecs, CLUSTER, run.tasks![0].taskArn!);
}

describe('paths the first tests left out', () => {
  const ctx = useSeededSim('each');

  it('StopServiceDeployment ABORT stops the deployment where it is: STOPPED, no rollback, old tasks kept', async () => {
    ctx.sim.images.define('app:slow', { startSeconds: 600 });
    const { deploymentId } = await deployRevision(ctx, withContainers('app:slow', []));
    const arn = (await inProgressServiceDeployments(ctx.ecs))[0].serviceDeploymentArn!;
    await ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ABORT' }));

    const record = await waitForServiceDeploymentStatus(ctx.ecs, arn, 'STOPPED');
    expect(record.stoppedAt).toBeInstanceOf(Date);
    expect(record.rollback).toBeUndefined();
    const service = await describeService(ctx.ecs);
    const aborted = service.deployments!.find((d) => d.id === deploymentId)!;
    expect(aborted.status).toBe('PRIMARY');
    expect(aborted.rolloutState).toBe('FAILED');
    const old = service.deployments!.find((d) => d.id !== deploymentId)!;
    expect(old.taskDefinition).toBe(ctx.stableArn);
    expect(old.runningCount).toBe(2);
    await expect(
      ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
  });

  it('a non-essential sidecar that exits leaves the task RUNNING and the deployment completes', async () => {
    ctx.sim.images.define('sidecar:flaky', { crashAfterSeconds: 1, exitCode: 2 });
    const { arn, deploymentId } = await deployRevision(
      ctx,
      withContainers('app:v2', [{ name: 'xray', image: 'sidecar:flaky', essential: false }]),
    );
    const done = await waitForRolloutCompleted(ctx.ecs);
    expect(done.deployments![0].id).toBe(deploymentId);
    expect(done.deployments![0].failedTasks).toBe(0);
    const listed = await ctx.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }));
    const { tasks } = await ctx.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: listed.taskArns }));
    expect(tasks!.map((t) => t.taskDefinitionArn)).toEqual([arn, arn]);
    for (const task of tasks!) {
      expect(task.lastStatus).toBe('RUNNING');
      const byName = Object.fromEntries(task.containers!.map((c) => [c.name, c]));
      expect(byName['startupwebapp-server']).toMatchObject({ lastStatus: 'RUNNING' });
      expect(byName.xray).toMatchObject({ lastStatus: 'STOPPED', exitCode: 2 });
    }
  });

  it('an essential sidecar that exits stops the task: its own exit code, the main container SIGTERMed', async () => {
    ctx.sim.images.define('app:seed-main', { commands: { '*': { logLines: 1, exitCode: 0, runSeconds: 3600 } } });
    ctx.sim.images.define('sidecar:dies', { crashAfterSeconds: 2, exitCode: 1 });
    await ctx.ecs.send(
      new RegisterTaskDefinitionCommand({
        ...withContainers('app:seed-main', [{ name: 'proxy', image: 'sidecar:dies', essential: true }]),
        family: 'two-essentials',
      }),
    );
    const task = await runUntilStopped(ctx, 'two-essentials');
    expect(task.stopCode).toBe('EssentialContainerExited');
    expect(task.stoppedReason).toBe('Essential container in task exited');
    const byName = Object.fromEntries(task.containers!.map((c) => [c.name, c]));
    expect(byName.proxy.exitCode).toBe(1);
    expect(byName['startupwebapp-server'].exitCode).toBe(143);
  });

  it('DeleteService refuses a scaled service without force, then drains it to INACTIVE', async () => {
    await expect(ctx.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: SERVICE }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'The service cannot be stopped while it is scaled above 0.',
    });
    const deleted = await ctx.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: SERVICE, force: true }));
    expect(deleted.service!.status).toBe('DRAINING');
    expect(deleted.service!.desiredCount).toBe(0);
    const inactive = await waitFor(async () => {
      const s = await describeService(ctx.ecs);
      return s.status === 'INACTIVE' ? s : undefined;
    });
    expect(inactive.runningCount).toBe(0);
    const stopped = await ctx.ecs.send(
      new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus: 'STOPPED' }),
    );
    const { tasks } = await ctx.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: stopped.taskArns }));
    expect(tasks!.map((t) => [t.lastStatus, t.stopCode])).toEqual([
      ['STOPPED', 'ServiceSchedulerInitiated'],
      ['STOPPED', 'ServiceSchedulerInitiated'],
    ]);
    const services = await ctx.ecs.send(new ListServicesCommand({ cluster: CLUSTER }));
    expect(services.serviceArns).toEqual([]);
  });

  it('fails a task whose awslogs group does not exist (TaskFailedToStart), unless awslogs-create-group is "true"', async () => {
    await ctx.ecs.send(
      new RegisterTaskDefinitionCommand({ ...withContainers('app:v2', [], '/ecs/nowhere'), family: 'no-group' }),
    );
    const task = await runUntilStopped(ctx, 'no-group');
    expect(task.stopCode).toBe('TaskFailedToStart');
    expect(task.stoppedReason).toBe(
      'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: ' +
        'failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. ' +
        ': exit status 1',
    );
    expect(task.startedAt).toBeUndefined();
    expect(task.containers![0].exitCode).toBeUndefined();

    const creating = withContainers('app:v2', [], '/ecs/created-on-demand');
    const options = creating.containerDefinitions[0].logConfiguration!.options as Record<string, string>;
    options['awslogs-create-group'] = 'true';
    await ctx.ecs.send(new RegisterTaskDefinitionCommand({ ...creating, family: 'creates-group' }));
    await ctx.logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/nowhere' }));
    for (const family of ['creates-group', 'no-group']) {
      const ok = await runUntilStopped(ctx, family);
      expect([family, ok.stopCode]).toEqual([family, 'EssentialContainerExited']);
    }
  });

  it("a service deployment whose log group is missing trips the breaker with ECS's events and rolls back", async () => {
    const { deploymentId } = await deployRevision(ctx, withContainers('app:v2', [], '/ecs/typo'));
    const failed = await waitForDeploymentFailed(ctx.ecs, deploymentId);
    const messages = failed.events!.map((e) => e.message!);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^\(service startupwebapp-service\) was unable to place a task\. Reason: ResourceInitializationError: failed to validate logger args: .*The specified log group does not exist\. : exit status 1\.$/,
      ),
    );
    expect(messages).toContain(
      `(service ${SERVICE}) (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
    );
    const settled = await waitForRolloutCompleted(ctx.ecs);
    expect(settled.taskDefinition).toBe(ctx.stableArn);
  });
});
