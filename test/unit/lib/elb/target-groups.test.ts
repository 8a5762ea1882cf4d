import {
  healthCheckText,
  targetGroupName,
  targetGroupSettings,
  targetHealthOf,
} from '../../../../lib/elb/target-groups.js';

const ARN = 'arn:aws:elasticloadbalancing:us-east-1:853463362083:targetgroup/startupwebapp-tg/0123456789abcdef';

describe('targetGroupSettings', () => {
  const group = {
    TargetGroupArn: ARN,
    TargetGroupName: 'startupwebapp-tg',
    Protocol: 'HTTP' as const,
    Port: 8000,
    TargetType: 'ip' as const,
    HealthCheckEnabled: true,
    HealthCheckPath: '/order/products',
    HealthCheckIntervalSeconds: 30,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 2,
    UnhealthyThresholdCount: 3,
    Matcher: { HttpCode: '200' },
  };

  it("reads the health check and the deregistration delay, ELB's 300 s when the attribute is absent", () => {
    const settings = targetGroupSettings(group, [{ Key: 'stickiness.enabled', Value: 'false' }]);
    expect(settings).toEqual({
      arn: ARN,
      name: 'startupwebapp-tg',
      targetType: 'ip',
      port: 8000,
      protocol: 'HTTP',
      healthCheck: {
        enabled: true,
        protocol: undefined,
        path: '/order/products',
        intervalSeconds: 30,
        timeoutSeconds: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
        matcher: '200',
      },
      deregistrationDelaySeconds: 300,
    });
  });

  it('takes the deregistration delay ELB answers', () => {
    const settings = targetGroupSettings(group, [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]);
    expect(settings.deregistrationDelaySeconds).toBe(30);
  });

  it("falls back to ELB's HTTP defaults for missing health-check fields and names the group from its ARN", () => {
    const settings = targetGroupSettings({ TargetGroupArn: ARN }, []);
    expect(settings.name).toBe('startupwebapp-tg');
    expect(settings.healthCheck).toMatchObject({ intervalSeconds: 30, healthyThreshold: 5, unhealthyThreshold: 2 });
  });
});

test('targetGroupName', () => {
  expect(targetGroupName(ARN)).toBe('startupwebapp-tg');
  expect(targetGroupName('not-an-arn')).toBe('not-an-arn');
});

test('targetHealthOf', () => {
  expect(
    targetHealthOf({
      Target: { Id: '10.0.1.17', Port: 8000 },
      TargetHealth: {
        State: 'draining',
        Reason: 'Target.DeregistrationInProgress',
        Description: 'Target deregistration is in progress',
      },
    }),
  ).toEqual({
    id: '10.0.1.17',
    port: 8000,
    state: 'draining',
    reason: 'Target.DeregistrationInProgress',
    description: 'Target deregistration is in progress',
  });
});

test('healthCheckText', () => {
  const check = {
    enabled: true,
    path: '/order/products',
    intervalSeconds: 30,
    timeoutSeconds: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
    matcher: '200',
  };
  expect(healthCheckText(check)).toBe('/order/products every 30 s, healthy after 2, unhealthy after 3, expects 200');
  expect(healthCheckText({ ...check, enabled: false })).toBe('health checks disabled');
});
