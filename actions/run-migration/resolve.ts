import type { ECSClient, Service, Tag } from '@aws-sdk/client-ecs';
import { findService } from '../../lib/ecs/service-api.js';
import { choiceInput, InputError } from '../../lib/runner/inputs.js';
import { describeTaskDefinition, type DescribedTaskDefinition } from '../../lib/ecs/task-definition-api.js';
import {
  chooseContainer,
  ContainerChoiceError,
  type ContainerDefinitionJson,
  type TaskDefinitionJson,
} from '../../lib/ecs/task-definitions.js';
import { clusterStatus } from './task-api.js';
import { planLaunch, type LaunchPlan } from './task-run.js';
import type { MigrationInputs } from './inputs.js';
import { plainSecrets, type PlainSecrets } from './plain-secrets.js';

/** Read-only checks that what the inputs name exists, before anything is changed or run. */

export interface ResolvedRun {
  service?: Service;
  definition: TaskDefinitionJson;
  /** The task definition's own tags, carried over to a revision registered with a new image. */
  tags: Tag[];
  container: ContainerDefinitionJson & { name: string };
  /** Names of the essential containers: one of them exiting stops the task. */
  essentialContainers: string[];
  launch: LaunchPlan;
  /** Plain environment values of the container that `secrets` replaces, and other secret-looking ones (names). */
  plain: PlainSecrets;
}

/** The cluster, service, task definition and container the inputs name, and where the task will run. */
export async function resolveRun(ecs: ECSClient, inputs: MigrationInputs): Promise<ResolvedRun> {
  await checkCluster(ecs, inputs.cluster);
  const service = inputs.service ? await activeService(ecs, inputs.cluster, inputs.service) : undefined;
  const { definition, tags } = inputs.taskDefinition
    ? await loadTaskDefinition(ecs, inputs.taskDefinition, 'task-definition')
    : await loadTaskDefinition(ecs, service?.taskDefinition ?? '', 'service');
  const container = containerInputChoice(definition, inputs.container) as ContainerDefinitionJson & { name: string };
  const plain = plainSecrets(inputs.secrets, container.environment ?? []);
  const launch = planLaunch(inputs.launch, service, definition.networkMode as string | undefined);
  const essentialContainers = (definition.containerDefinitions ?? [])
    .filter((c) => c.essential !== false)
    .map((c) => c.name ?? '');
  return { ...(service ? { service } : {}), definition, tags, container, essentialContainers, launch, plain };
}

async function checkCluster(ecs: ECSClient, cluster: string): Promise<void> {
  let status: string | undefined;
  try {
    status = await clusterStatus(ecs, cluster);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (status !== 'ACTIVE') {
    throw new InputError(`Input 'cluster' names '${cluster}', which ${status ? `is ${status}` : 'was not found'}`);
  }
}

/** The service the task's network settings come from: it must be ACTIVE (not DRAINING or deleted). */
async function activeService(ecs: ECSClient, cluster: string, name: string): Promise<Service> {
  let service: Service | undefined;
  let status: string | undefined;
  try {
    const lookup = await findService(ecs, cluster, name);
    service = lookup.service;
    status = service?.status ?? lookup.missing?.status;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!service || status !== 'ACTIVE') {
    const state = status ? `is ${status}` : 'was not found';
    throw new InputError(`Input 'service' names '${name}', which ${state} in cluster '${cluster}'`);
  }
  return service;
}

async function loadTaskDefinition(ecs: ECSClient, ref: string, inputName: string): Promise<DescribedTaskDefinition> {
  try {
    return await describeTaskDefinition(ecs, ref);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(`Input '${inputName}': task definition '${ref}' was not found (${message})`);
  }
}

/** The errors ECS answers a name it does not know with (not throttling or server errors). */
function isNotFound(error: unknown): boolean {
  const name = (error as Error)?.name;
  return (
    name === 'ClientException' ||
    name === 'InvalidParameterException' ||
    name === 'ClusterNotFoundException' ||
    name === 'ServiceNotFoundException'
  );
}

/** The container input `container` names (or the only essential one), refused as that input's error. */
function containerInputChoice(definition: TaskDefinitionJson, name: string | undefined) {
  try {
    return chooseContainer(definition, name);
  } catch (error) {
    throw error instanceof ContainerChoiceError ? choiceInput('container', error.refused) : error;
  }
}
