import type { ECSClient, RunTaskCommandInput } from '@aws-sdk/client-ecs';
import { SEED, type Simulator } from '../../sandbox/sim/index.js';
import { startBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { describeTaskDefinition } from '../../lib/ecs/task-definition-api.js';
import { useSeededSim } from '../support/sim-fixtures.js';

/**
 * Admin commands through run-migration's bundle (issue 13 point 3): secret references on the derived revision, the
 * command as a RunTask override, the revision in a family of its own, so the migration family keeps migrating.
 */

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend';
const MASTER = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds/startupwebapp/multi-tenant/master-AbCdEf';
const SUPERUSER_SECRETS = [
  `DJANGO_SUPERUSER_USERNAME=${MASTER}:superuser_username::`,
  `DJANGO_SUPERUSER_EMAIL=${MASTER}:superuser_email::`,
  `DJANGO_SUPERUSER_PASSWORD=${MASTER}:superuser_password::`,
].join('\n');
const ADMIN_FAMILY = 'startupwebapp-admin-task';

const seeded = useSeededSim('all', undefined, { timeScale: 0.01 });
let sim: Simulator;
let ecs: ECSClient;

beforeAll(() => {
  ({ sim, ecs } = seeded);
  sim.images.define(`${REPO}:4f2c9e1`, {
    commands: {
      'python manage.py createsuperuser --noinput': {
        logLines: ['Superuser created successfully.'],
        exitCode: 0,
        runSeconds: 5,
      },
      'python manage.py migrate --noinput': { logLines: ['No migrations to apply.'], exitCode: 0, runSeconds: 5 },
    },
  });
});

function run(inputs: Record<string, string | undefined>): Promise<BundleResult> {
  const base = {
    cluster: SEED.cluster,
    service: SEED.service,
    'task-definition': SEED.migrationFamily,
    'poll-interval-seconds': '0.05',
  };
  return startBundle('run-migration', { inputs: { ...base, ...inputs }, env: sim.env(), timeoutMs: 90_000 }).result;
}

const lastRunTask = () => sim.calls('RunTask').at(-1)!.input as RunTaskCommandInput;
const counts = () => ({ run: sim.calls('RunTask').length, register: sim.calls('RegisterTaskDefinition').length });

test('an admin run leaves the migration family migrating: secrets and image in a family of its own, command as an override', async () => {
  const before = (await describeTaskDefinition(ecs, SEED.migrationFamily)).definition;
  const admin = await run({
    image: `${REPO}:4f2c9e1`,
    family: ADMIN_FAMILY,
    command: 'python manage.py createsuperuser --noinput',
    environment: 'DATABASE_NAME=healthtech_experiment',
    secrets: SUPERUSER_SECRETS,
  });
  expect(admin.errors).toEqual([]);
  expect(admin.exitCode).toBe(0);
  expect(admin.outputs['exit-code']).toBe('0');
  expect(admin.lines).toContain('Superuser created successfully.');
  expect(admin.outputs['task-definition-arn']).toMatch(new RegExp(`:task-definition/${ADMIN_FAMILY}:1$`));

  const registered = (await describeTaskDefinition(ecs, admin.outputs['task-definition-arn']!)).definition;
  const container = registered.containerDefinitions![0]!;
  expect(container.image).toBe(`${REPO}:4f2c9e1`);
  expect(container.command).toEqual(before.containerDefinitions![0]!.command); // the command is not registered
  expect(container.secrets).toEqual([
    ...(before.containerDefinitions![0]!.secrets ?? []),
    { name: 'DJANGO_SUPERUSER_USERNAME', valueFrom: `${MASTER}:superuser_username::` },
    { name: 'DJANGO_SUPERUSER_EMAIL', valueFrom: `${MASTER}:superuser_email::` },
    { name: 'DJANGO_SUPERUSER_PASSWORD', valueFrom: `${MASTER}:superuser_password::` },
  ]);
  expect(lastRunTask().overrides?.containerOverrides).toEqual([
    {
      name: 'migration',
      command: ['python', 'manage.py', 'createsuperuser', '--noinput'],
      environment: [{ name: 'DATABASE_NAME', value: 'healthtech_experiment' }],
    },
  ]);
  expect(admin.lines).toContain(
    `Secrets for container migration (references; ECS reads the values when the task starts): DJANGO_SUPERUSER_USERNAME, DJANGO_SUPERUSER_EMAIL, DJANGO_SUPERUSER_PASSWORD`,
  );
  expect(admin.summary).toContain('## Command createsuperuser on healthtech_experiment succeeded');
  expect(admin.summary).toContain(
    '| **Secrets** | DJANGO_SUPERUSER_USERNAME, DJANGO_SUPERUSER_EMAIL, DJANGO_SUPERUSER_PASSWORD (references) |',
  );
  expect(admin.lines).toContainEqual(
    expect.stringMatching(/Command createsuperuser succeeded: container migration exited with 0/),
  );

  // The migration family's newest revision is the one it had: no admin secrets, its own command.
  const after = (await describeTaskDefinition(ecs, SEED.migrationFamily)).definition;
  expect(after.taskDefinitionArn).toBe(before.taskDefinitionArn);

  const migration = await run({ image: `${REPO}:4f2c9e1`, environment: 'DATABASE_NAME=healthtech_experiment' });
  expect(migration.exitCode).toBe(0);
  expect(migration.lines).toContain('No migrations to apply.');
  expect(migration.outputs['task-definition-arn']).toMatch(
    new RegExp(`:task-definition/${SEED.migrationFamily}:\\d+$`),
  );
  expect(lastRunTask().overrides?.containerOverrides?.[0]?.command).toEqual([
    'python',
    'manage.py',
    'migrate',
    '--noinput',
  ]);
  const migrated = (await describeTaskDefinition(ecs, migration.outputs['task-definition-arn']!)).definition;
  expect(migrated.containerDefinitions![0]!.secrets?.map((s) => s.name)).not.toContain('DJANGO_SUPERUSER_PASSWORD');
});

test('a secrets value that is not an ARN is refused before any AWS change, naming the input, and never shown', async () => {
  const before = counts();
  const result = await run({
    image: `${REPO}:4f2c9e1`,
    family: ADMIN_FAMILY,
    command: 'python manage.py createsuperuser --noinput',
    secrets: `DJANGO_SUPERUSER_EMAIL=${MASTER}:superuser_email::\nDJANGO_SUPERUSER_PASSWORD=hunter2-Sup3r!`,
  });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]!.message).toBe(
    "Input 'secrets' line 2 (DJANGO_SUPERUSER_PASSWORD) must be a Secrets Manager or SSM parameter ARN (arn:aws:secretsmanager:… or arn:aws:ssm:…), not a value; the value given is not shown",
  );
  expect(result.masks).toContain('hunter2-Sup3r!');
  // stdout holds it once, in the ::add-mask:: command that tells the runner to hide it: what a reader sees does not.
  const shown = [result.lines.join('\n'), JSON.stringify(result.annotations), result.stderr, result.summary];
  for (const text of [...shown, JSON.stringify(result.outputs)]) {
    expect(text).not.toContain('hunter2');
  }
  expect(counts()).toEqual(before);
});

