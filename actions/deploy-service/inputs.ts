import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, type Inputs, type KeyValue } from '../../lib/runner/inputs.js';
import { jsonErrorLocation } from '../../lib/runner/json-syntax.js';
import { readWaitInputs, type WaitInputs } from '../../lib/ecs/wait-inputs.js';
import type { TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';

/** Every input of deploy-service, read and validated before any AWS call. */
export interface DeployInputs extends WaitInputs {
  cluster: string;
  service: string;
  source:
    | { kind: 'image'; image: string }
    | { kind: 'file'; path: string; definition: TaskDefinitionJson }
    | { kind: 'redeploy' };
  container?: string;
  environment: KeyValue[];
  /** Tags set on the new revision, on top of the ones it carries over. */
  tags: KeyValue[];
  desiredCount?: number;
  forceNewDeployment: boolean;
  onFailure: 'fail' | 'rollback';
  waitForIdle: boolean;
  /** Check images, secrets and log groups before registering anything. */
  verify: boolean;
  /** Print the plan (checks and changes) and change nothing. */
  dryRun: boolean;
}

const IMAGE = /^[a-z0-9][a-z0-9._\-/:@]*$/i;
// ECS tag rules (TagResource): letters, digits, spaces and _.:/=+-@; the aws: prefix is reserved.
const TAG_KEY = /^(?!aws:)[\p{L}\p{N} _.:/=+\-@]{1,128}$/iu;
const TAG_VALUE = /^[\p{L}\p{N} _.:/=+\-@]{0,256}$/u;

export function readDeployInputs(inputs: Inputs, options: { workspace?: string } = {}): DeployInputs {
  const cluster = inputs.string('cluster', { required: true });
  const service = inputs.string('service', { required: true });
  const image = inputs.optionalString('image');
  const file = inputs.optionalString('task-definition');
  const container = inputs.optionalString('container');
  const environment = inputs.keyValues('environment');
  const tags = inputs.keyValues('tags');
  const desiredCount = inputs.optionalNumber('desired-count', { min: 0, max: 5000, integer: true });
  const forceNewDeployment = inputs.boolean('force-new-deployment', false);
  const waiting = readWaitInputs(inputs);
  const onFailure = inputs.choice('on-failure', ['fail', 'rollback'] as const, 'fail');
  const waitForIdle = inputs.boolean('wait-for-idle', true);
  const verify = inputs.boolean('verify', true);
  const dryRun = inputs.boolean('dry-run', false);

  if (image && file) {
    throw new InputError(`Inputs 'image' and 'task-definition' were both given: set exactly one`);
  }
  if (!image && !file && !forceNewDeployment) {
    throw new InputError(
      `Set input 'image' (a new image for the current task definition) or 'task-definition' (a JSON file), or 'force-new-deployment: true' to redeploy the current revision`,
    );
  }
  if (!image && !file && environment.length > 0) {
    throw new InputError(`Input 'environment' needs 'image' or 'task-definition': it is set on the new revision`);
  }
  if (!image && !file && tags.length > 0) {
    throw new InputError(`Input 'tags' needs 'image' or 'task-definition': they are set on the new revision`);
  }
  const badTag = tags.find((tag) => !TAG_KEY.test(tag.name) || !TAG_VALUE.test(tag.value));
  if (badTag) {
    throw new InputError(
      `Input 'tags': tag '${badTag.name.slice(0, 128)}' must have a key of 1-128 and a value of 0-256 letters, digits, spaces or _.:/=+-@ (not starting with aws:)`,
    );
  }
  if (image && !IMAGE.test(image)) {
    throw new InputError(`Input 'image' must be an image reference such as 'repo/name:tag', got '${image}'`);
  }

  const source: DeployInputs['source'] = image
    ? { kind: 'image', image }
    : file
      ? { kind: 'file', path: file, definition: readTaskDefinitionFile(file, options.workspace) }
      : { kind: 'redeploy' };

  return {
    cluster,
    service,
    source,
    container,
    environment,
    tags,
    desiredCount,
    forceNewDeployment,
    ...waiting,
    onFailure,
    waitForIdle,
    verify,
    dryRun,
  };
}

/** Reads and checks a task-definition JSON file (as `describe-task-definition` or a render step writes it). */
function readTaskDefinitionFile(
  path: string,
  workspace = process.env.GITHUB_WORKSPACE ?? process.cwd(),
): TaskDefinitionJson {
  let text: string;
  try {
    text = readFileSync(resolve(workspace, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`Input 'task-definition': cannot read '${path}' (${code ?? (error as Error).message})`);
  }
  return parseTaskDefinitionJson(path, text);
}

function parseTaskDefinitionJson(path: string, text: string): TaskDefinitionJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never JSON.parse's message: it quotes the text, which may hold a value.
    throw new InputError(`Input 'task-definition': '${path}' is not valid JSON (at ${jsonErrorLocation(text)})`);
  }
  // `aws ecs describe-task-definition` output wraps it; accept both.
  const wrapped = (parsed as { taskDefinition?: unknown } | null)?.taskDefinition;
  const definition = (wrapped && typeof wrapped === 'object' ? wrapped : parsed) as TaskDefinitionJson;
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) {
    throw new InputError(`Input 'task-definition': '${path}' must hold a JSON object`);
  }
  if (typeof definition.family !== 'string' || definition.family === '') {
    throw new InputError(`Input 'task-definition': '${path}' has no 'family'`);
  }
  const containers = definition.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new InputError(`Input 'task-definition': '${path}' has no 'containerDefinitions'`);
  }
  containers.forEach((container, index) => {
    if (!container || typeof container.name !== 'string' || typeof container.image !== 'string') {
      throw new InputError(
        `Input 'task-definition': '${path}' containerDefinitions[${index}] needs a 'name' and an 'image'`,
      );
    }
  });
  return definition;
}
