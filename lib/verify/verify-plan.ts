import { privateEcrImage, type EcrImageRef } from '../ecr/image-refs.js';
import { secretRef, type SecretRef } from '../secrets/secret-refs.js';
import type { ContainerDefinitionJson, TaskDefinitionJson } from '../ecs/task-definitions.js';

/**
 * What to check before a task definition is registered or run: that each container's image is in its private ECR
 * repository, that each secret reference exists, that each awslogs log group exists. Decided from the definition
 * alone (pure); what is not checked, and why, is said too.
 */

export type Check =
  | { kind: 'image'; containers: string[]; image: string; ref: EcrImageRef }
  | { kind: 'secret'; containers: string[]; names: string[]; valueFrom: string; ref: SecretRef }
  | { kind: 'log-group'; containers: string[]; group: string; region: string };

export interface NotChecked {
  container: string;
  what: string;
  why: string;
}

export interface VerifyPlan {
  checks: Check[];
  notChecked: NotChecked[];
}

export function planChecks(definition: TaskDefinitionJson, taskRegion: string): VerifyPlan {
  const checks = new Map<string, Check>();
  const notChecked: NotChecked[] = [];
  const add = (key: string, container: string, make: () => Check, name?: string) => {
    const existing = checks.get(key);
    if (!existing) {
      checks.set(key, make());
      return;
    }
    if (!existing.containers.includes(container)) existing.containers.push(container);
    if (existing.kind === 'secret' && name && !existing.names.includes(name)) existing.names.push(name);
  };
  for (const container of definition.containerDefinitions ?? []) {
    const name = container.name ?? '?';
    const image = container.image ?? '';
    const ref = privateEcrImage(image);
    if (ref) add(`image ${image}`, name, () => ({ kind: 'image', containers: [name], image, ref }));
    else notChecked.push({ container: name, what: `image ${image}`, why: 'not in a private ECR registry' });

    for (const { name: variable, valueFrom } of secretsOf(container)) {
      // References to JSON keys of one secret are one check of that secret.
      const ref = secretRef(valueFrom, taskRegion);
      const key =
        ref.store === 'secretsmanager' ? `secret ${ref.secretId}` : `parameter ${ref.region} ${ref.parameter}`;
      add(key, name, () => ({ kind: 'secret', containers: [name], names: [variable], valueFrom, ref }), variable);
    }

    const log = container.logConfiguration;
    if (!log) continue;
    const options = log.options ?? {};
    const group = options['awslogs-group'];
    if (log.logDriver !== 'awslogs') {
      notChecked.push({
        container: name,
        what: `logs (${log.logDriver ?? 'no driver'})`,
        why: 'not the awslogs driver',
      });
    } else if (!group) {
      notChecked.push({ container: name, what: 'log group', why: 'awslogs without awslogs-group' });
    } else if (options['awslogs-create-group'] === 'true') {
      notChecked.push({ container: name, what: `log group ${group}`, why: 'awslogs-create-group creates it' });
    } else {
      const region = options['awslogs-region'] ?? taskRegion;
      add(`log ${region} ${group}`, name, () => ({ kind: 'log-group', containers: [name], group, region }));
    }
  }
  return { checks: [...checks.values()], notChecked };
}

/** The container's `secrets` and its log driver's `secretOptions`: both are references ECS resolves at start. */
function secretsOf(container: ContainerDefinitionJson): Array<{ name: string; valueFrom: string }> {
  const all = [...(container.secrets ?? []), ...(container.logConfiguration?.secretOptions ?? [])];
  return all
    .filter((s) => typeof s.valueFrom === 'string' && s.valueFrom !== '')
    .map((s) => ({ name: s.name ?? '?', valueFrom: s.valueFrom as string }));
}
