import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { deployRevision, useSeededSim, waitForRolloutCompleted } from '../../../support/sim-fixtures.js';
import {
  CLUSTER,
  SERVICE,
  serviceRevisionWithImage,
  waitForTaskStopped,
  type SimContext,
} from '../../../support/sim-clients.js';

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

describe("how a task's containers and log group decide how it runs and stops", () => {
  const ctx = useSeededSim('each');

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
      expect(byName['web']).toMatchObject({ lastStatus: 'RUNNING' });
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
    expect(byName['web'].exitCode).toBe(143);
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
});
