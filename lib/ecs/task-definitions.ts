import type { ContainerDefinition, Secret, Tag } from '@aws-sdk/client-ecs';
import type { KeyValue } from '../runner/inputs.js';

/**
 * Task definitions as AWS returns them, kept as plain JSON so that fields this code (or the SDK) does not know
 * survive a describe -> change -> register round trip (the anchors' users lose `restartPolicy` and newer keys).
 */
export type TaskDefinitionJson = Record<string, unknown> & {
  taskDefinitionArn?: string;
  family?: string;
  revision?: number;
  status?: string;
  containerDefinitions?: ContainerDefinitionJson[];
};
export type ContainerDefinitionJson = Record<string, unknown> & ContainerDefinition;

/** Fields AWS sets itself; RegisterTaskDefinition rejects them. */
const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

/** The body of a RegisterTaskDefinition request that recreates `definition`, every other field carried over. */
export function toRegisterRequest(definition: TaskDefinitionJson, tags: Tag[] = []): Record<string, unknown> {
  const request: Record<string, unknown> = structuredClone(definition);
  for (const field of READ_ONLY_FIELDS) delete request[field];
  if (tags.length > 0) request.tags = tags;
  return request;
}

/**
 * The container whose image, command and exit code matter: the named one, else the only essential one.
 * Never "the first": ECS does not promise an order, and sidecars are often listed first.
 */
export function chooseContainer(definition: TaskDefinitionJson, name: string | undefined): ContainerDefinitionJson {
  const containers = definition.containerDefinitions ?? [];
  const essential = containers.filter((c) => c.essential !== false);
  const found = name ? containers.find((c) => c.name === name) : essential.length === 1 ? essential[0] : undefined;
  if (found) return found;
  throw new ContainerChoiceError({
    within: describeRef(definition),
    items: containers.map((c) => c.name ?? '?'),
    named: name || undefined,
    candidates: essential.map((c) => c.name ?? '?'),
  });
}

/** No container to take: the named one is not in the task definition, or none was named and not exactly one is essential. */
export class ContainerChoiceError extends Error {
  override name = 'ContainerChoiceError';
  constructor(readonly refused: { within: string; items: string[]; named?: string; candidates: string[] }) {
    super(
      refused.named !== undefined
        ? `${refused.within} has no container '${refused.named}' (containers: ${refused.items.join(', ')})`
        : `${refused.within} has ${refused.candidates.length} essential containers (${refused.candidates.join(', ')}), not one`,
    );
  }
}

/**
 * A copy of `definition` with `image` on `containerName`, and `environment` and `secrets` set on it (entries of the
 * same name replaced in place, new ones appended). A secret reference replaces a plain environment entry of its name:
 * the plain value is dropped, so the revision never holds both.
 */
export function withContainerChanges(
  definition: TaskDefinitionJson,
  containerName: string,
  changes: { image?: string; environment?: KeyValue[]; secrets?: Secret[] },
): TaskDefinitionJson {
  const copy = structuredClone(definition);
  const container = copy.containerDefinitions?.find((c) => c.name === containerName);
  if (!container) throw new Error(`Container '${containerName}' is not in ${describeRef(definition)}`);
  if (changes.image) container.image = changes.image;
  if (changes.environment && changes.environment.length > 0) {
    container.environment = mergeByName(container.environment ?? [], changes.environment);
  }
  if (changes.secrets && changes.secrets.length > 0) {
    container.secrets = mergeByName(container.secrets ?? [], changes.secrets);
    const secretNames = new Set(changes.secrets.map((secret) => secret.name));
    if (container.environment?.some((pair) => secretNames.has(pair.name))) {
      container.environment = container.environment.filter((pair) => !secretNames.has(pair.name));
    }
  }
  return copy;
}

function mergeByName<T extends { name?: string }>(current: readonly T[], changes: readonly T[]): T[] {
  const merged = new Map(current.map((entry) => [entry.name ?? '', { ...entry }]));
  for (const change of changes) merged.set(change.name ?? '', { ...change });
  return [...merged.values()];
}

export interface ContainerImage {
  container: string;
  image: string;
}

export function imagesOf(definition: TaskDefinitionJson): ContainerImage[] {
  return (definition.containerDefinitions ?? []).map((c) => ({ container: c.name ?? '?', image: c.image ?? '?' }));
}

/** `family:revision` for messages; falls back to the ARN's tail. */
export function describeRef(definition: TaskDefinitionJson): string {
  if (definition.family && definition.revision) return `task definition ${definition.family}:${definition.revision}`;
  return `task definition ${shortTaskDefinition(definition.taskDefinitionArn ?? definition.family)}`;
}

/** `arn:aws:ecs:us-east-1:1:task-definition/web:42` -> `web:42`; `?` when unknown. */
export function shortTaskDefinition(arnOrRef: string | undefined): string {
  if (!arnOrRef) return '?';
  const slash = arnOrRef.lastIndexOf('task-definition/');
  return slash >= 0 ? arnOrRef.slice(slash + 'task-definition/'.length) : arnOrRef;
}

export function revisionOf(arnOrRef: string): number | undefined {
  const match = /:(\d+)$/.exec(shortTaskDefinition(arnOrRef));
  return match ? Number(match[1]) : undefined;
}

export function familyOf(arnOrRef: string): string {
  return shortTaskDefinition(arnOrRef).replace(/:\d+$/, '');
}

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
const TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;

/** Whether `ref` is a task definition `family`, `family:revision` or ARN. */
export function isTaskDefinitionRef(ref: string): boolean {
  const [family, revision, ...rest] = ref.split(':');
  if (TASK_DEFINITION_ARN.test(ref)) return true;
  return rest.length === 0 && FAMILY.test(family ?? '') && (revision === undefined || /^[1-9]\d*$/.test(revision));
}
