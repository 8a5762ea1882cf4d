import { randomUUID } from 'node:crypto';
import type { ECSClient, RunTaskCommandInput, Tag } from '@aws-sdk/client-ecs';
import { runContext, runTags, startedBy } from '../../lib/runner/run-context.js';
import { registerTaskDefinition } from '../../lib/ecs/task-definition-api.js';
import { withContainerChanges, type TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import { runTaskRequest } from './task-run.js';
import type { MigrationInputs } from './inputs.js';
import type { ResolvedRun } from './resolve.js';
import type { SecretReference } from './secret-references.js';

/** The two calls that change something: register a revision with the new image, and run the task. */

export interface Derivation {
  container: string;
  image?: string;
  secrets: SecretReference[];
  /** Register in this family instead of the definition's own. */
  family?: string;
}

/**
 * A new revision of `definition` with the image and secret references on `container` (in `family` when given),
 * tagged with the task definition's tags and the run's. The command is never registered: it is a RunTask override.
 */
export async function registerDerived(
  ecs: ECSClient,
  definition: TaskDefinitionJson,
  derivation: Derivation,
  tags: { existing: Tag[]; run: Tag[] },
): Promise<TaskDefinitionJson> {
  return registerTaskDefinition(ecs, derivedDefinition(definition, derivation), mergeTags(tags.existing, tags.run));
}

/** The revision registerDerived registers, before it is registered (what is verified first). Pure. */
export function derivedDefinition(
  definition: TaskDefinitionJson,
  { container, image, secrets, family }: Derivation,
): TaskDefinitionJson {
  const changed = withContainerChanges(definition, container, { ...(image ? { image } : {}), secrets });
  if (family) changed.family = family;
  return changed;
}

/** RunTask for the migration: the command and environment on the chosen container, tagged with the run. */
export function runRequest(
  inputs: MigrationInputs,
  resolved: ResolvedRun,
  definition: TaskDefinitionJson,
): RunTaskCommandInput {
  const context = runContext();
  return runTaskRequest({
    cluster: inputs.cluster,
    taskDefinitionArn: definition.taskDefinitionArn as string,
    container: resolved.container.name,
    command: inputs.command,
    environment: inputs.environment,
    launch: resolved.launch,
    startedBy: startedBy(context),
    tags: runTags(context),
    clientToken: randomUUID(),
  });
}

/** The run's tags win over the task definition's on the same key, and are kept first within ECS's 50. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(added.map((tag) => [tag.key, tag.value]));
  for (const tag of existing) if (!merged.has(tag.key)) merged.set(tag.key, tag.value);
  return [...merged].slice(0, 50).map(([key, value]) => ({ key, value }));
}
