import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ContainerDefinition,
  type RunTaskCommandInput,
} from '@aws-sdk/client-ecs';
import { SEED } from '../../../../sandbox/sim/index.js';
import { useSeededSim } from '../../../support/sim-fixtures.js';
import { CLUSTER, waitForTaskStopped } from '../../../support/sim-clients.js';
import { waitFor } from '../../../support/wait-for.js';

/** Secret references resolved at task start, and how containers stop (stop timeout, exit codes while running). */

const network = {
  awsvpcConfiguration: {
    subnets: SEED.subnets,
    securityGroups: SEED.securityGroups,
    assignPublicIp: 'DISABLED' as const,
  },
};
const runMigration = (overrides: Partial<RunTaskCommandInput> = {}): RunTaskCommandInput => ({
  cluster: CLUSTER,
  taskDefinition: SEED.migrationFamily,
  launchType: 'FARGATE',
  networkConfiguration: network,
  ...overrides,
});

describe('the seeded account and task secrets', () => {
  const ctx = useSeededSim('all', { image: 'app:seed' });

  async function migrationContainer(): Promise<ContainerDefinition> {
    const out = await ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: SEED.migrationFamily }));
    return out.taskDefinition!.containerDefinitions![0]!;
  }

  async function familyWith(family: string, change: Partial<ContainerDefinition>): Promise<void> {
    const out = await ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: SEED.migrationFamily }));
    const { networkMode, requiresCompatibilities, cpu, memory, executionRoleArn, taskRoleArn } = out.taskDefinition!;
    await ctx.ecs.send(
      new RegisterTaskDefinitionCommand({
        ...{ family, networkMode, requiresCompatibilities, cpu, memory, executionRoleArn, taskRoleArn },
        containerDefinitions: [{ ...(await migrationContainer()), ...change }],
      }),
    );
  }

  it('is today’s account: migration container, its log prefix, the database secret by reference', async () => {
    const container = await migrationContainer();
    expect(container.name).toBe('migration');
    expect(container.logConfiguration?.options?.['awslogs-stream-prefix']).toBe('migration');
    expect(container.environment?.map((e) => e.name)).not.toContain('DATABASE_NAME');
    expect(container.secrets?.map((s) => s.name)).toEqual([
      'DATABASE_PASSWORD',
      'DATABASE_USER',
      'DATABASE_HOST',
      'DATABASE_PORT',
    ]);
    expect(container.secrets?.[0]?.valueFrom).toBe(`${SEED.databaseSecretArn}:password::`);
    expect(ctx.sim.secretValues()).toContain('sandbox-superuser-password-2d8e41');
  });

  it('starts a task whose references resolve, and fails one whose secret or JSON key does not, before it runs', async () => {
    ctx.sim.images.define('app:seed', { commands: { '*': { logLines: 1, exitCode: 0, runSeconds: 1 } } });
    const good = await ctx.ecs.send(new RunTaskCommand(runMigration()));
    expect((await waitForTaskStopped(ctx.ecs, CLUSTER, good.tasks![0]!.taskArn!)).stopCode).toBe(
      'EssentialContainerExited',
    );

    const secrets = [...((await migrationContainer()).secrets ?? [])];
    await familyWith('missing-key', {
      secrets: [
        ...secrets,
        { name: 'DJANGO_SUPERUSER_PHONE', valueFrom: `${SEED.databaseSecretArn}:superuser_phone::` },
      ],
    });
    const missingKey = await ctx.ecs.send(new RunTaskCommand(runMigration({ taskDefinition: 'missing-key' })));
    const keyTask = await waitForTaskStopped(ctx.ecs, CLUSTER, missingKey.tasks![0]!.taskArn!);
    expect(keyTask.stopCode).toBe('TaskFailedToStart');
    expect(keyTask.stoppedReason).toMatch(/^ResourceInitializationError: .*did not contain json key superuser_phone$/);
    expect(keyTask.startedAt).toBeUndefined();

    await familyWith('missing-secret', {
      secrets: [{ name: 'X', valueFrom: SEED.databaseSecretArn.replace('AbCdEf', 'ZzZzZz') }],
    });
    const missing = await ctx.ecs.send(new RunTaskCommand(runMigration({ taskDefinition: 'missing-secret' })));
    const missingTask = await waitForTaskStopped(ctx.ecs, CLUSTER, missing.tasks![0]!.taskArn!);
    expect(missingTask.stoppedReason).toMatch(
      /ResourceNotFoundException: Secrets Manager can't find the specified secret\.$/,
    );
  });

  it('reports an exit code while running when the image says so, and kills a SIGTERM-ignoring container after its stop timeout', async () => {
    ctx.sim.images.define('app:stubborn', {
      exitCodeWhileRunning: 0,
      ignoresSigterm: true,
      commands: { '*': { logLines: 1, exitCode: 0, runSeconds: 100_000 } },
    });
    await familyWith('stubborn', { image: 'app:stubborn', stopTimeout: 120 });
    const run = await ctx.ecs.send(new RunTaskCommand(runMigration({ taskDefinition: 'stubborn' })));
    const taskArn = run.tasks![0]!.taskArn!;
    const describe = async () =>
      (await ctx.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn] }))).tasks![0]!;
    const running = await waitFor(async () => ((await describe()).lastStatus === 'RUNNING' ? describe() : undefined));
    expect(running.containers![0]).toMatchObject({ lastStatus: 'RUNNING', exitCode: 0 });

    await ctx.ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: taskArn, reason: 'test' }));
    // SIGTERM is ignored: the container keeps running through STOPPING, until the stop timeout's SIGKILL.
    const stopping = await waitFor(async () => ((await describe()).lastStatus === 'STOPPING' ? describe() : undefined));
    expect(stopping.containers![0]!.lastStatus).toBe('RUNNING');
    const stopped = await waitForTaskStopped(ctx.ecs, CLUSTER, taskArn);
    expect(stopped.containers![0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 137 });
    expect(stopped.stoppedAt!.getTime() - stopped.stoppingAt!.getTime()).toBeGreaterThanOrEqual(120 * 1000 * 0.005);
  });
});
