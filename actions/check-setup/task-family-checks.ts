import { looksSecret } from '../../lib/runner/secrets.js';
import { failed, ok, warning, type CheckItem } from './checklist.js';

/**
 * What a task family must be for the suite's actions to use it: the named container in its newest ACTIVE revision,
 * that container's awslogs group, no plain values under secret-looking names. Pure: the revision comes in as data.
 */

export interface ContainerData {
  name?: string;
  environment?: Array<{ name?: string; value?: string }>;
  secrets?: Array<{ name?: string; valueFrom?: string }>;
  logConfiguration?: { logDriver?: string; options?: Record<string, string> };
}

export interface FamilyData {
  /** `startupwebapp-migration-task:7`. */
  label: string;
  containers: ContainerData[];
}

export interface FamilyExpectation {
  family: string;
  container: string;
  logGroup: string;
  region: string;
}

const AREA = 'AWS';

/** The container line; the container itself when found (its log group and variables are checked next). */
export function checkContainer(
  data: FamilyData,
  expected: FamilyExpectation,
): { item: CheckItem; container?: ContainerData } {
  const title = `Task family ${expected.family} has container '${expected.container}'`;
  const container = data.containers.find((c) => c.name === expected.container);
  if (container) return { item: ok(AREA, title, data.label), container };
  const names = data.containers.map((c) => `'${c.name}'`).join(', ') || 'none';
  return {
    item: failed(
      AREA,
      title,
      `${data.label} has ${names}`,
      `Set the action's container input to the right name (migration-container / service-container: one of ${names}), ` +
        `or register a revision of ${expected.family} whose container is named '${expected.container}'.`,
    ),
  };
}

/** The awslogs group the container writes to: the expected one. Whether the group exists is checked against AWS. */
export function checkLogConfiguration(container: ContainerData, expected: FamilyExpectation): CheckItem {
  const title = `Container '${expected.container}' logs to ${expected.logGroup}`;
  const options = container.logConfiguration?.options ?? {};
  const group = options['awslogs-group'];
  if (container.logConfiguration?.logDriver !== 'awslogs' || !group) {
    return failed(
      AREA,
      title,
      `its log driver is ${container.logConfiguration?.logDriver ?? 'not set'}: the action cannot stream its logs`,
      `Register a revision of ${expected.family} with logConfiguration {"logDriver": "awslogs", "options": ` +
        `{"awslogs-group": "${expected.logGroup}", "awslogs-region": "${expected.region}", "awslogs-stream-prefix": "${expected.container}"}}`,
    );
  }
  if (group !== expected.logGroup) {
    return failed(
      AREA,
      title,
      `it logs to ${group}`,
      `Pass the log group the container really uses to the check (migration-log-group / service-log-group: ${group}), ` +
        `or register a revision of ${expected.family} whose awslogs-group is ${expected.logGroup}.`,
    );
  }
  return ok(AREA, title);
}

/** Names that point at a secret rather than hold one (DB_SECRET_NAME, API_KEY_ARN…): plain values are fine there. */
const REFERENCE_NAME = /_(NAME|ARN|ID|PATH|FILE|REGION)$/i;

/** Plain environment values under secret-looking names (names only: the values are never read out). */
export function plainSecretNames(data: FamilyData): Array<{ container: string; name: string }> {
  return data.containers.flatMap((c) =>
    (c.environment ?? [])
      .filter(
        (variable) =>
          variable.name && variable.value && looksSecret(variable.name) && !REFERENCE_NAME.test(variable.name),
      )
      .map((variable) => ({ container: c.name ?? '?', name: variable.name as string })),
  );
}

export function checkNoPlainSecrets(data: FamilyData, family: string, secretArn?: string): CheckItem {
  const title = `Task family ${family} holds no plain values under secret-looking names`;
  const found = plainSecretNames(data);
  if (found.length === 0) return ok(AREA, title, data.label);
  const names = found.map((f) => f.name);
  const reference = secretArn ?? 'arn:aws:secretsmanager:<region>:<account>:secret:<name>';
  const moved = found
    .map((f) => `{"name": "${f.name}", "valueFrom": "${reference}:${jsonKeyFor(f.name)}::"}`)
    .join(', ');
  return failed(
    AREA,
    title,
    `${data.label} has ${names.join(', ')} as plain environment values (every later revision copies them)`,
    [
      `1. Put the values in Secrets Manager (once), then register a clean revision: in ${family}'s definition remove ` +
        `${names.join(', ')} from "environment" and add to "secrets": ${moved}`,
      `2. Deregister every revision that held them: aws ecs list-task-definitions --family-prefix ${family} ` +
        `--status ACTIVE, then aws ecs deregister-task-definition --task-definition ${family}:<revision> for each ` +
        `(up to ${data.label})`,
      `3. Rotate what was exposed (e.g. the superuser password): anyone who can describe task definitions has read it.`,
    ].join('\n'),
  );
}

/** DJANGO_SUPERUSER_PASSWORD → superuser_password: the key today's database secret keeps it under. */
function jsonKeyFor(name: string): string {
  return name.replace(/^DJANGO_/, '').toLowerCase();
}

/** The Secrets Manager secret a `valueFrom` names (without a JSON key or version), or the SSM parameter. */
export function secretIdOf(valueFrom: string): { kind: 'secretsmanager' | 'ssm' | 'unknown'; id: string } {
  const secret = /^(arn:aws[a-z-]*:secretsmanager:[^:]+:\d{12}:secret:[^:]+)/.exec(valueFrom);
  if (secret) return { kind: 'secretsmanager', id: secret[1] as string };
  if (/^arn:aws[a-z-]*:ssm:/.test(valueFrom) || !valueFrom.startsWith('arn:')) return { kind: 'ssm', id: valueFrom };
  return { kind: 'unknown', id: valueFrom };
}

/** Every distinct secret the family references, with the variable names that use it. */
export function secretReferences(data: FamilyData): Array<{ kind: string; id: string; names: string[] }> {
  const byId = new Map<string, { kind: string; id: string; names: string[] }>();
  for (const container of data.containers) {
    for (const secret of container.secrets ?? []) {
      if (!secret.valueFrom) continue;
      const { kind, id } = secretIdOf(secret.valueFrom);
      const entry = byId.get(id) ?? { kind, id, names: [] };
      entry.names.push(secret.name ?? '?');
      byId.set(id, entry);
    }
  }
  return [...byId.values()];
}

export function checkSecretReference(
  family: string,
  reference: { kind: string; id: string; names: string[] },
  exists: boolean | undefined,
): CheckItem {
  const title = `Secret ${reference.id} referenced by ${family} (${reference.names.join(', ')}) exists`;
  if (reference.kind !== 'secretsmanager') {
    return warning(AREA, title, 'an SSM parameter or unrecognised reference: not checked (Secrets Manager only)');
  }
  if (exists) return ok(AREA, title);
  return failed(
    AREA,
    title,
    'Secrets Manager has no such secret: the task would stop with ResourceInitializationError before it runs',
    `Create it (aws secretsmanager create-secret --name <name> --secret-string file://secret.json) and point ` +
      `${reference.names.join(', ')} of ${family} at its ARN, or fix the valueFrom of those variables.`,
  );
}
