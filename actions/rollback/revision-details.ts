import { isSecretVariable } from '../../lib/runner/secrets.js';
import {
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

/** Values of secret-looking variables in either revision, for the runner to mask. */
export function secretValues(...definitions: TaskDefinitionJson[]): string[] {
  const values: string[] = [];
  for (const definition of definitions) {
    for (const container of definition.containerDefinitions ?? []) {
      for (const { name, value } of container.environment ?? []) {
        if (name && value && isSecretVariable(name, value)) values.push(value);
      }
    }
  }
  return values;
}
