import type { TargetGroupSettings, TargetHealth } from '../../../../lib/elb/target-groups.js';
import { judgeServing, servingLine, type ServiceTask } from '../../../../lib/ecs/serving.js';

const OURS = 'ecs-svc/2222222222222222222';
const OLD = 'ecs-svc/1111111111111111111';

function group(name: string, targetType = 'ip'): TargetGroupSettings {
  return {
    arn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`,
    name,
    targetType,
    healthCheck: { enabled: true, intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
    deregistrationDelaySeconds: 300,
  };
}

const tasks: ServiceTask[] = [
  { arn: 'old-1', startedBy: OLD, ip: '10.0.0.1' },
  { arn: 'old-2', startedBy: OLD, ip: '10.0.0.2' },
  { arn: 'new-1', startedBy: OURS, ip: '10.0.0.3' },
  { arn: 'new-2', startedBy: OURS, ip: '10.0.0.4' },
];
const target = (id: string, state: string): TargetHealth => ({ id, port: 8000, state });
const base = { deploymentId: OURS, desired: 2, running: 2, pending: 0, tasks };

describe('judgeServing', () => {
  it('is serving when every new target is healthy and the old ones only drain', () => {
    const verdict = judgeServing({
      ...base,
      groups: [
        {
          group: group('startupwebapp-tg'),
          targets: [
            target('10.0.0.1', 'draining'),
            target('10.0.0.2', 'draining'),
            target('10.0.0.3', 'healthy'),
            target('10.0.0.4', 'healthy'),
          ],
        },
      ],
    });
    expect(verdict.serving).toBe(true);
    expect(verdict.waitingFor).toBeUndefined();
    expect(verdict.groups[0]).toMatchObject({ newHealthy: 2, oldDraining: 2, oldServing: 0 });
  });

  it('waits while an old target is still healthy', () => {
    const verdict = judgeServing({
      ...base,
      groups: [
        {
          group: group('startupwebapp-tg'),
          targets: [
            target('10.0.0.1', 'healthy'),
            target('10.0.0.2', 'draining'),
            target('10.0.0.3', 'healthy'),
            target('10.0.0.4', 'healthy'),
          ],
        },
      ],
    });
    expect(verdict.serving).toBe(false);
    expect(verdict.waitingFor).toBe('startupwebapp-tg: 1 old targets still in service');
  });

  it('waits for every new target in every target group', () => {
    const verdict = judgeServing({
      ...base,
      groups: [
        { group: group('web-tg'), targets: [target('10.0.0.3', 'healthy'), target('10.0.0.4', 'healthy')] },
        { group: group('admin-tg'), targets: [target('10.0.0.3', 'healthy'), target('10.0.0.4', 'initial')] },
      ],
    });
    expect(verdict.serving).toBe(false);
    expect(verdict.waitingFor).toBe('admin-tg: 1/2 new targets healthy');
  });

  it('waits for the deployment to run every task, even if the targets it has are healthy', () => {
    const verdict = judgeServing({
      ...base,
      running: 1,
      pending: 1,
      groups: [{ group: group('startupwebapp-tg'), targets: [target('10.0.0.3', 'healthy')] }],
    });
    expect(verdict.serving).toBe(false);
    expect(verdict.waitingFor).toContain('1/2 new tasks running');
  });

  it('counts a target no task of the service has (registered by hand) as old', () => {
    const verdict = judgeServing({
      ...base,
      groups: [
        {
          group: group('startupwebapp-tg'),
          targets: [target('10.0.0.3', 'healthy'), target('10.0.0.4', 'healthy'), target('10.9.9.9', 'healthy')],
        },
      ],
    });
    expect(verdict.serving).toBe(false);
    expect(verdict.groups[0]!.oldServing).toBe(1);
  });

  it('does not count unhealthy old targets as serving', () => {
    const verdict = judgeServing({
      ...base,
      groups: [
        {
          group: group('startupwebapp-tg'),
          targets: [target('10.0.0.1', 'unhealthy'), target('10.0.0.3', 'healthy'), target('10.0.0.4', 'healthy')],
        },
      ],
    });
    expect(verdict.serving).toBe(true);
    expect(verdict.groups[0]!.oldIdle).toBe(1);
  });

  it('cannot judge a target group whose targets are instances', () => {
    const verdict = judgeServing({
      ...base,
      groups: [{ group: group('ec2-tg', 'instance'), targets: [target('i-0abc', 'healthy')] }],
    });
    expect(verdict.serving).toBe(false);
    expect(verdict.waitingFor).toContain('target type is not ip');
  });
});

test('servingLine', () => {
  const counts = {
    name: 'startupwebapp-tg',
    arn: 'x',
    wanted: 2,
    newHealthy: 1,
    newInitial: 1,
    newUnhealthy: 0,
    oldServing: 2,
    oldDraining: 0,
    oldIdle: 0,
    unmatched: false,
  };
  expect(servingLine(counts)).toBe('startupwebapp-tg: new 1/2 healthy, 1 initial · old 2 in service');
  expect(
    servingLine({ ...counts, newHealthy: 2, newInitial: 0, oldServing: 0, oldDraining: 2 }, 'about 4m 35s left of 5m'),
  ).toBe('startupwebapp-tg: new 2/2 healthy · old 2 draining (about 4m 35s left of 5m)');
});
