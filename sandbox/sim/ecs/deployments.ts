import {
  deregisterTargets,
  drainSeconds,
  healthyInTargetGroups,
  registerTargets,
  targetGroupsOf,
  unhealthyIn,
} from '../alb/target-group.js';
import { deploymentId } from '../core/ids.js';
import { BREAKER_REASON, breakerDecision, breakerThreshold } from './circuit-breaker.js';
import { launchSettingsOf } from './launch-settings.js';
import { planRollingStep, type TaskView } from './rolling-plan.js';
import { createRevision, recordOf, serviceDeploymentArn } from './service-deployments.js';
import { breakerRollbackReason, serviceEvents } from './service-events.js';
import { containersOf } from './task-definitions.js';
import { beginStop } from './task-lifecycle.js';
import { startServiceTasks } from './service-tasks.js';
import { completeDeployment, setRollout } from './deployment-outcomes.js';
import { reconcileStaged, stagedStrategy } from './staged-deployments.js';
import type { ServiceDeploymentRecord, TaskDefinition, Deployment, Service, Task } from '../model.js';
import type { World } from '../world.js';

/** The service scheduler: starts deployments and, on every engine step, rolls each service towards its primary. */

const IN_FLIGHT = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED'];

function breakerConfig(service: Service) {
  return service.deploymentConfiguration.deploymentCircuitBreaker as
    { enable?: boolean; rollback?: boolean } | undefined;
}

function newDeployment(
  world: World,
  service: Service,
  taskDefinition: TaskDefinition,
  record: ServiceDeploymentRecord,
  revisionArn: string,
  isRollback: boolean,
  reason?: string,
): Deployment {
  const id = deploymentId();
  const now = Date.now();
  for (const d of service.deployments) {
    d.status = 'ACTIVE';
    d.updatedAt = now;
  }
  service.taskDefinition = taskDefinition;
  const deployment: Deployment = {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: service.desiredCount,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: reason ?? `ECS deployment ${id} in progress.`,
    ...launchSettingsOf(service),
    serviceDeploymentArn: record.arn,
    revisionArn,
    halted: false,
    isRollback,
  };
  service.deployments.unshift(deployment);
  world.record('deployment', id, 'IN_PROGRESS', deployment.rolloutStateReason);
  return deployment;
}

/** A new PRIMARY deployment of the service's current configuration, with its history record and revision. */
export function startDeployment(world: World, service: Service): Deployment {
  const now = Date.now();
  for (const record of world.serviceDeployments.values()) {
    if (record.service === service && IN_FLIGHT.includes(record.status)) {
      record.status = 'STOPPED';
      record.statusReason = 'Service deployment stopped because a new service deployment started.';
      record.stoppedAt = record.updatedAt = now;
    }
  }
  const idPart = deploymentId().slice('ecs-svc/'.length);
  const revision = createRevision(world, service, idPart);
  const breaker = breakerConfig(service);
  const record: ServiceDeploymentRecord = {
    arn: serviceDeploymentArn(world, service),
    service,
    createdAt: now,
    startedAt: now,
    updatedAt: now,
    status: 'IN_PROGRESS',
    sourceRevisionArns: [...new Set(service.deployments.map((d) => d.revisionArn))],
    targetRevisionArn: revision.arn,
    deploymentConfiguration: service.deploymentConfiguration,
    breaker: breaker?.enable
      ? { status: 'MONITORING', failureCount: 0, threshold: breakerThreshold(service.desiredCount) }
      : { status: 'DISABLED', failureCount: 0, threshold: 0 },
  };
  world.serviceDeployments.set(record.arn, record);
  return newDeployment(world, service, service.taskDefinition, record, revision.arn, false);
}

function rollBack(
  world: World,
  service: Service,
  record: ServiceDeploymentRecord,
  reason: string,
  byBreaker: boolean,
): boolean {
  const stable = service.stable;
  if (!stable) return false;
  const now = Date.now();
  record.status = 'ROLLBACK_IN_PROGRESS';
  record.updatedAt = now;
  record.rollback = { reason, startedAt: now, serviceRevisionArn: stable.revisionArn };
  const rolloutReason = byBreaker ? breakerRollbackReason(stable.deploymentId) : undefined;
  newDeployment(world, service, stable.taskDefinition, record, stable.revisionArn, true, rolloutReason);
  world.serviceEvent(service, serviceEvents.rollingBack(service, stable.deploymentId));
  return true;
}

