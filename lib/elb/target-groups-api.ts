import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClientConfig } from '../aws/config.js';
import { targetGroupSettings, targetHealthOf, type TargetGroupSettings, type TargetHealth } from './target-groups.js';

/**
 * The ELB v2 calls of this suite, all read-only: a target group's settings and the health of its targets. This module
 * (with the SDK client) is loaded only when a service has target groups (lib/ecs/target-group-watch.ts), so the
 * client is built here rather than in lib/aws/clients.ts, which every action loads at start.
 */

export function elbClient(config: AwsClientConfig): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({ ...config });
}

/** DescribeTargetGroups (up to 20 ARNs a call), then DescribeTargetGroupAttributes for each group. */
export async function describeTargetGroups(
  elb: ElasticLoadBalancingV2Client,
  arns: readonly string[],
): Promise<TargetGroupSettings[]> {
  const unique = [...new Set(arns)];
  const settings: TargetGroupSettings[] = [];
  for (let i = 0; i < unique.length; i += 20) {
    const answer = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: unique.slice(i, i + 20) }));
    for (const group of answer.TargetGroups ?? []) {
      const attributes = await elb.send(
        new DescribeTargetGroupAttributesCommand({ TargetGroupArn: group.TargetGroupArn }),
      );
      settings.push(targetGroupSettings(group, attributes.Attributes ?? []));
    }
  }
  return settings;
}

/** Every registered target of the group (draining ones included) with its state. */
export async function describeTargetHealth(
  elb: ElasticLoadBalancingV2Client,
  targetGroupArn: string,
): Promise<TargetHealth[]> {
  const answer = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return (answer.TargetHealthDescriptions ?? []).map(targetHealthOf);
}
