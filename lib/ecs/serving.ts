import type { Task } from '@aws-sdk/client-ecs';
import type { TargetGroupSettings, TargetHealth } from '../elb/target-groups.js';

/**
 * Does the new revision serve all the traffic? Pure judgement from one poll: our deployment's counts, the service's
 * tasks (which deployment started each, its IP) and the health of every target in each of the service's target groups.
 *
 * Serving means: every task our deployment wants is RUNNING and healthy in every target group, and no other target
 * (an older task, or anything registered by hand) is healthy or still being checked in any of them, so the load
 * balancer routes every new request to the new revision. Old targets may still be draining: requests they already had
 * finish there, for up to the deregistration delay.
 */

export interface ServiceTask {
  arn: string;
  /** The deployment that started it (`startedBy`, `ecs-svc/…`). */
  startedBy?: string;
  /** Private IPv4 address of its network interface (awsvpc); what an `ip` target group registers. */
  ip?: string;
  lastStatus?: string;
}

/** The IPv4 address of the task's ENI: from its attachment details, or its containers' network interfaces. */
export function serviceTaskOf(task: Task): ServiceTask {
  const eni = task.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
  const fromAttachment = eni?.details?.find((d) => d.name === 'privateIPv4Address')?.value;
  const fromContainer = task.containers
    ?.flatMap((c) => c.networkInterfaces ?? [])
    .find((n) => n.privateIpv4Address)?.privateIpv4Address;
  return {
    arn: task.taskArn ?? '',
    startedBy: task.startedBy,
    ip: fromAttachment ?? fromContainer,
    lastStatus: task.lastStatus,
  };
}

export interface TargetGroupHealth {
  group: TargetGroupSettings;
  targets: TargetHealth[];
}

export interface GroupCounts {
  name: string;
  arn: string;
  /** How many new tasks we wait for (the deployment's desired count). */
  wanted: number;
  newHealthy: number;
  /** Registered, first health checks not passed yet. */
  newInitial: number;
  newUnhealthy: number;
  /** Old (or foreign) targets the load balancer may still send new requests to: healthy or being checked. */
  oldServing: number;
  oldDraining: number;
  /** Old targets that are registered but unhealthy or unused: no traffic while new ones are healthy. */
  oldIdle: number;
  /** Targets this group cannot tell apart: the target type is not `ip`, so tasks are not matched by address. */
  unmatched: boolean;
}

export interface ServingVerdict {
  serving: boolean;
  groups: GroupCounts[];
  /** Why not yet, in words (undefined when serving). */
  waitingFor?: string;
}

export interface ServingInput {
  deploymentId: string;
  desired: number;
  running: number;
  pending: number;
  tasks: readonly ServiceTask[];
  /** Addresses without a described task that are taken for our deployment's (see lib/ecs/task-lookups.ts). */
  presumedOurs?: ReadonlySet<string>;
  groups: readonly TargetGroupHealth[];
}

const DRAINING = new Set(['draining', 'unhealthy.draining']);
const SERVING = new Set(['healthy', 'initial']);

export function judgeServing(input: ServingInput): ServingVerdict {
  const byIp = new Map(input.tasks.filter((t) => t.ip).map((t) => [t.ip as string, t]));
  const isNew = (target: TargetHealth) => {
    const task = byIp.get(target.id);
    return task ? task.startedBy === input.deploymentId : !!input.presumedOurs?.has(target.id);
  };
  const groups = input.groups.map(({ group, targets }) => countGroup(group, targets, input.desired, isNew));
  const waits: string[] = [];
  if (input.running < input.desired || input.pending > 0) {
    waits.push(`${input.running}/${input.desired} new tasks running`);
  }
  for (const counts of groups) {
    if (counts.unmatched) waits.push(`${counts.name}: target type is not ip, new and old targets cannot be told apart`);
    else if (counts.newHealthy < counts.wanted)
      waits.push(`${counts.name}: ${counts.newHealthy}/${counts.wanted} new targets healthy`);
    else if (counts.oldServing > 0) waits.push(`${counts.name}: ${counts.oldServing} old targets still in service`);
  }
  return { serving: waits.length === 0, groups, waitingFor: waits.length > 0 ? waits.join('; ') : undefined };
}

function countGroup(
  group: TargetGroupSettings,
  targets: readonly TargetHealth[],
  wanted: number,
  isNew: (target: TargetHealth) => boolean,
): GroupCounts {
  const counts: GroupCounts = {
    name: group.name,
    arn: group.arn,
    wanted,
    newHealthy: 0,
    newInitial: 0,
    newUnhealthy: 0,
    oldServing: 0,
    oldDraining: 0,
    oldIdle: 0,
    unmatched: group.targetType !== undefined && group.targetType !== 'ip',
  };
  for (const target of targets) {
    if (isNew(target)) {
      if (target.state === 'healthy') counts.newHealthy++;
      else if (target.state === 'initial') counts.newInitial++;
      else if (!DRAINING.has(target.state)) counts.newUnhealthy++;
    } else if (DRAINING.has(target.state)) counts.oldDraining++;
    else if (SERVING.has(target.state)) counts.oldServing++;
    else counts.oldIdle++;
  }
  return counts;
}

/** `startupwebapp-tg: new 1/2 healthy, 1 initial · old 2 healthy` (`, 2 draining (about 4:35 left)`). */
export function servingLine(counts: GroupCounts, drainLeft?: string): string {
  const fresh = [`new ${counts.newHealthy}/${counts.wanted} healthy`];
  if (counts.newInitial > 0) fresh.push(`${counts.newInitial} initial`);
  if (counts.newUnhealthy > 0) fresh.push(`${counts.newUnhealthy} unhealthy`);
  const old: string[] = [];
  if (counts.oldServing > 0) old.push(`${counts.oldServing} in service`);
  if (counts.oldDraining > 0) old.push(`${counts.oldDraining} draining${drainLeft ? ` (${drainLeft})` : ''}`);
  if (counts.oldIdle > 0) old.push(`${counts.oldIdle} unhealthy`);
  return `${counts.name}: ${fresh.join(', ')}${old.length > 0 ? ` · old ${old.join(', ')}` : ''}`;
}
