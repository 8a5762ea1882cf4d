import type { ContainerDefinitionJson, TaskDefinitionJson } from './task-definitions.js';

/**
 * What differs between the revision a service runs and the one about to take its place: images, environment variables
 * and secrets (by NAME: added, removed, changed), cpu and memory, command, ports, health check, roles. Pure.
 *
 * Values are never carried: `before`/`after` are set only for fields that hold no value of the application's (images,
 * sizes, ports, role ARNs); the command and the health check say only that they changed, as either may hold a secret.
 */

export interface RevisionChange {
  /** `task` for task-level fields, else the container's name. */
  scope: string;
  what: string;
  change: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

export function revisionChanges(from: TaskDefinitionJson, to: TaskDefinitionJson): RevisionChange[] {
  const changes: RevisionChange[] = [];
  for (const field of ['cpu', 'memory', 'taskRoleArn', 'executionRoleArn'] as const) {
    shown(changes, 'task', field, text(from[field]), text(to[field]));
  }
  const before = new Map((from.containerDefinitions ?? []).map((c) => [c.name ?? '?', c]));
  const after = new Map((to.containerDefinitions ?? []).map((c) => [c.name ?? '?', c]));
  for (const [name, container] of before) {
    if (!after.has(name)) changes.push({ scope: name, what: 'container', change: 'removed', before: container.image });
  }
  for (const [name, target] of after) {
    const current = before.get(name);
    if (!current) changes.push({ scope: name, what: 'container', change: 'added', after: target.image });
    else changes.push(...containerChanges(name, current, target));
  }
  return changes;
}

function containerChanges(name: string, from: ContainerDefinitionJson, to: ContainerDefinitionJson): RevisionChange[] {
  const changes: RevisionChange[] = [];
  shown(changes, name, 'image', from.image, to.image);
  shown(changes, name, 'cpu', text(from.cpu), text(to.cpu));
  shown(changes, name, 'memory', text(from.memory), text(to.memory));
  shown(changes, name, 'memory reservation', text(from.memoryReservation), text(to.memoryReservation));
  shown(changes, name, 'ports', ports(from), ports(to));
  hidden(changes, name, 'command', from.command, to.command);
  hidden(changes, name, 'entry point', from.entryPoint, to.entryPoint);
  hidden(changes, name, 'health check', from.healthCheck, to.healthCheck);
  byName(changes, name, 'environment', from.environment, to.environment, (e) => e.value);
  byName(changes, name, 'secret', from.secrets, to.secrets, (s) => s.valueFrom);
  return changes;
}

/** A field whose value may be printed. */
function shown(changes: RevisionChange[], scope: string, what: string, before?: string, after?: string): void {
  if (before === after) return;
  const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  changes.push({
    scope,
    what,
    change,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  });
}

/** A field that may hold a value (a password on a command line): whether it changed, nothing else. */
function hidden(changes: RevisionChange[], scope: string, what: string, before: unknown, after: unknown): void {
  if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) return;
  const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  changes.push({ scope, what, change });
}

/** Named entries (environment variables, secrets): names added, removed, or whose value (reference) changed. */
function byName<T extends { name?: string }>(
  changes: RevisionChange[],
  scope: string,
  what: string,
  before: readonly T[] = [],
  after: readonly T[] = [],
  valueOf: (entry: T) => unknown,
): void {
  const old = new Map(before.map((e) => [e.name ?? '', valueOf(e)]));
  const now = new Map(after.map((e) => [e.name ?? '', valueOf(e)]));
  const found: RevisionChange[] = [];
  for (const [key, value] of now) {
    if (!old.has(key)) found.push({ scope, what: `${what} ${key}`, change: 'added' });
    else if (old.get(key) !== value) found.push({ scope, what: `${what} ${key}`, change: 'changed' });
  }
  for (const key of old.keys()) if (!now.has(key)) found.push({ scope, what: `${what} ${key}`, change: 'removed' });
  changes.push(...found.sort((a, b) => a.what.localeCompare(b.what)));
}

function ports(container: ContainerDefinitionJson): string | undefined {
  const mappings = container.portMappings ?? [];
  if (mappings.length === 0) return undefined;
  return mappings.map((p) => `${p.containerPort}/${p.protocol ?? 'tcp'}`).join(', ');
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** `container web: image …:seed → …:v2`, `container web: environment DB_PASS changed`, `task: cpu 256 → 512`. */
export function changeLine(change: RevisionChange): string {
  const where = change.scope === 'task' ? 'task' : `container ${change.scope}`;
  const values =
    change.change === 'changed' && change.before !== undefined && change.after !== undefined
      ? ` ${change.before} → ${change.after}`
      : change.change === 'added' && change.after !== undefined
        ? ` ${change.after}`
        : change.change === 'removed' && change.before !== undefined
          ? ` (was ${change.before})`
          : '';
  const verb = values && change.change === 'changed' ? '' : ` ${change.change}`;
  return `${where}: ${change.what}${verb}${values}`;
}
