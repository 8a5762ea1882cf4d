import type { Service, Task } from '../model.js';

/**
 * The service event messages ECS writes, word for word as real DescribeServices output shows them (sources in
 * README.md). Note the small irregularities: target (de)registration events end without a full stop, the draining
 * event names the old deployment as a task set.
 */

const tasks = (list: Task[]) => list.map((t) => `(task ${t.id})`).join(' ');
const prefix = (service: Service) => `(service ${service.name})`;

export const serviceEvents = {
  started: (service: Service, started: Task[]) =>
    `${prefix(service)} has started ${started.length} tasks: ${tasks(started)}.`,
  stopped: (service: Service, stopped: Task[]) =>
    `${prefix(service)} has stopped ${stopped.length} running tasks: ${tasks(stopped)}.`,
  registeredTargets: (service: Service, count: number, targetGroup: string) =>
    `${prefix(service)} registered ${count} targets in (target-group ${targetGroup})`,
  deregisteredTargets: (service: Service, count: number, targetGroup: string) =>
    `${prefix(service)} deregistered ${count} targets in (target-group ${targetGroup})`,
  draining: (service: Service, deploymentId: string, count: number) =>
    `(service ${service.name}, taskSet ${deploymentId}) has begun draining connections on ${count} tasks.`,
  completed: (service: Service, deploymentId: string) =>
    `${prefix(service)} (deployment ${deploymentId}) deployment completed.`,
  steadyState: (service: Service) => `${prefix(service)} has reached a steady state.`,
  failed: (service: Service, deploymentId: string) =>
    `${prefix(service)} (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
  rollingBack: (service: Service, deploymentId: string) =>
    `${prefix(service)} rolling back to deployment ${deploymentId}.`,
  /** awsvpc tasks are named by task id; the reason is the ELB's own description of the failed check. */
  unhealthyTarget: (service: Service, task: Task, port: number, targetGroup: string) =>
    `${prefix(service)} (task ${task.id}) (port ${port}) is unhealthy in (target-group ${targetGroup}) due to (reason Health checks failed).`,
  failedContainerHealthChecks: (service: Service, task: Task) =>
    `${prefix(service)} (task ${task.id}) failed container health checks.`,
  /** A task that stopped before it ran (TaskFailedToStart): Fargate reports it as a placement failure. */
  unableToPlace: (service: Service, reason: string) =>
    `${prefix(service)} was unable to place a task. Reason: ${reason}.`,
};

/** The rolloutStateReason of the deployment the circuit breaker starts to put the last completed one back. */
export const breakerRollbackReason = (stableDeploymentId: string) =>
  `ECS deployment circuit breaker: rolling back to deploymentId ${stableDeploymentId}.`;