test('a secret that is also an environment input, or `family` with nothing to register, is refused before any change', async () => {
  const before = counts();
  const clash = await run({
    image: `${REPO}:4f2c9e1`,
    environment: 'DATABASE_NAME=healthtech_experiment',
    secrets: `DATABASE_NAME=${MASTER}:dbname::`,
  });
  expect(clash.exitCode).toBe(1);
  expect(clash.errors[0]!.message).toBe(
    "Input 'secrets' sets DATABASE_NAME, which input 'environment' sets too: give it one way only",
  );
  const family = await run({ family: ADMIN_FAMILY });
  expect(family.exitCode).toBe(1);
  expect(family.errors[0]!.message).toBe(
    "Input 'family' applies to a revision this action registers: give 'image' or 'secrets' too",
  );
  const badFamily = await run({ image: `${REPO}:4f2c9e1`, family: 'admin task' });
  expect(badFamily.errors[0]!.message).toMatch(/^Input 'family' must be a task definition family name/);
  expect(counts()).toEqual(before);
});

describe("today's polluted migration family (plain DJANGO_SUPERUSER_* values in its newest revision)", () => {
  const PLAIN_NAMES = ['DJANGO_SUPERUSER_USERNAME', 'DJANGO_SUPERUSER_EMAIL', 'DJANGO_SUPERUSER_PASSWORD'];
  const plainValues = async () => {
    const { definition } = await describeTaskDefinition(ecs, SEED.migrationFamily);
    const environment = definition.containerDefinitions![0]!.environment ?? [];
    return environment.filter((pair) => PLAIN_NAMES.includes(pair.name!)).map((pair) => pair.value!);
  };
  /** Everything the run reported: the raw streams (mask commands included), outputs and summary. */
  const everything = (result: BundleResult) =>
    [result.stdout, result.stderr, JSON.stringify(result.outputs), result.summary].join('\n');

  test('createsuperuser with references succeeds: they replace the plain values, which are named, never shown', async () => {
    const values = await plainValues();
    expect(values).toHaveLength(3); // the seed is the account as it is
    const admin = await run({
      image: `${REPO}:4f2c9e1`,
      family: ADMIN_FAMILY,
      command: 'python manage.py createsuperuser --noinput',
      environment: 'DATABASE_NAME=fintech_experiment',
      secrets: SUPERUSER_SECRETS,
    });
    expect(admin.errors).toEqual([]);
    expect(admin.exitCode).toBe(0);
    expect(admin.lines).toContain('Superuser created successfully.');

    const registered = (await describeTaskDefinition(ecs, admin.outputs['task-definition-arn']!)).definition;
    const container = registered.containerDefinitions![0]!;
    const plainNames = (container.environment ?? []).map((pair) => pair.name);
    expect(plainNames).not.toContain('DJANGO_SUPERUSER_PASSWORD');
    expect(plainNames.filter((name) => PLAIN_NAMES.includes(name!))).toEqual([]);
    expect(plainNames).toContain('DJANGO_SETTINGS_MODULE'); // the rest of the environment is kept
    expect(container.secrets?.filter((s) => PLAIN_NAMES.includes(s.name!)).map((s) => s.valueFrom)).toEqual([
      `${MASTER}:superuser_username::`,
      `${MASTER}:superuser_email::`,
      `${MASTER}:superuser_password::`,
    ]);

    const replaced = admin.warnings.filter((w) => w.title === 'Plain values replaced by secret references');
    expect(replaced).toHaveLength(1);
    expect(replaced[0]!.message).toMatch(
      /^Input 'secrets' replaces the plain environment values of DJANGO_SUPERUSER_USERNAME, DJANGO_SUPERUSER_EMAIL, DJANGO_SUPERUSER_PASSWORD in container migration of task definition startupwebapp-migration-task:\d+: .*rotate them/,
    );
    // Every plain secret-looking value is replaced: nothing left to warn about a second time.
    expect(admin.warnings.filter((w) => w.title === 'Plain values under secret-looking names')).toEqual([]);
    for (const value of values) expect(everything(admin)).not.toContain(value);
  });

  test('a migration on it warns once, naming the plain secret-looking variable, and masks its value', async () => {
    const [, , password] = await plainValues();
    const migration = await run({ image: `${REPO}:4f2c9e1`, environment: 'DATABASE_NAME=fintech_experiment' });
    expect(migration.exitCode).toBe(0);
    const warnings = migration.warnings.filter((w) => w.title === 'Plain values under secret-looking names');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(
      /^Container migration of task definition startupwebapp-migration-task:\d+ holds plain environment values under secret-looking names: DJANGO_SUPERUSER_PASSWORD\. /,
    );
    expect(migration.masks).toContain(password);
    const shown = [migration.lines.join('\n'), JSON.stringify(migration.annotations), migration.summary];
    for (const text of [...shown, migration.stderr, JSON.stringify(migration.outputs)]) {
      expect(text).not.toContain(password);
    }
  });
});
