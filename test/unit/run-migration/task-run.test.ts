import type { Service, Task } from '@aws-sdk/client-ecs';
import {
  decideOutcome,
  describeRunTaskFailures,
  planLaunch,
  runTaskRequest,
} from '../../../actions/run-migration/task-run.js';

const service: Service = {
  serviceName: 'startupwebapp-service',
  launchType: 'FARGATE',
  platformVersion: '1.4.0',
  networkConfiguration: {
    awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
  },
};
const none = { subnets: [], securityGroups: [] };

describe('planLaunch', () => {
  it("copies the service's network configuration, launch type and platform version", () => {
    const plan = planLaunch(none, service, 'awsvpc');
    expect(plan.networkConfiguration).toEqual(service.networkConfiguration);
    expect(plan.launchType).toBe('FARGATE');
    expect(plan.platformVersion).toBe('1.4.0');
    expect(plan.fromService).toEqual(['subnets', 'security groups', 'public IP', 'launch type', 'platform version']);
  });

  it('lets each explicit input win over the service', () => {
    const plan = planLaunch(
      {
        subnets: ['subnet-x'],
        securityGroups: ['sg-9'],
        assignPublicIp: 'ENABLED',
        launchType: 'EC2',
        platformVersion: 'LATEST',
      },
      service,
      'awsvpc',
    );
    expect(plan.networkConfiguration?.awsvpcConfiguration).toEqual({
      subnets: ['subnet-x'],
      securityGroups: ['sg-9'],
      assignPublicIp: 'ENABLED',
    });
    expect(plan.launchType).toBe('EC2');
    expect(plan.platformVersion).toBeUndefined(); // EC2 takes no platform version
    expect(plan.fromService).toEqual([]);
  });

  it('uses the service capacity provider strategy instead of a launch type, unless a launch type is given', () => {
    const spot: Service = {
      ...service,
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    };
    const plan = planLaunch(none, spot, 'awsvpc');
    expect(plan.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    expect(plan.launchType).toBeUndefined();
    expect(planLaunch({ ...none, launchType: 'FARGATE' }, spot, 'awsvpc').capacityProviderStrategy).toBeUndefined();
  });

  it('defaults to FARGATE with public IP DISABLED when nothing else decides', () => {
    const plan = planLaunch({ subnets: ['subnet-x'], securityGroups: [] }, undefined, 'awsvpc');
    expect(plan.launchType).toBe('FARGATE');
    expect(plan.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ['subnet-x'], assignPublicIp: 'DISABLED' },
    });
  });

  it('requires subnets for awsvpc when there is no service to copy them from', () => {
    expect(() => planLaunch(none, undefined, 'awsvpc')).toThrow(/Input 'subnets' is required/);
    expect(planLaunch(none, undefined, 'bridge').networkConfiguration).toBeUndefined();
  });
});

describe('runTaskRequest', () => {
  it('overrides the command and environment of the named container and identifies the run', () => {
    const request = runTaskRequest({
      cluster: 'c',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/m:3',
      container: 'migration',
      command: ['python', 'manage.py', 'migrate'],
      environment: [{ name: 'DATABASE_NAME', value: 'healthtech_experiment' }],
      launch: planLaunch(none, service, 'awsvpc'),
      startedBy: 'gha/o_r/1/1',
      tags: [{ key: 'github:run-id', value: '1' }],
      clientToken: 'token-1',
    });
    expect(request).toEqual({
      cluster: 'c',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/m:3',
      count: 1,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: service.networkConfiguration,
      overrides: {
        containerOverrides: [
          {
            name: 'migration',
            command: ['python', 'manage.py', 'migrate'],
            environment: [{ name: 'DATABASE_NAME', value: 'healthtech_experiment' }],
          },
        ],
      },
      startedBy: 'gha/o_r/1/1',
      tags: [{ key: 'github:run-id', value: '1' }],
      clientToken: 'token-1',
    });
  });
});

describe('describeRunTaskFailures', () => {
  it('prints each failure on one line', () => {
    expect(
      describeRunTaskFailures([
        { reason: 'RESOURCE:MEMORY', arn: 'arn:aws:ecs:us-east-1:1:container-instance/x' },
        { reason: 'MISSING', detail: 'no\ncapacity' },
      ]),
    ).toEqual(['RESOURCE:MEMORY (arn:aws:ecs:us-east-1:1:container-instance/x)', 'MISSING: no capacity']);
  });
});

describe('decideOutcome', () => {
  const arn = 'arn:aws:ecs:us-east-1:1:task/c/abc';

  it('succeeds when the named container exits 0, even when a sidecar listed first exits non-zero', () => {
    const task: Task = {
      taskArn: arn,
      stopCode: 'EssentialContainerExited',
      containers: [
        { name: 'log-router', exitCode: 2 },
        { name: 'migration', exitCode: 0 },
      ],
    };
    expect(decideOutcome(task, 'migration', ['migration'])).toEqual({
      ok: true,
      exitCode: 0,
      notes: ['Sidecar log-router exited with code 2; it does not decide the outcome'],
    });
  });

  it('fails with the exit code of the named container, not of the first', () => {
    const task: Task = {
      taskArn: arn,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [
        { name: 'sidecar', exitCode: 0 },
        { name: 'migration', exitCode: 1 },
      ],
    };
    const outcome = decideOutcome(task, 'migration', ['migration']);
    expect(outcome).toMatchObject({
      ok: false,
      kind: 'exit-code',
      exitCode: 1,
      reason: 'Container migration exited with code 1',
    });
  });

  it('reports a task that failed to start with its stopped reason and the container reasons', () => {
    const task: Task = {
      taskArn: arn,
      stopCode: 'TaskFailedToStart',
      stoppedReason:
        'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref x: not found',
      containers: [{ name: 'migration', reason: 'CannotPullContainerError: ref not found' }],
    };
    const outcome = decideOutcome(task, 'migration');
    expect(outcome).toMatchObject({
      ok: false,
      kind: 'failed-to-start',
      reason:
        'The task failed to start: CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref x: not found; CannotPullContainerError: ref not found',
    });
    expect(outcome.ok ? [] : outcome.details).toContain('container migration: CannotPullContainerError: ref not found');
  });

  it('says when an essential sidecar stopped the task before the container finished', () => {
    const task: Task = {
      taskArn: arn,
      stopCode: 'EssentialContainerExited',
      containers: [
        { name: 'proxy', exitCode: 1 },
        { name: 'migration', exitCode: 137 },
      ],
    };
    expect(decideOutcome(task, 'migration', ['proxy', 'migration'])).toMatchObject({
      ok: false,
      kind: 'sidecar-stopped-task',
      exitCode: 137,
      reason:
        'Essential container proxy exited with code 1 and stopped the task; container migration was stopped (it exited with code 137)',
    });
  });

  it('fails a task stopped without an exit code, giving the stop reason', () => {
    const task: Task = {
      taskArn: arn,
      stopCode: 'UserInitiated',
      stoppedReason: 'Stopped by someone',
      containers: [{ name: 'migration' }],
    };
    expect(decideOutcome(task, 'migration')).toMatchObject({
      ok: false,
      kind: 'stopped',
      reason: 'The task stopped without an exit code for container migration: Stopped by someone',
    });
  });
});
