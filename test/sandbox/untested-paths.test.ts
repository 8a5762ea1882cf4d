import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import {
  CLUSTER,
  SERVICE,
  describeService,
  serviceRevisionWithImage,
  startSim,
  stopSim,
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

async function deploy(ctx: SimContext, registration: ReturnType<typeof withContainers>) {
  const registered = await ctx.ecs.send(new RegisterTaskDefinitionCommand(registration));
  const update = await ctx.ecs.send(
    new UpdateServiceCommand({
      cluster: CLUSTER,
      service: SERVICE,
      taskDefinition: registered.taskDefinition!.taskDefinitionArn,
    }),
  );
  return { arn: registered.taskDefinition!.taskDefinitionArn!, deploymentId: update.service!.deployments![0].id! };
}

describe('paths the first tests left out', () => {
  let ctx: SimContext;
  let stableArn: string;
  beforeEach(async () => {
    ctx = await startSim();
    await ctx.sim.seedStartupWebApp();
    stableArn = (await describeService(ctx.ecs)).taskDefinition!;
  });
  afterEach(() => stopSim(ctx));

  it('StopServiceDeployment ABORT stops the deployment where it is: STOPPED, no rollback, old tasks kept', async () => {
    ctx.sim.images.define('app:slow', { startSeconds: 600 });
    const { deploymentId } = await deploy(ctx, withContainers('app:slow', []));
    const listed = await ctx.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE, status: ['IN_PROGRESS'] }),
    );
    const arn = listed.serviceDeployments![0].serviceDeploymentArn!;
    await ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ABORT' }));

    const record = await waitFor(async () => {
      const out = await ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
      return out.serviceDeployments![0].status === 'STOPPED' ? out.serviceDeployments![0] : undefined;
    });
    expect(record.stoppedAt).toBeInstanceOf(Date);
    expect(record.rollback).toBeUndefined();
    const service = await describeService(ctx.ecs);
    const aborted = service.deployments!.find((d) => d.id === deploymentId)!;
    expect(aborted.status).toBe('PRIMARY');
    expect(aborted.rolloutState).toBe('FAILED');
    const old = service.deployments!.find((d) => d.id !== deploymentId)!;
    expect(old.taskDefinition).toBe(stableArn);
    expect(old.runningCount).toBe(2);
    await expect(
      ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
  });

  it('a non-essential sidecar that exits leaves the task RUNNING and the deployment completes', async () => {
    ctx.sim.images.define('sidecar:flaky', { crashAfterSeconds: 1, exitCode: 2 });
    const { arn, deploymentId } = await deploy(
      ctx,
      withContainers('app:v2', [{ name: 'xray', image: 'sidecar:flaky', essential: false }]),
    );
    const done = await waitFor(async () => {
      const s = await describeService(ctx.ecs);
      return s.deployments!.length === 1 && s.deployments![0].rolloutState === 'COMPLETED' ? s : undefined;
    });
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
    const run = await ctx.ecs.send(
      new RunTaskCommand({
        cluster: CLUSTER,
        taskDefinition: 'two-essentials',
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );
    const task = await waitForTaskStopped(ctx.ecs, CLUSTER, run.tasks![0].taskArn!);
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
    const failed = await ctx.ecs.send(
      new RunTaskCommand({
        cluster: CLUSTER,
        taskDefinition: 'no-group',
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );
    const task = await waitForTaskStopped(ctx.ecs, CLUSTER, failed.tasks![0].taskArn!);
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
      const run = await ctx.ecs.send(
        new RunTaskCommand({
          cluster: CLUSTER,
          taskDefinition: family,
          launchType: 'FARGATE',
          networkConfiguration: network,
        }),
      );
      const ok = await waitForTaskStopped(ctx.ecs, CLUSTER, run.tasks![0].taskArn!);
      expect([family, ok.stopCode]).toEqual([family, 'EssentialContainerExited']);
    }
  });

  it("a service deployment whose log group is missing trips the breaker with ECS's events and rolls back", async () => {
    const { deploymentId } = await deploy(ctx, withContainers('app:v2', [], '/ecs/typo'));
    const failed = await waitFor(async () => {
      const s = await describeService(ctx.ecs);
      return s.deployments!.find((d) => d.id === deploymentId && d.rolloutState === 'FAILED') ? s : undefined;
    });
    const messages = failed.events!.map((e) => e.message!);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^\(service startupwebapp-service\) was unable to place a task\. Reason: ResourceInitializationError: failed to validate logger args: .*The specified log group does not exist\. : exit status 1\.$/,
      ),
    );
    expect(messages).toContain(
      `(service ${SERVICE}) (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
    );
    const settled = await waitFor(async () => {
      const s = await describeService(ctx.ecs);
      return s.deployments!.length === 1 && s.deployments![0].rolloutState === 'COMPLETED' ? s : undefined;
    });
    expect(settled.taskDefinition).toBe(stableArn);
  });
});
