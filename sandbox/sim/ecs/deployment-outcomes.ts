import { serviceEvents } from './service-events.js';
import type { Deployment, Service, ServiceDeploymentRecord } from '../model.js';
import type { World } from '../world.js';

/** How a deployment's rollout ends, the same for the rolling and the staged (blue/green, linear, canary) scheduler. */

/** The deployment's rolloutState and reason as DescribeServices shows them, and the timeline entry tests wait on. */
export function setRollout(
  world: World,
  deployment: Deployment,
  state: Deployment['rolloutState'],
  reason: string,
): void {
  deployment.rolloutState = state;
  deployment.rolloutStateReason = reason;
  deployment.updatedAt = Date.now();
  world.record('deployment', deployment.id, state, reason);
}

/**
 * `primary` COMPLETED: the service's only deployment and its stable revision, its service deployment record closed
 * with `status`, and ECS's two events (`deployment … completed`, `has reached a steady state`).
 */
export function completeDeployment(
  world: World,
  service: Service,
  primary: Deployment,
  record: ServiceDeploymentRecord,
  status: 'SUCCESSFUL' | 'ROLLBACK_SUCCESSFUL',
): void {
  setRollout(world, primary, 'COMPLETED', `ECS deployment ${primary.id} completed.`);
  service.deployments = [primary];
  record.status = status;
  record.finishedAt = record.updatedAt = Date.now();
  if (record.breaker.status === 'MONITORING') record.breaker.status = 'MONITORING_COMPLETE';
  service.stable = {
    taskDefinition: primary.taskDefinition,
    revisionArn: primary.revisionArn,
    deploymentId: primary.id,
  };
  world.serviceEvent(service, serviceEvents.completed(service, primary.id));
  world.serviceEvent(service, serviceEvents.steadyState(service));
}