function failPrimary(world: World, service: Service, primary: Deployment, rollbackWanted: boolean): void {
  const record = recordOf(world, primary);
  setRollout(world, primary, 'FAILED', BREAKER_REASON);
  world.serviceEvent(service, serviceEvents.failed(service, primary.id));
  record.breaker.status = 'TRIGGERED';
  record.statusReason = BREAKER_REASON;
  record.updatedAt = Date.now();
  if (primary.isRollback) {
    record.status = 'ROLLBACK_FAILED';
    record.finishedAt = Date.now();
    primary.halted = true;
    return;
  }
  if (
    rollbackWanted &&
    rollBack(world, service, record, 'Circuit Breaker: the deployment exceeded its failed task threshold.', true)
  )
    return;
  primary.halted = true;
  record.status = 'STOPPED';
  record.stoppedAt = Date.now();
}

function complete(world: World, service: Service, primary: Deployment): void {
  const status = primary.isRollback ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
  completeDeployment(world, service, primary, recordOf(world, primary), status);
}

/**
 * Healthy for the rollout: RUNNING, healthy in every target group of the service, and HEALTHY by its container health
 * check if it has one. A load balancer entry naming no target group of this account counts as a health check.
 */
function isHealthy(world: World, service: Service, task: Task): boolean {
  if (task.lastStatus !== 'RUNNING') return false;
  const containerCheck = containersOf(task.taskDefinition).some((c) => c.healthCheck);
  if (targetGroupsOf(world, service).length > 0) {
    return healthyInTargetGroups(world, service, task) && (!containerCheck || task.healthStatus === 'HEALTHY');
  }
  const needsHealth = service.loadBalancers.length > 0 || containerCheck;
  return !needsHealth || task.healthStatus === 'HEALTHY';
}

/**
 * Tasks a target group calls unhealthy are stopped (and replaced) once the health-check grace period since they
 * started running is over; ECS counts them as failed for the circuit breaker.
 */
