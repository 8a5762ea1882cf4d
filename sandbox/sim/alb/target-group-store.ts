import { createHash } from 'node:crypto';

/**
 * ELB v2 target groups as ECS services use them: targets registered when a task starts RUNNING, health checks every
 * `HealthCheckIntervalSeconds` on the group's path (the first check one interval after registration; `initial` until
 * `HealthyThresholdCount` checks pass in a row, `unhealthy` after `UnhealthyThresholdCount` fail), and draining for
 * `deregistration_delay.timeout_seconds` (ELB's default 300) after deregistration, when the target leaves the group.
 * Times are simulated; the engine calls `step()`.
 */

export interface HealthCheckConfig {
  enabled: boolean;
  protocol: 'HTTP' | 'HTTPS';
  /** `traffic-port` or a port number. */
  port: string;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** `200`, `200-299`, `200,202`. */
  matcher: string;
}

export interface TargetGroupSpec {
  name: string;
  port: number;
  protocol?: 'HTTP' | 'HTTPS';
  vpcId: string;
  targetType?: 'ip' | 'instance';
  healthCheck?: Partial<HealthCheckConfig>;
  /** Attributes set explicitly (e.g. `deregistration_delay.timeout_seconds`); others answer ELB's defaults. */
  attributes?: Record<string, string>;
  loadBalancerArns?: string[];
}

/** What a health check request to a target got: an HTTP status, or no answer in time. */
export type ProbeAnswer = number | 'timeout' | 'refused';

/** The thing behind a target (an ECS task): answers health checks while its containers run. */
export interface TargetOwner {
  /** The task's IPv4 address (target type ip). */
  ip: string;
  /** Recorded with its state changes (the deployment that started the task). */
  tag?: string;
  probe(path: string): ProbeAnswer;
}

/** `removed`: only told to `onChange`, when the target left the group. */
export type TargetStateName = 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'removed';

export interface Target {
  id: string;
  port: number;
  owner: TargetOwner;
  state: TargetStateName;
  reason?: string;
  description?: string;
  registeredAtSim: number;
  nextCheckAtSim: number;
  passes: number;
  failures: number;
  /** Draining ends (the target leaves the group) at this simulated time. */
  drainUntilSim?: number;
}

export interface TargetGroup {
  arn: string;
  name: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  vpcId: string;
  targetType: 'ip' | 'instance';
  healthCheck: HealthCheckConfig;
  attributes: Map<string, string>;
  loadBalancerArns: string[];
  /** By `id:port`. */
  targets: Map<string, Target>;
}

/** The attributes an Application Load Balancer's target group answers when none was set (DescribeTargetGroupAttributes). */
export const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = {
  'deregistration_delay.timeout_seconds': '300',
  'deregistration_delay.connection_termination.enabled': 'false',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'stickiness.app_cookie.cookie_name': '',
  'stickiness.app_cookie.duration_seconds': '86400',
  'slow_start.duration_seconds': '0',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.algorithm.anomaly_mitigation': 'off',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': 'off',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': 'off',
};

/** ELB's defaults for an HTTP target group's health check. */
const DEFAULT_HEALTH_CHECK: HealthCheckConfig = {
  enabled: true,
  protocol: 'HTTP',
  port: 'traffic-port',
  path: '/',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  matcher: '200',
};

/** Does `status` match a matcher such as `200`, `200-299` or `200,202`? */
export function matches(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [low, high] = part.trim().split('-').map(Number);
    return high === undefined ? status === low : status >= (low as number) && status <= high;
  });
}

const REASONS = {
  registering: ['Elb.RegistrationInProgress', 'Target registration is in progress'],
  checking: ['Elb.InitialHealthChecking', 'Initial health checks in progress'],
  draining: ['Target.DeregistrationInProgress', 'Target deregistration is in progress'],
  timeout: ['Target.Timeout', 'Request timed out'],
  refused: ['Target.FailedHealthChecks', 'Health checks failed'],
} as const;

