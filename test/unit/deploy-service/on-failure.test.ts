import { jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand, type Deployment } from '@aws-sdk/client-ecs';
import { CancelledError } from '../../../lib/runner/run-action.js';
import { respondToCancel, respondToFailure } from '../../../actions/deploy-service/on-failure.js';
import type { DeployReport } from '../../../actions/deploy-service/summary.js';
import { onFakeClock } from '../../support/fake-clock.js';

// The waits run on a fake clock: their pauses move it forward, nothing really sleeps.
onFakeClock();

const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';
const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4';
const ecsMock = mockClient(ECSClient);
const clients = () => ({ ecs: new ECSClient({ region: 'us-east-1' }) });

function serviceWith(deployment: Partial<Deployment>) {
  const primary: Deployment = {
    id: 'ecs-svc/2',
    status: 'PRIMARY',
    taskDefinition: OLD,
    desiredCount: 2,
    runningCount: 0,
    pendingCount: 2,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    ...deployment,
  };
  return { serviceName: 'web', status: 'ACTIVE', taskDefinition: OLD, deployments: [primary] };
}

const context = {
  cluster: 'c',
  service: 'web',
  failedTaskDefinition: NEW,
  failedDeploymentId: 'ecs-svc/1',
  timeoutSeconds: 60,
  pollSeconds: 0.01,
};

beforeEach(() => {
  ecsMock.reset();
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

describe('respondToFailure', () => {
  it('updates the service back to the previous revision and waits for that deployment', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: serviceWith({}) });
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [serviceWith({ runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' })],
    });
    const outcome = await respondToFailure(
      clients(),
      { action: 'roll-back', to: OLD },
      { ...context, deadline: new Date(Date.now() + 5000) },
    );
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({
      cluster: 'c',
      service: 'web',
      taskDefinition: OLD,
    });
    expect(outcome?.note).toBe('Rolled back to web:3 with deployment ecs-svc/2: COMPLETED');
  });

  it('waits only until the step deadline, and says the rollback carries on when it runs out', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: serviceWith({}) });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [serviceWith({})] });
    const started = Date.now();
    const outcome = await respondToFailure(
      clients(),
      { action: 'roll-back', to: OLD },
      { ...context, deadline: new Date(Date.now() - 1) },
    );
    expect(Date.now() - started).toBeLessThan(10_000); // not the wait it would do without the deadline (a busy-machine margin)
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    expect(outcome?.note).toBe(
      'Rolled back to web:3 with deployment ecs-svc/2: still in progress when timeout-minutes ran out ' +
        '(0/2 running, 2 pending, 0 failed · rollout IN_PROGRESS); it carries on in ECS',
    );
  });

  it("waits for ECS's rollback deployment of the previous revision, not for someone else's newer deployment", async () => {
    const other = serviceWith({
      id: 'ecs-svc/9',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
    });
    const rollback = serviceWith({ id: 'ecs-svc/3', runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' });
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [other] })
      .resolves({ services: [rollback] });
    const outcome = await respondToFailure(
      clients(),
      { action: 'wait-for-ecs-rollback' },
      {
        ...context,
        previousTaskDefinition: OLD,
        rollbackDeploymentId: 'ecs-svc/3',
        deadline: new Date(Date.now() + 5000),
      },
    );
    expect(outcome?.note).toBe('ECS rolled back with deployment ecs-svc/3: COMPLETED');
    expect(outcome?.watch?.deploymentId).toBe('ecs-svc/3');
  });

  it('a cancel while waiting for ECS to start its rollback is a cancel, not a rollback that did not appear', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [serviceWith({ id: 'ecs-svc/1', taskDefinition: NEW })] });
    const cancel = new AbortController();
    cancel.abort(new CancelledError('SIGTERM'));
    await expect(
      respondToFailure(
        clients(),
        { action: 'wait-for-ecs-rollback' },
        { ...context, deadline: new Date(Date.now() + 5000), signal: cancel.signal },
      ),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('respondToCancel', () => {
  const deploy = (): DeployReport => ({
    cluster: 'c',
    service: 'web',
    waited: true,
    startedAt: new Date(),
    deploymentId: 'ecs-svc/1',
    previousTaskDefinition: OLD,
    newTaskDefinition: NEW,
  });

  it('with on-failure: rollback, starts the rollback without waiting for it', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: serviceWith({}) });
    const report = deploy();
    await respondToCancel(clients(), { cluster: 'c', service: 'web', onFailure: 'rollback' }, report);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(0);
    expect(report.status).toBe('CANCELLED');
    expect(report.rollback?.note).toContain('put the service back on web:3 (deployment ecs-svc/2)');
  });

  it('with on-failure: fail, changes nothing and says how to undo the deployment', async () => {
    const report = deploy();
    await respondToCancel(clients(), { cluster: 'c', service: 'web', onFailure: 'fail' }, report);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(report.rollback?.note).toContain(`--task-definition ${OLD}`);
  });

  it('still reports what is left when the rollback call fails', async () => {
    ecsMock.on(UpdateServiceCommand).rejects(new Error('AccessDenied'));
    const report = deploy();
    await respondToCancel(clients(), { cluster: 'c', service: 'web', onFailure: 'rollback' }, report);
    expect(report.rollback?.note).toContain('carries on in ECS');
  });
});
