import { isSecretVariable } from '../../lib/runner/secrets.js';
import {
  environmentDifferences,
  imagesOf,
  shortTaskDefinition,
  type ContainerImage,
  type TaskDefinitionJson,
} from '../../lib/ecs/task-definitions.js';

/** What a person needs to recognise a revision: which, what images, registered when and by whom. Pure. */

export interface RevisionDetails {
  arn: string;
  label: string;
  revision?: number;
  status?: string;
  images: ContainerImage[];
  /** ISO time, when known. */
  registeredAt?: string;
  registeredBy?: string;
}

export function revisionDetails(definition: TaskDefinitionJson): RevisionDetails {
  const arn = definition.taskDefinitionArn ?? '?';
  return {
    arn,
    label: shortTaskDefinition(arn),
    revision: definition.revision,
    status: definition.status,
    images: imagesOf(definition),
    registeredAt: timestamp(definition.registeredAt),
    registeredBy: typeof definition.registeredBy === 'string' ? definition.registeredBy : undefined,
  };
}

/** Raw JSON (AWS JSON 1.1) carries epoch seconds; the SDK's model a Date; accept both and strings. */
export function timestamp(value: unknown): string | undefined {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string' && value !== '')
    date = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  return date && !Number.isNaN(date.getTime()) ? date.toISOString().replace('.000Z', 'Z') : undefined;
}

/** `registered 2026-11-20T10:00:00Z by arn:aws:iam::1:role/ci`, leaving out what is unknown. */
export function registeredLine(details: RevisionDetails): string {
  const parts = [
    details.registeredAt && `registered ${details.registeredAt}`,
    details.registeredBy && `by ${details.registeredBy}`,
  ];
  return parts.filter(Boolean).join(' ') || 'registration time unknown';
}

/** A value the runner should mask (the suite's one rule for secret-looking variables: lib/runner/secrets.ts). */
function printable(name: string, value: string | undefined): boolean {
  return !isSecretVariable(name, value);
}

/**
 * One line per difference between the running revision and the target, per container: images, and names only for
 * the environment (a name-based check cannot know which values are secret: `DB_PASS`, `SENTRY_DSN`) and the secrets.
 */
export function revisionDifferences(from: TaskDefinitionJson, to: TaskDefinitionJson): string[] {
  const lines: string[] = [];
  const before = new Map((from.containerDefinitions ?? []).map((c) => [c.name ?? '?', c]));
  const after = new Map((to.containerDefinitions ?? []).map((c) => [c.name ?? '?', c]));
  for (const name of before.keys()) if (!after.has(name)) lines.push(`container ${name}: not in the target revision`);
  for (const [name, target] of after) {
    const current = before.get(name);
    if (!current) {
      lines.push(`container ${name}: only in the target revision (image ${target.image ?? '?'})`);
      continue;
    }
    if (current.image !== target.image)
      lines.push(`container ${name}: image ${current.image ?? '?'} -> ${target.image ?? '?'}`);
    for (const { name: key, change } of environmentDifferences(current.environment, target.environment)) {
      lines.push(`container ${name}: environment ${key} ${change}`);
    }
    const oldSecrets = new Map((current.secrets ?? []).map((s) => [s.name ?? '', s.valueFrom ?? '']));
    const newSecrets = new Map((target.secrets ?? []).map((s) => [s.name ?? '', s.valueFrom ?? '']));
    for (const [key, source] of newSecrets) {
      if (!oldSecrets.has(key)) lines.push(`container ${name}: secret ${key} added`);
      else if (oldSecrets.get(key) !== source) lines.push(`container ${name}: secret ${key} changed source`);
    }
    for (const key of oldSecrets.keys())
      if (!newSecrets.has(key)) lines.push(`container ${name}: secret ${key} removed`);
  }
  return lines;
}

/** Values of secret-looking variables in either revision, for the runner to mask. */
export function secretValues(...definitions: TaskDefinitionJson[]): string[] {
  const values: string[] = [];
  for (const definition of definitions) {
    for (const container of definition.containerDefinitions ?? []) {
      for (const { name, value } of container.environment ?? []) {
        if (name && value && !printable(name, value)) values.push(value);
      }
    }
  }
  return values;
}