function stopUnhealthyTargets(world: World, service: Service, tasks: Task[]): void {
  const graceMs = (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
  const now = world.clock.now();
  const failing = tasks.filter(
    (t) =>
      t.desiredStatus === 'RUNNING' &&
      t.lastStatus === 'RUNNING' &&
      t.runningSinceSim !== undefined &&
      now - t.runningSinceSim >= graceMs &&
      unhealthyIn(world, service, t),
  );
  if (failing.length === 0) return;
  const deactivateSeconds = drainSeconds(world, service, failing);
  for (const task of failing) {
    const { group, port } = unhealthyIn(world, service, task)!;
    world.serviceEvent(service, serviceEvents.unhealthyTarget(service, task, port, group.arn));
    beginStop(world, task, {
      stopCode: 'ServiceSchedulerInitiated',
      reason: `Task failed ELB health checks in (target-group ${group.arn})`,
      failure: true,
      deactivateSeconds,
    });
  }
  world.serviceEvent(service, serviceEvents.stopped(service, failing));
  deregisterTargets(world, service, failing);
}

function handleStopRequest(world: World, service: Service): void {
  const request = service.pendingStop;
  if (!request) return;
  service.pendingStop = undefined;
  const { record, stopType } = request;
  const primary = service.deployments.find((d) => d.serviceDeploymentArn === record.arn && d.status === 'PRIMARY');
  const now = Date.now();
  if (stopType === 'ROLLBACK') {
    if (primary)
      setRollout(world, primary, 'FAILED', `ECS deployment ${primary.id} stopped: a rollback was requested.`);
    if (!rollBack(world, service, record, 'Rollback requested with StopServiceDeployment.', false)) {
      record.status = 'ROLLBACK_FAILED';
      record.finishedAt = record.updatedAt = now;
    }
    return;
  }
  if (primary) {
    primary.halted = true;
    setRollout(world, primary, 'FAILED', `ECS deployment ${primary.id} stopped.`);
  }
  record.status = 'STOPPED';
  record.statusReason = 'Service deployment stopped with StopServiceDeployment.';
  record.stoppedAt = record.updatedAt = now;
}

/** DeleteService: the service drains its tasks, then becomes INACTIVE. */
function drain(world: World, service: Service): void {
  const live = world.tasksOf(service).filter((t) => t.desiredStatus === 'RUNNING');
  const deactivateSeconds = drainSeconds(world, service, live);
  for (const task of live) {
    beginStop(world, task, {
      stopCode: 'ServiceSchedulerInitiated',
      reason: 'Service is being deleted',
      deactivateSeconds,
    });
  }
  deregisterTargets(world, service, live);
  if (world.tasksOf(service).every((t) => t.lastStatus === 'STOPPED')) service.status = 'INACTIVE';
}

function reconcileService(world: World, service: Service): void {
  if (service.status === 'DRAINING') return drain(world, service);
  if (service.status !== 'ACTIVE' || service.deployments.length === 0) return;
  if (stagedStrategy(service)) return reconcileStaged(world, service);
  handleStopRequest(world, service);
  stopUnhealthyTargets(world, service, world.tasksOf(service));
  const tasks = world.tasksOf(service);

  for (const task of tasks) {
    if (!task.uncountedFailure) continue;
    task.uncountedFailure = false;
    const deployment = service.deployments.find((d) => d.id === task.deploymentId);
    if (!deployment) continue;
    deployment.failedTasks++;
    deployment.updatedAt = Date.now();
    if (deployment.status === 'PRIMARY' && deployment.rolloutState === 'IN_PROGRESS')
      recordOf(world, deployment).breaker.failureCount++;
  }

  let primary = service.deployments[0];
  if (primary.rolloutState === 'IN_PROGRESS') {
    const decision = breakerDecision(breakerConfig(service), primary.failedTasks, primary.desiredCount);
    if (decision !== 'continue') {
      failPrimary(world, service, primary, decision === 'fail-and-roll-back');
      primary = service.deployments[0];
    }
  }

  const live = tasks.filter((t) => t.desiredStatus === 'RUNNING');
  const view = (t: Task): TaskView => ({ id: t.id, healthy: isHealthy(world, service, t) });
  const config = service.deploymentConfiguration;
  const plan = planRollingStep({
    desiredCount: primary.desiredCount,
    minimumHealthyPercent: config.minimumHealthyPercent ?? 100,
    maximumPercent: config.maximumPercent ?? 200,
    primary: live.filter((t) => t.deploymentId === primary.id).map(view),
    old: live.filter((t) => t.deploymentId !== primary.id).map(view),
    halted: primary.halted,
  });

  if (plan.stop.length > 0) {
    const stopping = live.filter((t) => plan.stop.includes(t.id));
    // Behind a load balancer ECS stops them only after they drained (DEACTIVATING for the deregistration delay).
    const deactivateSeconds = drainSeconds(world, service, stopping);
    for (const task of stopping) {
      beginStop(world, task, {
        stopCode: 'ServiceSchedulerInitiated',
        reason: `Scaling activity initiated by (deployment ${primary.id})`,
        deactivateSeconds,
      });
    }
    world.serviceEvent(service, serviceEvents.stopped(service, stopping));
    deregisterTargets(world, service, stopping);
  }
  if (plan.launch > 0) startServiceTasks(world, service, primary, plan.launch);
  registerTargets(world, service, tasks);

  if (primary.rolloutState === 'IN_PROGRESS') {
    const current = world.tasksOf(service);
    const primaryHealthy = current.filter(
      (t) => t.deploymentId === primary.id && t.desiredStatus === 'RUNNING' && isHealthy(world, service, t),
    );
    const primaryLive = current.filter((t) => t.deploymentId === primary.id && t.desiredStatus === 'RUNNING');
    const oldRemaining = current.filter((t) => t.deploymentId !== primary.id && t.lastStatus !== 'STOPPED');
    if (
      primaryHealthy.length === primary.desiredCount &&
      primaryLive.length === primary.desiredCount &&
      oldRemaining.length === 0
    ) {
      complete(world, service, primary);
    }
  }
}

export function reconcileAll(world: World): void {
  for (const cluster of world.clusters.values()) {
    for (const service of cluster.services.values()) reconcileService(world, service);
  }
}

/** Deployment counts as DescribeServices reports them. */
export function deploymentCounts(world: World, deployment: Deployment, service: Service) {
  const live = world.tasksOf(service).filter((t) => t.deploymentId === deployment.id && t.desiredStatus === 'RUNNING');
  return {
    runningCount: live.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: live.filter((t) => t.lastStatus !== 'RUNNING').length,
  };
}
