import type { Deployment, Service } from '@aws-sdk/client-ecs';
import {
  circuitBreakerThreshold,
  classifyDeployment,
  deploymentInFlight,
  progressLine,
} from '../../../../lib/ecs/deployment-state.js';

const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';
const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4';
const OTHER = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:5';

function deployment(fields: Partial<Deployment>): Deployment {
  return { desiredCount: 2, runningCount: 0, pendingCount: 0, failedTasks: 0, rolloutState: 'IN_PROGRESS', ...fields };
}

function service(deployments: Deployment[], breaker?: { enable: boolean; rollback: boolean }): Service {
  return {
    serviceName: 'web',
    deployments,
    deploymentConfiguration: breaker ? { deploymentCircuitBreaker: breaker } : {},
  };
}

const ours = (fields: Partial<Deployment> = {}) =>
  deployment({ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: NEW, ...fields });
const breaker = { enable: true, rollback: true };

describe('classifyDeployment', () => {
  it('is in progress while our PRIMARY deployment rolls out', () => {
    const old = deployment({ id: 'ecs-svc/0', status: 'ACTIVE', taskDefinition: OLD, runningCount: 2 });
    const verdict = classifyDeployment(
      service([ours({ runningCount: 1, pendingCount: 1 }), old], breaker),
      'ecs-svc/1',
    );
    expect(verdict.kind).toBe('in-progress');
  });

  it('is completed when rolloutState is COMPLETED and running reaches desired', () => {
    const verdict = classifyDeployment(service([ours({ rolloutState: 'COMPLETED', runningCount: 2 })]), 'ecs-svc/1');
    expect(verdict).toEqual({ kind: 'completed', counts: expect.objectContaining({ running: 2, desired: 2 }) });
  });

  it('is not completed while COMPLETED but tasks are still pending', () => {
    const snapshot = service([ours({ rolloutState: 'COMPLETED', runningCount: 1, pendingCount: 1 })], breaker);
    expect(classifyDeployment(snapshot, 'ecs-svc/1').kind).toBe('in-progress');
  });

  it('fails on rolloutState FAILED with its reason when the breaker does not roll back', () => {
    const snapshot = service(
      [ours({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' })],
      { enable: true, rollback: false },
    );
    expect(classifyDeployment(snapshot, 'ecs-svc/1')).toMatchObject({
      kind: 'failed',
      reason: 'ECS deployment circuit breaker: tasks failed to start',
    });
  });

  it('reports a rollback as soon as ours is FAILED and the breaker rolls back, before the new deployment shows', () => {
    const snapshot = service([ours({ rolloutState: 'FAILED' })], breaker);
    expect(classifyDeployment(snapshot, 'ecs-svc/1').kind).toBe('rolling-back');
  });

  it('reports a rollback when a newer PRIMARY deployment of the previous revision appears', () => {
    const rollback = deployment({ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: OLD });
    const snapshot = service([rollback, ours({ status: 'ACTIVE', rolloutState: 'FAILED' })], breaker);
    expect(classifyDeployment(snapshot, 'ecs-svc/1', { previousTaskDefinition: OLD })).toMatchObject({
      kind: 'rolling-back',
      rollbackDeploymentId: 'ecs-svc/2',
    });
  });

  it('reports a rollback when ours is gone and the previous revision is PRIMARY', () => {
    const rollback = deployment({ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: OLD });
    expect(
      classifyDeployment(service([rollback], breaker), 'ecs-svc/1', { previousTaskDefinition: OLD }),
    ).toMatchObject({ kind: 'rolling-back', rollbackDeploymentId: 'ecs-svc/2' });
  });

  it('reports a rollback when the newer deployment says the circuit breaker rolls back, whatever its revision', () => {
    const rollback = deployment({
      id: 'ecs-svc/2',
      status: 'PRIMARY',
      taskDefinition: OTHER,
      rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/0.',
    });
    expect(
      classifyDeployment(service([rollback], breaker), 'ecs-svc/1', { previousTaskDefinition: OLD }),
    ).toMatchObject({ kind: 'rolling-back', rollbackDeploymentId: 'ecs-svc/2' });
  });

  it('says ours was replaced when someone else deployed another revision', () => {
    const theirs = deployment({ id: 'ecs-svc/9', status: 'PRIMARY', taskDefinition: OTHER });
    const snapshot = service([theirs, ours({ status: 'ACTIVE' })], breaker);
    expect(classifyDeployment(snapshot, 'ecs-svc/1', { previousTaskDefinition: OLD })).toMatchObject({
      kind: 'replaced',
      replacedBy: 'ecs-svc/9',
    });
  });

  it('says ours disappeared when it is no longer on the service', () => {
    expect(classifyDeployment(service([]), 'ecs-svc/1')).toMatchObject({ kind: 'replaced', replacedBy: undefined });
  });

  it('fails fast without a circuit breaker once as many tasks failed as a breaker would allow', () => {
    const snapshot = service([ours({ failedTasks: 3 })]);
    expect(classifyDeployment(snapshot, 'ecs-svc/1').kind).toBe('failed');
    expect(classifyDeployment(service([ours({ failedTasks: 2 })]), 'ecs-svc/1').kind).toBe('in-progress');
  });

  it('leaves failed-task counting to ECS when the service has a circuit breaker', () => {
    expect(classifyDeployment(service([ours({ failedTasks: 5 })], breaker), 'ecs-svc/1').kind).toBe('in-progress');
  });

  it('does not count failed tasks when the limit is turned off', () => {
    const snapshot = service([ours({ failedTasks: 50 })]);
    expect(classifyDeployment(snapshot, 'ecs-svc/1', { failedTaskLimit: 0 }).kind).toBe('in-progress');
  });
});

describe('circuitBreakerThreshold', () => {
  it('is half the desired count, at least 3 and at most 200', () => {
    expect([1, 2, 6, 7, 10, 1000].map(circuitBreakerThreshold)).toEqual([3, 3, 3, 4, 5, 200]);
  });
});

describe('progressLine', () => {
  it('shows running of desired, pending, failed and the rollout state', () => {
    expect(progressLine({ desired: 2, running: 2, pending: 1, failed: 0, rolloutState: 'IN_PROGRESS' })).toBe(
      '2/2 running, 1 pending, 0 failed · rollout IN_PROGRESS',
    );
  });
});

describe('deploymentInFlight', () => {
  it('finds an IN_PROGRESS primary or a draining second deployment, and nothing on a settled service', () => {
    const settled = deployment({ id: 'a', status: 'PRIMARY', rolloutState: 'COMPLETED' });
    expect(deploymentInFlight(service([settled]))).toBeUndefined();
    expect(deploymentInFlight(service([ours()]))?.id).toBe('ecs-svc/1');
    const draining = deployment({ id: 'b', status: 'ACTIVE', rolloutState: 'COMPLETED' });
    expect(deploymentInFlight(service([settled, draining]))?.id).toBe('a');
  });
});
