import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from './task-definitions.js';

/**
 * Pure judgement of one deployment (ours, by id) from a DescribeServices snapshot. "The service is stable" is not
 * the question: a circuit-breaker rollback ends stable too, on the old revision.
 */

export interface DeploymentCounts {
  desired: number;
  running: number;
  pending: number;
  failed: number;
  rolloutState: string;
}

export type DeploymentVerdict =
  | { kind: 'in-progress'; counts: DeploymentCounts }
  | { kind: 'completed'; counts: DeploymentCounts }
  /** rolloutState FAILED, or (no circuit breaker) as many failed tasks as a breaker would allow. */
  | { kind: 'failed'; counts: DeploymentCounts; reason: string }
  /** ECS is putting the previous revision back: `rollbackDeploymentId` is that newer deployment. */
  | { kind: 'rolling-back'; counts?: DeploymentCounts; reason: string; rollbackDeploymentId?: string }
  /** Ours is gone or another deployment took over (someone else deployed, or it was stopped). */
  | { kind: 'replaced'; counts?: DeploymentCounts; reason: string; replacedBy?: string };

export interface ClassifyOptions {
  /** The task definition the service ran before our deployment: a newer deployment of it is a rollback. */
  previousTaskDefinition?: string;
  /**
   * Without a circuit breaker ECS retries failing tasks forever; fail once this many tasks failed. Defaults to the
   * breaker's own threshold for the desired count; 0 turns it off.
   */
  failedTaskLimit?: number;
}

export function countsOf(deployment: Deployment): DeploymentCounts {
  return {
    desired: deployment.desiredCount ?? 0,
    running: deployment.runningCount ?? 0,
    pending: deployment.pendingCount ?? 0,
    failed: deployment.failedTasks ?? 0,
    rolloutState: deployment.rolloutState ?? 'UNKNOWN',
  };
}

/** ECS's circuit breaker threshold: half the desired count, at least 3 and at most 200 failed tasks. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount / 2)));
}

function hasCircuitBreaker(service: Service): boolean {
  return service.deploymentConfiguration?.deploymentCircuitBreaker?.enable === true;
}

export function classifyDeployment(
  service: Service,
  deploymentId: string,
  options: ClassifyOptions = {},
): DeploymentVerdict {
  const deployments = service.deployments ?? [];
  const ours = deployments.find((d) => d.id === deploymentId);
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const newer = primary && primary.id !== deploymentId ? primary : undefined;

  if (!ours) {
    if (newer && isRollback(newer, options.previousTaskDefinition)) {
      return {
        kind: 'rolling-back',
        reason: `deployment ${deploymentId} was rolled back: ${newer.id} put ${shortTaskDefinition(newer.taskDefinition)} back`,
        rollbackDeploymentId: newer.id,
      };
    }
    return {
      kind: 'replaced',
      reason: `deployment ${deploymentId} is no longer on the service${newer ? ` (now ${newer.id} of ${shortTaskDefinition(newer.taskDefinition)})` : ''}`,
      replacedBy: newer?.id,
    };
  }

  const counts = countsOf(ours);
  if (newer) {
    if (isRollback(newer, options.previousTaskDefinition) || counts.rolloutState === 'FAILED') {
      return {
        kind: 'rolling-back',
        counts,
        reason: `${rolloutReason(ours, 'deployment failed')}; ECS is rolling back to ${shortTaskDefinition(newer.taskDefinition)} (deployment ${newer.id})`,
        rollbackDeploymentId: newer.id,
      };
    }
    return {
      kind: 'replaced',
      counts,
      reason: `deployment ${deploymentId} was replaced by ${newer.id} of ${shortTaskDefinition(newer.taskDefinition)} (someone else deployed)`,
      replacedBy: newer.id,
    };
  }

  if (counts.rolloutState === 'FAILED') {
    if (service.deploymentConfiguration?.deploymentCircuitBreaker?.rollback === true) {
      return {
        kind: 'rolling-back',
        counts,
        reason: `${rolloutReason(ours, 'deployment failed')}; the circuit breaker rolls back to the previous revision`,
      };
    }
    return { kind: 'failed', counts, reason: rolloutReason(ours, 'deployment failed') };
  }
  if (counts.rolloutState === 'COMPLETED' && counts.running >= counts.desired && counts.pending === 0) {
    return { kind: 'completed', counts };
  }
  if (!hasCircuitBreaker(service)) {
    const limit = options.failedTaskLimit ?? circuitBreakerThreshold(counts.desired);
    if (limit > 0 && counts.failed >= limit) {
      return {
        kind: 'failed',
        counts,
        reason: `${counts.failed} tasks of deployment ${deploymentId} failed; the service has no circuit breaker, so ECS would keep retrying`,
      };
    }
  }
  return { kind: 'in-progress', counts };
}

/**
 * A newer deployment is ECS putting things back when it deploys the revision ours replaced, or says so itself: the
 * circuit breaker's rollback deployment reads `ECS deployment circuit breaker: rolling back to deploymentId …`.
 */
function isRollback(deployment: Deployment, previous: string | undefined): boolean {
  if (previous !== undefined && deployment.taskDefinition === previous) return true;
  return /rolling back/i.test(deployment.rolloutStateReason ?? '');
}

function rolloutReason(deployment: Deployment, fallback: string): string {
  return deployment.rolloutStateReason?.trim().replace(/\.$/, '') || fallback;
}

/** `2/2 running, 1 pending, 0 failed · rollout IN_PROGRESS` */
export function progressLine(counts: DeploymentCounts): string {
  return `${counts.running}/${counts.desired} running, ${counts.pending} pending, ${counts.failed} failed · rollout ${counts.rolloutState}`;
}

/** A deployment other than a settled PRIMARY: something is rolling out (or draining) right now. */
export function deploymentInFlight(service: Service): Deployment | undefined {
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (primary?.rolloutState === 'IN_PROGRESS') return primary;
  if (deployments.length > 1) return primary ?? deployments[0];
  return undefined;
}

/** The PRIMARY deployment UpdateService just created. */
export function primaryDeployment(service: Service | undefined): Deployment | undefined {
  return service?.deployments?.find((d) => d.status === 'PRIMARY');
}