export class TargetGroupStore {
  readonly groups = new Map<string, TargetGroup>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    private readonly now: () => number,
    /** Told each state change (for the simulator's timeline). */
    private readonly onChange: (group: TargetGroup, target: Target) => void = () => {},
  ) {}

  create(spec: TargetGroupSpec): TargetGroup {
    const id = createHash('sha256').update(`${this.accountId} ${spec.name}`).digest('hex').slice(0, 16);
    const arn = `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:targetgroup/${spec.name}/${id}`;
    const group: TargetGroup = {
      arn,
      name: spec.name,
      port: spec.port,
      protocol: spec.protocol ?? 'HTTP',
      vpcId: spec.vpcId,
      targetType: spec.targetType ?? 'ip',
      healthCheck: { ...DEFAULT_HEALTH_CHECK, ...spec.healthCheck },
      attributes: new Map(Object.entries(spec.attributes ?? {})),
      loadBalancerArns: spec.loadBalancerArns ?? [],
      targets: new Map(),
    };
    this.groups.set(arn, group);
    return group;
  }

  byName(name: string): TargetGroup | undefined {
    return [...this.groups.values()].find((g) => g.name === name);
  }

  attribute(group: TargetGroup, key: string): string | undefined {
    return group.attributes.get(key) ?? DEFAULT_ATTRIBUTES[key];
  }

  deregistrationDelaySeconds(group: TargetGroup): number {
    return Number(this.attribute(group, 'deregistration_delay.timeout_seconds') ?? 300);
  }

  register(group: TargetGroup, owner: TargetOwner, port: number): Target {
    const key = `${owner.ip}:${port}`;
    const existing = group.targets.get(key);
    if (existing && existing.state !== 'draining') return existing;
    const now = this.now();
    const [reason, description] = REASONS.registering;
    const target: Target = {
      id: owner.ip,
      port,
      owner,
      state: 'initial',
      reason,
      description,
      registeredAtSim: now,
      nextCheckAtSim: now + group.healthCheck.intervalSeconds * 1000,
      passes: 0,
      failures: 0,
    };
    group.targets.set(key, target);
    this.onChange(group, target);
    return target;
  }

  /** Starts draining the owner's target; returns the seconds it drains (0: it left at once, or was not registered). */
  deregister(group: TargetGroup, owner: TargetOwner): number {
    const target = [...group.targets.values()].find((t) => t.owner === owner && t.state !== 'draining');
    if (!target) return 0;
    const delay = this.deregistrationDelaySeconds(group);
    if (delay <= 0) {
      group.targets.delete(`${target.id}:${target.port}`);
      this.onChange(group, { ...target, state: 'removed' });
      return 0;
    }
    const [reason, description] = REASONS.draining;
    Object.assign(target, { state: 'draining', reason, description, drainUntilSim: this.now() + delay * 1000 });
    this.onChange(group, target);
    return delay;
  }

  targetOf(group: TargetGroup, owner: TargetOwner): Target | undefined {
    return [...group.targets.values()].find((t) => t.owner === owner);
  }

  /** Runs the health checks that are due and ends the drains that are over. */
  step(): void {
    const now = this.now();
    for (const group of this.groups.values()) {
      for (const [key, target] of group.targets) {
        if (target.state === 'draining') {
          if ((target.drainUntilSim ?? 0) <= now) {
            group.targets.delete(key);
            this.onChange(group, { ...target, state: 'removed' });
          }
          continue;
        }
        if (!group.healthCheck.enabled) continue;
        while (target.nextCheckAtSim <= now) {
          this.check(group, target);
          target.nextCheckAtSim += group.healthCheck.intervalSeconds * 1000;
        }
      }
    }
  }

  private check(group: TargetGroup, target: Target): void {
    const before = target.state;
    this.judge(group, target);
    if (target.state !== before) this.onChange(group, target);
  }

  private judge(group: TargetGroup, target: Target): void {
    const check = group.healthCheck;
    const answer = target.owner.probe(check.path);
    const passed = typeof answer === 'number' && matches(check.matcher, answer);
    if (passed) {
      target.passes++;
      target.failures = 0;
    } else {
      target.failures++;
      target.passes = 0;
    }
    if (passed && target.passes >= check.healthyThreshold) {
      Object.assign(target, { state: 'healthy', reason: undefined, description: undefined });
    } else if (!passed && target.failures >= check.unhealthyThreshold) {
      const [reason, description] =
        typeof answer === 'number'
          ? ['Target.ResponseCodeMismatch', `Health checks failed with these codes: [${answer}]`]
          : REASONS[answer];
      Object.assign(target, { state: 'unhealthy', reason, description });
    } else if (target.state === 'initial') {
      const [reason, description] = REASONS.checking;
      Object.assign(target, { reason, description });
    }
  }
}
