import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
  type Task,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { checkNewDeployment, deploymentIdsOf, NoNewDeploymentError } from './new-deployment.js';

/** What the suite asks of and does to ECS services and their tasks. */

export interface ServiceLookup {
  /** The service, unless ECS does not know it or it is INACTIVE (deleted). */
  service?: Service;
  /** When `service` is absent: which of the two names ECS did not know, and why, in words. */
  missing?: { what: 'cluster' | 'service'; detail: string; status?: string };
}

/** DescribeServices for one service (by name or ARN). Errors other than "no such cluster" are thrown. */
export async function findService(ecs: ECSClient, cluster: string, name: string): Promise<ServiceLookup> {
  try {
    const response = await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
    const found = response.services?.find((s) => s.serviceName === name || s.serviceArn === name);
    if (found && found.status !== 'INACTIVE') return { service: found };
    const failure = response.failures?.[0]?.reason;
    const why = found ? ' (it is INACTIVE)' : failure ? ` (${failure})` : '';
    return {
      missing: {
        what: 'service',
        detail: `service '${name}' was not found in cluster '${cluster}'${why}`,
        status: found?.status,
      },
    };
  } catch (error) {
    if ((error as Error).name !== 'ClusterNotFoundException') throw error;
    return { missing: { what: 'cluster', detail: `cluster '${cluster}' was not found` } };
  }
}

/** A service the suite was about to work on is gone (or its cluster is). */
export class ServiceNotFoundError extends Error {
  override name = 'ServiceNotFoundError';
  constructor(readonly missing: NonNullable<ServiceLookup['missing']>) {
    super(missing.detail);
  }
}

/** findService for a service that must be there: ServiceNotFoundError otherwise. */
export async function requireService(ecs: ECSClient, cluster: string, name: string): Promise<Service> {
  const lookup = await findService(ecs, cluster, name);
  if (!lookup.service) throw new ServiceNotFoundError(lookup.missing!);
  return lookup.service;
}

/**
 * UpdateService, and the id of the deployment it started, checked against ECS's answer (new-deployment.ts): the
 * PRIMARY deployment must be new and carry `expected.taskDefinition`, else NoNewDeploymentError. Deployments on the
 * service before the update are read first unless the caller knows them.
 */
export async function updateService(
  ecs: ECSClient,
  input: UpdateServiceCommandInput,
  expected: { taskDefinition: string; knownDeploymentIds?: ReadonlySet<string> },
): Promise<string> {
  const known =
    expected.knownDeploymentIds ??
    deploymentIdsOf((await findService(ecs, input.cluster ?? '', input.service ?? '')).service);
  const response = await ecs.send(new UpdateServiceCommand(input));
  const check = checkNewDeployment(response.service, {
    taskDefinition: expected.taskDefinition,
    knownDeploymentIds: known,
  });
  if (!check.ok) throw new NoNewDeploymentError(expected.taskDefinition, check.problem);
  return check.deployment.id;
}

/**
 * StopServiceDeployment with stopType ROLLBACK: ECS rolls the service back to its previous revision. `signal` gives
 * the call up (retries included).
 */
export async function stopDeploymentWithRollback(
  ecs: ECSClient,
  serviceDeploymentArn: string,
  signal?: AbortSignal,
): Promise<void> {
  await ecs.send(
    new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: 'ROLLBACK' }),
    signal ? { abortSignal: signal } : undefined,
  );
}

/** The service's tasks ECS wants STOPPED (stopping or stopped: kept about an hour) or RUNNING, every page. */
export async function listServiceTasks(
  ecs: ECSClient,
  cluster: string,
  serviceName: string,
  desiredStatus: 'RUNNING' | 'STOPPED',
): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(
      new ListTasksCommand({ cluster, serviceName, desiredStatus, maxResults: 100, nextToken }),
    );
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/** DescribeTasks for any number of tasks, 100 (the API's limit) at a time. */
export async function describeTasks(ecs: ECSClient, cluster: string, arns: string[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const response = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
    tasks.push(...(response.tasks ?? []));
  }
  return tasks;
}
