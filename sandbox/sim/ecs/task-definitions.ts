import { clientError } from '../core/errors.js';
import type { Json } from '../core/json.js';
import type { ContainerDefinition, TaskDefinition } from '../model.js';

export const containersOf = (td: TaskDefinition) => (td.raw.containerDefinitions ?? []) as ContainerDefinition[];

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

/** What RegisterTaskDefinition checks before storing, in ECS's words. */
function validateRegistration(input: Json): void {
  const family = input.family;
  if (typeof family !== 'string' || family === '') throw clientError('Family must not be empty.');
  if (!FAMILY.test(family)) {
    throw clientError(
      'Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
    );
  }
  const containers = input.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw clientError('Container list cannot be empty.');
  }
  for (const container of containers as Json[]) {
    if (typeof container.name !== 'string' || container.name === '')
      throw clientError('Container.name should not be null or empty.');
    if (typeof container.image !== 'string' || container.image === '')
      throw clientError('Container.image should not be null or empty.');
  }
  const names = (containers as Json[]).map((c) => c.name);
  if (new Set(names).size !== names.length)
    throw clientError('Container names must be unique within a task definition.');
  if (!(containers as Json[]).some((c) => c.essential !== false)) {
    throw clientError('Invalid setting for container. At least one container must be marked as essential.');
  }
  const fargate = Array.isArray(input.requiresCompatibilities) && input.requiresCompatibilities.includes('FARGATE');
  if (fargate) {
    if (input.networkMode !== 'awsvpc') throw clientError("Fargate only supports network mode 'awsvpc'.");
    if (input.cpu === undefined || input.memory === undefined) {
      throw clientError("Fargate requires that 'cpu' be defined at the task level.");
    }
    const usesAwslogs = (containers as Json[]).some((c) => c.logConfiguration?.logDriver === 'awslogs');
    if (usesAwslogs && !input.executionRoleArn) {
      throw clientError('Fargate requires task definition to have execution role ARN to support log driver awslogs.');
    }
  }
}

/** The attributes ECS derives from a definition (a representative subset of what AWS lists). */
function requiresAttributes(input: Json): Json[] {
  const names = new Set<string>(['com.amazonaws.ecs.capability.docker-remote-api.1.18']);
  const containers = (input.containerDefinitions ?? []) as Json[];
  if (containers.some((c) => c.logConfiguration?.logDriver === 'awslogs')) {
    names.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
    names.add('com.amazonaws.ecs.capability.docker-remote-api.1.19');
    if (input.executionRoleArn) names.add('ecs.capability.execution-role-awslogs');
  }
  if (input.networkMode === 'awsvpc') names.add('ecs.capability.task-eni');
  if (input.taskRoleArn) names.add('com.amazonaws.ecs.capability.task-iam-role');
  if (containers.some((c) => Array.isArray(c.secrets) && c.secrets.length > 0)) {
    names.add('ecs.capability.secrets.asm.environment-variables');
    names.add('ecs.capability.execution-role-ecr-pull');
  }
  if (containers.some((c) => c.healthCheck)) names.add('ecs.capability.container-health-check');
  if (containers.some((c) => c.image?.includes('.dkr.ecr.'))) names.add('com.amazonaws.ecs.capability.ecr-auth');
  return [...names].map((name) => ({ name }));
}

function compatibilities(input: Json): string[] {
  const out = ['EC2'];
  if (input.networkMode === 'awsvpc') out.push('FARGATE');
  return out;
}

export class TaskDefinitionStore {
  private readonly families = new Map<string, TaskDefinition[]>();

  constructor(private readonly arnPrefix: string) {}

  register(input: Json, now: number): TaskDefinition {
    validateRegistration(input);
    const { tags = [], ...raw } = input;
    const family = raw.family as string;
    const revisions = this.families.get(family) ?? [];
    const revision = revisions.length + 1;
    const td: TaskDefinition = {
      arn: `${this.arnPrefix}task-definition/${family}:${revision}`,
      family,
      revision,
      status: 'ACTIVE',
      registeredAt: now,
      raw,
      tags: tags as Json[],
    };
    revisions.push(td);
    this.families.set(family, revisions);
    return td;
  }

  /** family (latest ACTIVE), family:revision, or the full ARN; undefined when there is none. */
  find(ref: string): TaskDefinition | undefined {
    const plain = ref.startsWith('arn:') ? ref.slice(ref.indexOf('task-definition/') + 'task-definition/'.length) : ref;
    const colon = plain.lastIndexOf(':');
    if (colon < 0) {
      const revisions = this.families.get(plain) ?? [];
      return [...revisions].reverse().find((td) => td.status === 'ACTIVE');
    }
    const revision = Number(plain.slice(colon + 1));
    return this.families.get(plain.slice(0, colon))?.[revision - 1];
  }

  /** The definition to start tasks from: ECS refuses a missing or INACTIVE one. */
  runnable(ref: string): TaskDefinition {
    const td = this.find(ref);
    if (!td) throw clientError('TaskDefinition not found.');
    if (td.status !== 'ACTIVE') throw clientError('TaskDefinition is inactive');
    return td;
  }

  deregister(ref: string, now: number): TaskDefinition {
    const plain = ref.startsWith('arn:') ? ref.slice(ref.indexOf('task-definition/') + 'task-definition/'.length) : ref;
    if (!plain.includes(':')) throw clientError(`Invalid revision number. Number: ${ref}`);
    const td = this.find(ref);
    if (!td) throw clientError('The specified task definition does not exist.');
    if (td.status === 'ACTIVE') {
      td.status = 'INACTIVE';
      td.deregisteredAt = now;
    }
    return td;
  }

  all(): TaskDefinition[] {
    return [...this.families.values()].flat();
  }

  familyNames(): string[] {
    return [...this.families.keys()];
  }
}

/** The taskDefinition object ECS returns: the raw JSON plus the fields ECS computes. */
export function describeTaskDefinition(td: TaskDefinition, registeredBy: string): Json {
  return {
    ...td.raw,
    taskDefinitionArn: td.arn,
    family: td.family,
    revision: td.revision,
    status: td.status,
    compatibilities: compatibilities(td.raw),
    requiresAttributes: requiresAttributes(td.raw),
    registeredAt: td.registeredAt / 1000,
    registeredBy,
    ...(td.deregisteredAt !== undefined ? { deregisteredAt: td.deregisteredAt / 1000 } : {}),
  };
}
