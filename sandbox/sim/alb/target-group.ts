import { serviceEvents } from '../ecs/service-events.js';
import type { Service, Task } from '../model.js';
import type { World } from '../world.js';

/** The service's target group as ECS reports it: tasks join when RUNNING and leave (draining) when stopped. */

/** The first load balancer's target group and container port (80 unless given), if the service has one. */
export function targetGroupOf(service: Service): { arn: string; port: number } | undefined {
  const lb = service.loadBalancers[0];
  const arn = lb?.targetGroupArn as string | undefined;
  return arn ? { arn, port: (lb?.containerPort as number | undefined) ?? 80 } : undefined;
}

/** Tasks that reached RUNNING since the last step join the target group: one event for the batch. */
export function registerTargets(world: World, service: Service, tasks: Task[]): void {
  const targetGroup = targetGroupOf(service);
  if (!targetGroup) return;
  const fresh = tasks.filter((t) => !t.targetRegistered && t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');
  if (fresh.length === 0) return;
  for (const task of fresh) task.targetRegistered = true;
  world.serviceEvent(service, serviceEvents.registeredTargets(service, fresh.length, targetGroup.arn));
}

/** Stopped tasks leave the target group, which drains their connections (per old deployment, a "task set"). */
export function deregisterTargets(world: World, service: Service, stopping: Task[]): void {
  const targetGroup = targetGroupOf(service);
  const registered = stopping.filter((t) => t.targetRegistered);
  if (!targetGroup || registered.length === 0) return;
  for (const task of registered) task.targetRegistered = false;
  world.serviceEvent(service, serviceEvents.deregisteredTargets(service, registered.length, targetGroup.arn));
  for (const deploymentId of new Set(registered.map((t) => t.deploymentId ?? ''))) {
    const count = registered.filter((t) => (t.deploymentId ?? '') === deploymentId).length;
    world.serviceEvent(service, serviceEvents.draining(service, deploymentId, count));
  }
}
