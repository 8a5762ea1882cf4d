import { StopServiceDeploymentCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import {
  deployRevision,
  inProgressServiceDeployments,
  useSeededSim,
  waitForDeploymentFailed,
  waitForRolloutCompleted,
  waitForServiceDeploymentStatus,
} from '../../../support/sim-fixtures.js';
import { CLUSTER, SERVICE, describeService, serviceRevisionWithImage } from '../../../support/sim-clients.js';
import { waitFor } from '../../../support/wait-for.js';
import {
  DescribeServiceRevisionsCommand,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';

function withContainers(image: string, extra: ContainerDefinition[], logGroup = '/ecs/startupwebapp-service') {
  const base = serviceRevisionWithImage(image);
  const app = { ...base.containerDefinitions[0] };
  app.logConfiguration = {
    ...app.logConfiguration,
    options: { ...app.logConfiguration.options, 'awslogs-group': logGroup },
  };
  return { ...base, containerDefinitions: [app, ...extra] };
}

describe('the deployment circuit breaker, requested rollbacks and aborts', () => {
  const ctx = useSeededSim('each');

  it('fails a deployment whose tasks fail health checks and rolls back to the previous revision', async () => {
    ctx.sim.images.define('app:unhealthy', { health: 'unhealthy', healthCheckSeconds: 5 });
    const registered = await deployRevision(ctx, serviceRevisionWithImage('app:unhealthy'));
    const failedId = registered.deploymentId;

    const failed = await waitForDeploymentFailed(ctx.ecs, failedId);
    const failedDeployment = failed.deployments!.find((d) => d.id === failedId)!;
    expect(failedDeployment.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(failedDeployment.failedTasks).toBeGreaterThanOrEqual(3); // desired 2: threshold max(3, ceil(1)) = 3
    const rollback = failed.deployments![0];
    expect(rollback.status).toBe('PRIMARY');
    expect(rollback.id).not.toBe(failedId);
    expect(rollback.taskDefinition).toBe(ctx.stableArn);
    expect(rollback.rolloutStateReason).toMatch(
      /^ECS deployment circuit breaker: rolling back to deploymentId ecs-svc\/\d{19}\.$/,
    );
    expect(failed.taskDefinition).toBe(ctx.stableArn);
    const messages = failed.events!.map((e) => e.message);
    expect(messages).toContain(
      `(service ${SERVICE}) (deployment ${failedId}) deployment failed: tasks failed to start.`,
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^\(service startupwebapp-service\) rolling back to deployment ecs-svc\/\d{19}\.$/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^\(service startupwebapp-service\) \(task [0-9a-f]{32}\) \(port 8000\) is unhealthy in \(target-group arn:aws:elasticloadbalancing:\S+\) due to \(reason Health checks failed\)\.$/,
      ),
    );

    const settled = await waitForRolloutCompleted(ctx.ecs);
    expect(settled.deployments![0].id).toBe(rollback.id);
    expect(settled.deployments![0].taskDefinition).toBe(ctx.stableArn);

    const history = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE }));
    expect(history.serviceDeployments!.map((d) => d.status)).toEqual(['ROLLBACK_SUCCESSFUL', 'SUCCESSFUL']);
    const arn = history.serviceDeployments![0].serviceDeploymentArn!;
    expect(arn).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:service-deployment\/startupwebapp-cluster\/startupwebapp-service\/\w+$/,
    );
    const described = await ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
    const record = described.serviceDeployments![0];
    expect(record.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold: 3 });
    expect(record.rollback?.serviceRevisionArn).toBe(record.sourceServiceRevisions![0].arn);
    expect(record.finishedAt).toBeInstanceOf(Date);
    const revisions = await ctx.ecs.send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [record.targetServiceRevision!.arn!, record.rollback!.serviceRevisionArn!],
      }),
    );
    expect(revisions.serviceRevisions!.map((r) => r.taskDefinition)).toEqual([registered.arn, ctx.stableArn]);
  });

  it('lists each current service revision once while rolling back to a revision still running', async () => {
    ctx.sim.images.define('app:unhealthy', { health: 'unhealthy', healthCheckSeconds: 5 });
    const registered = await deployRevision(ctx, serviceRevisionWithImage('app:unhealthy'));
    const failed = await waitForDeploymentFailed(ctx.ecs, registered.deploymentId);
    // The rollback and the deployment it rolls back to share a revision.
    expect(failed.deployments!.filter((d) => d.taskDefinition === ctx.stableArn)).toHaveLength(2);
    const revisions = failed.currentServiceRevisions!;
    expect(revisions).toHaveLength(2);
    expect(new Set(revisions.map((r) => r.arn)).size).toBe(2);
    const sum = (counts: Array<number | undefined>) => counts.reduce<number>((total, n) => total + (n ?? 0), 0);
    expect(sum(revisions.map((r) => r.requestedTaskCount))).toBe(sum(failed.deployments!.map((d) => d.desiredCount)));
  });

  it('keeps retrying a failing deployment when the breaker is off', async () => {
    ctx.sim.images.define('app:broken*', { pull: 'fail', startSeconds: 2 });
    await deployRevision(ctx, serviceRevisionWithImage('app:broken-1'), {
      deploymentCircuitBreaker: { enable: false, rollback: false },
    });
    const service = await waitFor(async () => {
      const s = await describeService(ctx.ecs);
      return s.deployments![0].failedTasks! >= 8 ? s : undefined;
    });
    expect(service.deployments![0].rolloutState).toBe('IN_PROGRESS');
    expect(service.deployments![1].runningCount).toBe(2);
  });

  it('rolls back an in-flight deployment on StopServiceDeployment ROLLBACK', async () => {
    ctx.sim.images.define('app:slow', { startSeconds: 600 });
    await deployRevision(ctx, serviceRevisionWithImage('app:slow'));
    const inFlight = await inProgressServiceDeployments(ctx.ecs);
    expect(inFlight).toHaveLength(1);
    const arn = inFlight[0].serviceDeploymentArn!;
    const stopped = await ctx.ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
    );
    expect(stopped.serviceDeploymentArn).toBe(arn);

    const record = await waitForServiceDeploymentStatus(ctx.ecs, arn, 'ROLLBACK_SUCCESSFUL');
    expect(record.rollback?.reason).toMatch(/StopServiceDeployment/);
    const service = await describeService(ctx.ecs);
    expect(service.taskDefinition).toBe(ctx.stableArn);
    expect(service.deployments).toHaveLength(1);
    await expect(
      ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
  });

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
