import type { ContainerDefinition, KeyValuePair, Secret, Tag } from '@aws-sdk/client-ecs';
import { InputError, type KeyValue } from '../runner/inputs.js';

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
export function chooseContainer(
  definition: TaskDefinitionJson,
  name: string | undefined,
  inputName = 'container',
): ContainerDefinitionJson {
  const containers = definition.containerDefinitions ?? [];
  const label = describeRef(definition);
  const names = containers.map((c) => c.name).join(', ');
  if (name) {
    const found = containers.find((c) => c.name === name);
    if (!found)
      throw new InputError(`Input '${inputName}' names '${name}', which is not in ${label} (containers: ${names})`);
    return found;
  }
  const essential = containers.filter((c) => c.essential !== false);
  if (essential.length === 1) return essential[0] as ContainerDefinitionJson;
  if (essential.length === 0) {
    throw new InputError(`${label} has no essential container: set input '${inputName}' (containers: ${names})`);
  }
  throw new InputError(
    `${label} has ${essential.length} essential containers (${essential.map((c) => c.name).join(', ')}): set input '${inputName}' to choose one`,
  );
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

/** Validates a `family`, `family:revision` or ARN reference given as an input. */
export function parseTaskDefinitionRef(inputName: string, ref: string): string {
  const [family, revision, ...rest] = ref.split(':');
  if (TASK_DEFINITION_ARN.test(ref)) return ref;
  if (rest.length === 0 && FAMILY.test(family ?? '') && (revision === undefined || /^[1-9]\d*$/.test(revision))) {
    return ref;
  }
  throw new InputError(`Input '${inputName}' must be a task definition family, family:revision or ARN, got '${ref}'`);
}

/** Environment entries as they may be printed: secret-looking values hidden. */
export function environmentDifferences(
  before: KeyValuePair[] = [],
  after: KeyValuePair[] = [],
): Array<{ name: string; change: 'added' | 'removed' | 'changed' }> {
  const old = new Map(before.map((p) => [p.name ?? '', p.value]));
  const now = new Map(after.map((p) => [p.name ?? '', p.value]));
  const differences: Array<{ name: string; change: 'added' | 'removed' | 'changed' }> = [];
  for (const [name, value] of now) {
    if (!old.has(name)) differences.push({ name, change: 'added' });
    else if (old.get(name) !== value) differences.push({ name, change: 'changed' });
  }
  for (const name of old.keys()) if (!now.has(name)) differences.push({ name, change: 'removed' });
  return differences.sort((a, b) => a.name.localeCompare(b.name));
}
