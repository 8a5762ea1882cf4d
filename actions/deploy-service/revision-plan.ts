import type { Tag } from '@aws-sdk/client-ecs';
import { choiceInput, type KeyValue } from '../../lib/runner/inputs.js';
import {
  chooseContainer,
  ContainerChoiceError,
  withContainerChanges,
  type TaskDefinitionJson,
} from '../../lib/ecs/task-definitions.js';
import type { DeployInputs } from './inputs.js';

/** What deploy-service registers (if anything), decided from the service's current revision and the inputs. Pure. */
export interface RevisionPlan {
  /** The revision to register; undefined when force-new-deployment alone redeploys the current one. */
  definition?: TaskDefinitionJson;
  tags: Tag[];
  /** The main container: its image is the one deployed, its logs the ones shown on failure. */
  container: string;
  imageBefore?: string;
  imageAfter?: string;
  /** Names of the main container's `secrets` (references; their values are never read). */
  secretNames: string[];
}

export function planRevision(
  current: { definition: TaskDefinitionJson; tags: Tag[] },
  source: DeployInputs['source'],
  containerInput: string | undefined,
  environment: KeyValue[],
  extraTags: KeyValue[] = [],
): RevisionPlan {
  const base = source.kind === 'file' ? source.definition : current.definition;
  const main = containerInputChoice(base, containerInput);
  const name = main.name as string;
  const before =
    current.definition.containerDefinitions?.find((c) => c.name === name) ?? chooseContainerSafe(current.definition);
  if (source.kind === 'redeploy') {
    return {
      tags: current.tags,
      container: name,
      imageBefore: before?.image,
      imageAfter: before?.image,
      secretNames: secretNames(main),
    };
  }
  const definition = withContainerChanges(base, name, {
    image: source.kind === 'image' ? source.image : undefined,
    environment,
  });
  const after = definition.containerDefinitions?.find((c) => c.name === name);
  return {
    definition,
    tags: withTags(source.kind === 'image' ? current.tags : fileTags(source.definition), extraTags),
    container: name,
    imageBefore: before?.image,
    imageAfter: after?.image,
    secretNames: secretNames(after ?? main),
  };
}

/** The container input `container` names (or the only essential one), refused as that input's error. */
function containerInputChoice(definition: TaskDefinitionJson, name: string | undefined) {
  try {
    return chooseContainer(definition, name);
  } catch (error) {
    throw error instanceof ContainerChoiceError ? choiceInput('container', error.refused) : error;
  }
}

function chooseContainerSafe(definition: TaskDefinitionJson) {
  try {
    return chooseContainer(definition, undefined);
  } catch {
    return undefined;
  }
}

/** The base revision's tags with `extra` set on top (an extra tag replaces one of the same key). */
function withTags(base: Tag[], extra: KeyValue[]): Tag[] {
  const keys = new Set(extra.map((tag) => tag.name));
  return [...base.filter((tag) => !keys.has(tag.key ?? '')), ...extra.map(({ name, value }) => ({ key: name, value }))];
}

function fileTags(definition: TaskDefinitionJson): Tag[] {
  return Array.isArray(definition.tags) ? (definition.tags as Tag[]) : [];
}

function secretNames(container: { secrets?: Array<{ name?: string }> }): string[] {
  return (container.secrets ?? []).map((secret) => secret.name ?? '?');
}
