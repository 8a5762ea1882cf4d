import { StopServiceDeploymentCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { sleep } from '../shared/action.js';
import * as report from '../shared/report.js';
import { findService } from '../shared/deployment-watch.js';
import { primaryDeployment } from '../shared/deployment-state.js';
import { deploymentIdOf, type RollbackAction } from '../shared/rollback-target.js';
import { shortTaskDefinition } from '../shared/task-definitions.js';

/** The only calls of this action that change anything. Never deregisters. */

export interface Applied {
  /** The ECS deployment (ecs-svc/...) carrying out the rollback. */
  deploymentId: string;
  /** What was done, for the summary. */
  action: string;
}

export interface ApplyOptions {
  cluster: string;
  service: string;
  /** The target task definition ARN. */
  taskDefinition: string;
  /** ECS deployment ids on the service before acting, to recognise the one a stop-with-rollback starts. */
  knownDeploymentIds: ReadonlySet<string>;
  pollSeconds: number;
  /** When the whole wait (for ECS to start the rollback, then for it to finish) ends, in ms since the epoch. */
  deadline: number;
  signal?: AbortSignal;
}

/** StopServiceDeployment refusals after which updating the service is still right (e.g. it finished meanwhile). */
const STOP_REFUSED =
  /ConflictException|InvalidParameterException|ServiceDeploymentNotFoundException|UnsupportedFeatureException|AccessDenied|ClientException/;

export async function applyRollback(
  ecs: ECSClient,
  action: Exclude<RollbackAction, { kind: 'noop' }>,
  options: ApplyOptions,
): Promise<Applied> {
  if (action.kind === 'stop-deployment') {
    const id = deploymentIdOf(action.serviceDeploymentArn);
    report.progress(`Stopping deployment ${id} with a rollback: ${action.reason}`);
    try {
      await ecs.send(
        new StopServiceDeploymentCommand({ serviceDeploymentArn: action.serviceDeploymentArn, stopType: 'ROLLBACK' }),
      );
    } catch (error) {
      const name = (error as Error).name ?? '';
      if (!STOP_REFUSED.test(name)) throw error;
      report.warn(
        `StopServiceDeployment of ${id} was refused (${name}: ${(error as Error).message}); updating the service to ${shortTaskDefinition(options.taskDefinition)} instead`,
        'Rollback by update',
      );
      return updateService(ecs, options);
    }
    return {
      deploymentId: await awaitRollbackDeployment(ecs, options),
      action: `StopServiceDeployment ${id} (stopType ROLLBACK)`,
    };
  }
  report.progress(`Updating service ${options.service} (forceNewDeployment): ${action.reason}`);
  return updateService(ecs, options);
}

/** UpdateService to the target with a new deployment; returns the PRIMARY deployment it created. */
async function updateService(ecs: ECSClient, options: ApplyOptions): Promise<Applied> {
  const response = await ecs.send(
    new UpdateServiceCommand({
      cluster: options.cluster,
      service: options.service,
      taskDefinition: options.taskDefinition,
      forceNewDeployment: true,
    }),
  );
  const primary = primaryDeployment(response.service);
  if (!primary?.id) throw new Error(`UpdateService returned no PRIMARY deployment for service '${options.service}'`);
  return {
    deploymentId: primary.id,
    action: `UpdateService to ${shortTaskDefinition(options.taskDefinition)} (forceNewDeployment)`,
  };
}

/**
 * ECS starts the rollback deployment asynchronously: a PRIMARY deployment of the target that was not there before.
 * Waited for even with `wait: false`, since its id is the `deployment-id` output.
 */
async function awaitRollbackDeployment(ecs: ECSClient, options: ApplyOptions): Promise<string> {
  for (;;) {
    const service = await findService(ecs, options.cluster, options.service);
    const primary = primaryDeployment(service);
    if (
      primary?.id &&
      primary.taskDefinition === options.taskDefinition &&
      !options.knownDeploymentIds.has(primary.id)
    ) {
      return primary.id;
    }
    options.signal?.throwIfAborted();
    if (Date.now() >= options.deadline) {
      throw new Error(
        `ECS accepted the rollback but started no deployment of ${shortTaskDefinition(options.taskDefinition)} before the timeout`,
      );
    }
    await sleep(options.pollSeconds * 1000, options.signal);
  }
}
