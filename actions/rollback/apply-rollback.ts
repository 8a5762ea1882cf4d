import type { ECSClient } from '@aws-sdk/client-ecs';
import { waitForNewPrimary } from '../../lib/ecs/new-primary.js';
import { ServiceNotFoundError, stopDeploymentWithRollback, updateService } from '../../lib/ecs/service-api.js';
import { notFoundInput } from '../../lib/runner/inputs.js';
import { deploymentIdOf, type RollbackAction } from './rollback-target.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import { errorText } from '../../lib/runner/error-text.js';

/** The only calls of this action that change anything. Never deregisters. */

export interface Applied {
  /** The ECS deployment (ecs-svc/...) carrying out the rollback. */
  deploymentId: string;
  /** What was done, for the summary. */
  action: string;
  /** The call that changed the service (a refused stop ends in an update). */
  call: 'StopServiceDeployment' | 'UpdateService';
}

export interface ApplyOptions {
  cluster: string;
  service: string;
  /** The target task definition ARN. */
  taskDefinition: string;
  /** ECS deployment ids on the service before acting, to recognise the one a stop-with-rollback starts. */
  knownDeploymentIds: ReadonlySet<string>;
  pollSeconds: number;
  /** When the whole wait (for ECS to start the rollback, then for it to finish) ends. */
  deadline: Date;
  signal?: AbortSignal;
  /** What applying reports as it goes; the action's log.ts prints it. */
  reporter: { onProgress(line: string): void; onWarning(message: string, title?: string): void };
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
    options.reporter.onProgress(`Stopping deployment ${id} with a rollback: ${action.reason}`);
    try {
      await stopDeploymentWithRollback(ecs, action.serviceDeploymentArn);
    } catch (error) {
      const name = (error as Error).name ?? '';
      if (!STOP_REFUSED.test(name)) throw error;
      options.reporter.onWarning(
        `StopServiceDeployment of ${id} was refused (${errorText(error)}); updating the service to ${shortTaskDefinition(options.taskDefinition)} instead`,
        'Rollback by update',
      );
      return updateToTarget(ecs, options);
    }
    return {
      deploymentId: await awaitRollbackDeployment(ecs, options),
      action: `StopServiceDeployment ${id} (stopType ROLLBACK)`,
      call: 'StopServiceDeployment',
    };
  }
  options.reporter.onProgress(`Updating service ${options.service} (forceNewDeployment): ${action.reason}`);
  return updateToTarget(ecs, options);
}

/** UpdateService to the target with a new deployment; returns the PRIMARY deployment it created. */
async function updateToTarget(ecs: ECSClient, options: ApplyOptions): Promise<Applied> {
  return {
    deploymentId: await updateService(
      ecs,
      {
        cluster: options.cluster,
        service: options.service,
        taskDefinition: options.taskDefinition,
        forceNewDeployment: true,
      },
      { taskDefinition: options.taskDefinition, knownDeploymentIds: options.knownDeploymentIds },
    ),
    action: `UpdateService to ${shortTaskDefinition(options.taskDefinition)} (forceNewDeployment)`,
    call: 'UpdateService',
  };
}

/**
 * ECS starts the rollback deployment asynchronously: a PRIMARY deployment of the target that was not there before.
 * Waited for even with `wait: false`, since its id is the `deployment-id` output.
 */
async function awaitRollbackDeployment(ecs: ECSClient, options: ApplyOptions): Promise<string> {
  const deploymentId = await waitForNewPrimary(ecs, {
    ...options,
    serviceMustExist: true,
    isNew: (id, primary) => primary.taskDefinition === options.taskDefinition && !options.knownDeploymentIds.has(id),
  }).catch((error) => {
    throw error instanceof ServiceNotFoundError ? notFoundInput(error.missing) : error;
  });
  if (deploymentId) return deploymentId;
  throw new Error(
    `ECS accepted the rollback but started no deployment of ${shortTaskDefinition(options.taskDefinition)} before the timeout`,
  );
}
