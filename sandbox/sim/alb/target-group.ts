import { serviceEvents } from '../ecs/service-events.js';
import type { Service, Task } from '../model.js';
import type { World } from '../world.js';
import type { ProbeAnswer, TargetGroup, TargetOwner } from './target-group-store.js';

/**
 * ECS's side of the service's target groups: tasks are registered once RUNNING (one event per group and batch) and
 * deregistered when the scheduler stops them, which starts their drain; ECS stops the task only once every group has
 * drained it. A task counts as healthy for the rollout when it is healthy in every group.
 */

/** StartupWebApp's routes (StartupWebApp/StartupWebApp/urls.py): any other path is a Django 404. */
const APP_ROUTES = ['/order/', '/user/', '/clientevent/', '/admin/'];

/** The service's target groups that exist, each with the container port its tasks register. */
export function targetGroupsOf(world: World, service: Service): Array<{ group: TargetGroup; port: number }> {
  return service.loadBalancers.flatMap((lb) => {
    const group = world.targetGroups.groups.get(lb.targetGroupArn as string);
    return group ? [{ group, port: (lb.containerPort as number | undefined) ?? group.port }] : [];
  });
}

const owners = new WeakMap<Task, TargetOwner>();

/** The task as a target sees it: its address, and the app's answer on a path (the essential container serves). */
export function targetOwner(world: World, task: Task): TargetOwner {
  let owner = owners.get(task);
  if (!owner) {
    owner = { ip: task.privateIp, tag: task.deploymentId, probe: (path) => appAnswer(world, task, path) };
    owners.set(task, owner);
  }
  return owner;
}

/**
 * What the app in the task answers on `path`: nothing before it runs or once its container stopped; nothing either
 * for the first `healthCheckSeconds` (default 5) while it boots; then 500 everywhere for an unhealthy image, else 200
 * on StartupWebApp's routes and 404 elsewhere (there is no `/health`).
 */
export function appAnswer(world: World, task: Task, path: string): ProbeAnswer {
  const essential = task.containers.find((c) => c.essential) ?? task.containers[0];
  if (!essential || essential.lastStatus !== 'RUNNING' || task.runningSinceSim === undefined) return 'refused';
  const behaviour = world.behaviours.of(essential.image);
  const bootMs = (behaviour.health === 'unhealthy' ? 0 : (behaviour.healthCheckSeconds ?? 5)) * 1000;
  if (world.clock.now() - task.runningSinceSim < bootMs) return 'refused';
  if (behaviour.health === 'unhealthy') return 500;
  return APP_ROUTES.some((route) => path === route.slice(0, -1) || path.startsWith(route)) ? 200 : 404;
}

/** Tasks that reached RUNNING since the last step join every target group: one event per group for the batch. */
export function registerTargets(world: World, service: Service, tasks: Task[]): void {
  const groups = targetGroupsOf(world, service);
  if (groups.length === 0) return;
  const fresh = tasks.filter((t) => !t.targetRegistered && t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');
  if (fresh.length === 0) return;
  for (const task of fresh) task.targetRegistered = true;
  for (const { group, port } of groups) {
    for (const task of fresh) world.targetGroups.register(group, targetOwner(world, task), port);
    world.serviceEvent(service, serviceEvents.registeredTargets(service, fresh.length, group.arn));
  }
}

/** How long ECS keeps stopping tasks DEACTIVATING: the longest deregistration delay of a group they are in (or 0). */
export function drainSeconds(world: World, service: Service, stopping: Task[]): number {
  if (!stopping.some((t) => t.targetRegistered)) return 0;
  return Math.max(
    0,
    ...targetGroupsOf(world, service).map(({ group }) => world.targetGroups.deregistrationDelaySeconds(group)),
  );
}

/** Stopping tasks leave every target group, which drains them (per old deployment, a "task set"). */
export function deregisterTargets(world: World, service: Service, stopping: Task[]): void {
  const groups = targetGroupsOf(world, service);
  const registered = stopping.filter((t) => t.targetRegistered);
  if (groups.length === 0 || registered.length === 0) return;
  for (const task of registered) task.targetRegistered = false;
  for (const { group } of groups) {
    for (const task of registered) world.targetGroups.deregister(group, targetOwner(world, task));
    world.serviceEvent(service, serviceEvents.deregisteredTargets(service, registered.length, group.arn));
  }
  for (const deploymentId of new Set(registered.map((t) => t.deploymentId ?? ''))) {
    const count = registered.filter((t) => (t.deploymentId ?? '') === deploymentId).length;
    world.serviceEvent(service, serviceEvents.draining(service, deploymentId, count));
  }
}

/** Healthy in every target group of the service (true when it has none). */
export function healthyInTargetGroups(world: World, service: Service, task: Task): boolean {
  return targetGroupsOf(world, service).every(
    ({ group }) => world.targetGroups.targetOf(group, targetOwner(world, task))?.state === 'healthy',
  );
}

/** The first target group in which the task is unhealthy, if any. */
export function unhealthyIn(
  world: World,
  service: Service,
  task: Task,
): { group: TargetGroup; port: number } | undefined {
  return targetGroupsOf(world, service).find(
    ({ group }) => world.targetGroups.targetOf(group, targetOwner(world, task))?.state === 'unhealthy',
  );
}
