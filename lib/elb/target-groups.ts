import type {
  TargetGroup,
  TargetGroupAttribute,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';

/**
 * A target group as a deploy needs it: how its health checks judge a new task, and how long an old one drains.
 * Pure: built from DescribeTargetGroups and DescribeTargetGroupAttributes answers.
 */

/** ELB's default `deregistration_delay.timeout_seconds` (what it answers when the attribute was never set). */
export const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;

export interface HealthCheckSettings {
  enabled: boolean;
  protocol?: string;
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** `200`, `200-299`, `200,202` (HTTP) or a gRPC code list. */
  matcher?: string;
}

export interface TargetGroupSettings {
  arn: string;
  name: string;
  /** `ip` (awsvpc tasks, e.g. Fargate), `instance` or `lambda`/`alb`. */
  targetType?: string;
  port?: number;
  protocol?: string;
  healthCheck: HealthCheckSettings;
  /** `deregistration_delay.timeout_seconds`: ELB answers its default, 300, when it was never set. */
  deregistrationDelaySeconds: number;
}

/** ELB's states; `unhealthy.draining` is a target deregistered while unhealthy. */
export type TargetState =
  'initial' | 'healthy' | 'unhealthy' | 'unhealthy.draining' | 'unused' | 'draining' | 'unavailable';

export interface TargetHealth {
  /** The IP address (target type ip) or instance id. */
  id: string;
  port?: number;
  state: TargetState | string;
  /** `Elb.InitialHealthChecking`, `Target.ResponseCodeMismatch` … */
  reason?: string;
  description?: string;
}

/** `startupwebapp-tg` from `arn:aws:elasticloadbalancing:…:targetgroup/startupwebapp-tg/0123456789abcdef`. */
export function targetGroupName(arn: string): string {
  return /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn;
}

export function targetGroupSettings(group: TargetGroup, attributes: TargetGroupAttribute[]): TargetGroupSettings {
  const arn = group.TargetGroupArn ?? '';
  const delay = attributes.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value;
  const parsed = delay !== undefined && /^\d+$/.test(delay.trim()) ? Number(delay) : undefined;
  return {
    arn,
    name: group.TargetGroupName ?? targetGroupName(arn),
    targetType: group.TargetType,
    port: group.Port,
    protocol: group.Protocol,
    healthCheck: {
      enabled: group.HealthCheckEnabled ?? true,
      protocol: group.HealthCheckProtocol,
      path: group.HealthCheckPath,
      // ELB's defaults for HTTP target groups where an answer leaves a field out.
      intervalSeconds: group.HealthCheckIntervalSeconds ?? 30,
      timeoutSeconds: group.HealthCheckTimeoutSeconds ?? 5,
      healthyThreshold: group.HealthyThresholdCount ?? 5,
      unhealthyThreshold: group.UnhealthyThresholdCount ?? 2,
      matcher: group.Matcher?.HttpCode ?? group.Matcher?.GrpcCode,
    },
    deregistrationDelaySeconds: parsed ?? DEFAULT_DEREGISTRATION_DELAY_SECONDS,
  };
}

export function targetHealthOf(description: TargetHealthDescription): TargetHealth {
  return {
    id: description.Target?.Id ?? '?',
    port: description.Target?.Port,
    state: description.TargetHealth?.State ?? 'unavailable',
    reason: description.TargetHealth?.Reason,
    description: description.TargetHealth?.Description,
  };
}

/** `/order/products every 30 s, healthy after 2, unhealthy after 3, 200` */
export function healthCheckText(check: HealthCheckSettings): string {
  if (!check.enabled) return 'health checks disabled';
  const what = check.path ?? check.protocol ?? 'health check';
  const matcher = check.matcher ? `, expects ${check.matcher}` : '';
  return `${what} every ${check.intervalSeconds} s, healthy after ${check.healthyThreshold}, unhealthy after ${check.unhealthyThreshold}${matcher}`;
}
