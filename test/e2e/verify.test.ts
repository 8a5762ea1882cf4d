import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { Simulator } from '../../sandbox/sim/model.js';
import { SEED } from '../../sandbox/sim/seed.js';
import { runBundle, type BundleOptions, type BundleResult } from '../../sandbox/run-bundle.js';
import type { ContainerDefinitionJson, TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import { deploySettled } from '../support/seeded-service.js';
import { useSeededSim } from '../support/sim-fixtures.js';

/**
 * Issue 23 through the bundles: what a revision needs (ECR image, secret references, log group) is checked before
 * the first change, and what changes is said (names only) before it is made, or instead of it on a dry run.
 */

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend';
const ACCOUNT_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret';
const PARAMETER = 'arn:aws:ssm:us-east-1:123456789012:parameter/startupwebapp';
const BASE = { cluster: SEED.cluster, service: SEED.service, 'poll-interval-seconds': '0.1', 'timeout-minutes': '1' };
const MIGRATION = {
  cluster: SEED.cluster,
  'task-definition': SEED.migrationFamily,
  service: SEED.service,
  'poll-interval-seconds': 0.05,
};
/** Calls that change something: none may come before the checks pass, nor on a dry run. */
const CHANGES = ['RegisterTaskDefinition', 'UpdateService', 'RunTask', 'StopServiceDeployment'];

const seeded = useSeededSim('each', undefined, { timeScale: 0.01 });
let sim: Simulator;
let ecs: ECSClient;
beforeEach(() => ({ sim, ecs } = seeded));

function deploy(inputs: Record<string, string>, options: BundleOptions = {}): Promise<BundleResult> {
  return runBundle('deploy-service', { env: sim.env(), timeoutMs: 90_000, ...options, inputs: { ...BASE, ...inputs } });
}

function migrate(inputs: Record<string, string | number>): Promise<BundleResult> {
  return runBundle('run-migration', { env: sim.env(), timeoutMs: 90_000, inputs: { ...MIGRATION, ...inputs } });
}

function changesSince(since: number) {
  return sim.requests.slice(since).filter((r) => CHANGES.includes(r.operation));
}

/** The service's current revision as a task-definition file, changed by `edit`, in a fresh workspace. */
async function definitionFile(edit: (web: ContainerDefinitionJson, file: TaskDefinitionJson) => void) {
  const current = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: SEED.serviceFamily }));
  const file = structuredClone(current.taskDefinition) as TaskDefinitionJson;
  edit(file.containerDefinitions![0]!, file);
  const cwd = mkdtempSync(join(tmpdir(), 'verify-td-'));
  writeFileSync(join(cwd, 'task-definition.json'), JSON.stringify(file));
  return { inputs: { 'task-definition': 'task-definition.json' }, options: { cwd } };
}

describe('a missing image tag fails at once, naming the repository, the tag and the newest tags', () => {
  it('deploy-service: nothing registered or deployed', async () => {
    const since = sim.requests.length;
    const result = await deploy({ image: `${REPO}:9f9f9f9` });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.title).toBe('Verify failed: nothing registered or deployed');
    expect(result.errors[0]!.message).toBe(
      'image startupwebapp-backend:9f9f9f9 (container web): tag 9f9f9f9 is not in ECR repository ' +
        'startupwebapp-backend (registry 123456789012, us-east-1); newest tags: seed, 4f2c9e1, c81d2e7, 9b7d3a0, 0c4e7d2',
    );
    expect(changesSince(since)).toEqual([]);
    expect(sim.calls('DescribeImages').length).toBeGreaterThanOrEqual(1);
    expect(result.summary).toContain('not started, verify failed');
    expect(result.summary).toContain('❌ image startupwebapp-backend:9f9f9f9 (container web): tag 9f9f9f9 is not in');
  });

  it('run-migration: no revision registered, no task started', async () => {
    const since = sim.requests.length;
    const result = await migrate({ image: `${REPO}:9f9f9f9` });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.title).toBe('Verify failed: no task registered or started');
    expect(result.errors[0]!.message).toMatch(
      /^image startupwebapp-backend:9f9f9f9 \(container migration\): tag 9f9f9f9 is not in ECR repository startupwebapp-backend .*newest tags: seed,/,
    );
    expect(changesSince(since)).toEqual([]);
    expect(result.summary).toContain('Migration failed');
  });

  it('without the check (verify: false) the task is started and fails to pull, as on AWS', async () => {
    const result = await migrate({ image: `${REPO}:9f9f9f9`, verify: 'false' });

    expect(result.exitCode).toBe(1);
    expect(result.errors[0]!.message).toMatch(
      /^The task failed to start: CannotPullContainerError: .*startupwebapp-backend:9f9f9f9: not found/,
    );
    expect(sim.calls('RunTask')).toHaveLength(1);
    expect(result.lines).toContain(
      'Not checked before the change (verify: false): images, secret references, log groups',
    );
  });
});

it('rollback: a target whose tag has expired from ECR is refused before anything changes', async () => {
  await deploySettled(ecs, { image: `${REPO}:c81d2e7` });
  await deploySettled(ecs, { image: `${REPO}:4f2c9e1` });
  sim.ecr.remove(`${REPO}:c81d2e7`); // a lifecycle policy expired the previous release
  const since = sim.requests.length;
  const result = await runBundle('rollback', {
    env: sim.env(),
    timeoutMs: 90_000,
    inputs: { cluster: SEED.cluster, service: SEED.service, 'poll-interval-seconds': '0.1' },
  });

  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]!.title).toBe('Verify failed: nothing changed');
  expect(result.errors[0]!.message).toMatch(
    /^image startupwebapp-backend:c81d2e7 \(container web\): tag c81d2e7 is not in ECR repository startupwebapp-backend .*newest tags: seed, 4f2c9e1, 9b7d3a0, 0c4e7d2$/,
  );
  expect(result.summary).toContain('Refused, nothing changed: image startupwebapp-backend:c81d2e7');
  expect(changesSince(since)).toEqual([]);
});

it('a missing secret and a missing parameter: both named (names and references, no value), nothing registered', async () => {
  const { inputs, options } = await definitionFile((web) => {
    web.image = `${REPO}:4f2c9e1`;
    web.secrets = [
      ...(web.secrets ?? []),
      { name: 'STRIPE_SECRET_KEY', valueFrom: `${ACCOUNT_SECRET}:startupwebapp/stripe-Xy12Ab` },
      { name: 'SENTRY_DSN', valueFrom: `${PARAMETER}/sentry-dsn` },
    ];
  });
  const since = sim.requests.length;
  const result = await deploy(inputs, options);

  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]!.message).toBe(
    [
      '2 things the task needs do not exist',
      '',
      `- secret STRIPE_SECRET_KEY (container web): its reference names Secrets Manager secret ${ACCOUNT_SECRET}:startupwebapp/stripe-Xy12Ab, which does not exist`,
      `- secret SENTRY_DSN (container web): its reference names SSM parameter ${PARAMETER}/sentry-dsn, which does not exist`,
    ].join('\n'),
  );
  // The database secret's four references (one secret, JSON keys) were checked with one DescribeSecret.
  expect(result.lines).toContain(
    '  secret DATABASE_PASSWORD, DATABASE_USER, DATABASE_HOST, DATABASE_PORT (container web): exists',
  );
  expect(changesSince(since)).toEqual([]);
});

it('a missing log group fails before anything is registered', async () => {
  const { inputs, options } = await definitionFile((web) => {
    web.logConfiguration!.options!['awslogs-group'] = '/ecs/startupwebapp-service-v2';
  });
  const since = sim.requests.length;
  const result = await deploy(inputs, options);

  expect(result.exitCode).toBe(1);
  expect(result.errors[0]!.message).toMatch(
    /^log group \/ecs\/startupwebapp-service-v2 \(container web\): CloudWatch log group \/ecs\/startupwebapp-service-v2 does not exist in us-east-1/,
  );
  expect(changesSince(since)).toEqual([]);
});

describe('a read the role may not make is a warning naming the permission, and the deploy goes on', () => {
  it.each([
    [
      'ecr:DescribeImages',
      'image startupwebapp-backend:4f2c9e1',
      `arn:aws:ecr:us-east-1:123456789012:repository/startupwebapp-backend`,
    ],
    ['secretsmanager:DescribeSecret', 'secret DATABASE_PASSWORD', `${SEED.databaseSecretArn}`],
    ['ssm:GetParameters', 'secret SUPERUSER_EMAIL', `${PARAMETER}/superuser-email`],
    ['logs:DescribeLogGroups', 'log group /ecs/startupwebapp-service', 'arn:aws:logs:us-east-1:<account>:log-group:*'],
  ])('%s', async (permission, subject, resource) => {
    sim.putParameter(`${PARAMETER}/superuser-email`, 'admin@sandbox.invalid');
    const { inputs, options } = await definitionFile((web) => {
      web.image = `${REPO}:4f2c9e1`;
      web.secrets = [...(web.secrets ?? []), { name: 'SUPERUSER_EMAIL', valueFrom: `${PARAMETER}/superuser-email` }];
    });
    sim.access.deny(permission);
    const result = await deploy({ ...inputs, wait: 'false' }, options);

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['deployment-id']).toMatch(/^ecs-svc\//);
    const denied = sim.requests.filter((r) => r.errorCode === 'AccessDeniedException');
    expect(denied.map((r) => `${r.service}:${r.operation}`)).toContain(permission);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]!.title).toBe('Not checked before the change');
    expect(result.warnings[0]!.message).toMatch(
      new RegExp(
        `^Could not check ${escape(subject)}.*: the role may not call ${escape(permission)}\\. Add ${escape(permission)} on ${escape(resource)} to its policy`,
      ),
    );
    expect(result.summary).toContain(`⚠️ Could not check ${subject}`);
  });
});

it('a public image is not checked, and the log says so', async () => {
  const image = 'public.ecr.aws/docker/library/python:3.12-slim';
  const result = await deploy({ image, wait: 'false' });

  expect(result.exitCode).toBe(0);
  expect(sim.calls('DescribeImages')).toEqual([]);
  expect(result.lines).toContain(`  image ${image} (container web): not checked, not in a private ECR registry`);
  expect(result.outputs['deployment-id']).toMatch(/^ecs-svc\//);
});

it('dry-run prints the checks and the changes, and registers and deploys nothing', async () => {
  const since = sim.requests.length;
  const result = await deploy({
    image: `${REPO}:4f2c9e1`,
    environment: 'DATABASE_NAME=healthtech_experiment\nFEATURE_NEWSLETTER=on',
    'dry-run': 'true',
  });

  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(changesSince(since)).toEqual([]);
  const log = result.lines.join('\n');
  expect(log).toContain('Checked before any change: 1 image, 1 secret, 1 log group');
  expect(log).toContain(`Changes from ${SEED.serviceFamily}:1:`);
  expect(log).toContain(`  container web: image ${SEED.image} → ${REPO}:4f2c9e1`);
  expect(log).toContain('  container web: environment DATABASE_NAME changed');
  expect(log).toContain('  container web: environment FEATURE_NEWSLETTER added');
  expect(log).toContain(
    `Dry run: nothing registered or deployed. It would register a new revision of ${SEED.serviceFamily} and deploy it to ${SEED.service}`,
  );
  expect(result.summary).toContain('Deploy startupwebapp-service: dry run, nothing changed');
  expect(result.summary).toContain('- container web: environment FEATURE_NEWSLETTER added');
  expect(result.summary).toContain('✅ image startupwebapp-backend:4f2c9e1 (container web): exists');
  expect(log + result.summary).not.toContain('healthtech_experiment');
  expect(result.outputs['previous-task-definition-arn']).toMatch(/:1$/);
  expect(result.outputs['deployment-id']).toBeUndefined();
});

describe('the difference list names what changed and never shows a value, even one no name rule catches', () => {
  const old = {
    DB_PASS: 'old-pw-4417',
    ADMIN_PWD: 'old-admin-pwd-8812',
    REDIS_URL: 'redis://:old-redis-pw-5521@cache.internal:6379',
    SENTRY_DSN: 'https://0ld5entrykey9931@o1.ingest.sentry.io/42',
    STRIPE_LIVE: 'sk_live_old_3310',
  };
  const next = {
    DB_PASS: 'new-pw-7730',
    ADMIN_PWD: 'new-admin-pwd-2291',
    REDIS_URL: 'redis://:new-redis-pw-6604@cache.internal:6379',
    SENTRY_DSN: 'https://n3w5entrykey1187@o1.ingest.sentry.io/42',
    STRIPE_LIVE: 'sk_live_new_9902',
  };
  const values = [...Object.values(old), ...Object.values(next), 'old-pw', 'new-pw', 'sk_live', 'entrykey', 'redis-pw'];
  const pairs = (vars: Record<string, string>) => Object.entries(vars).map(([name, value]) => ({ name, value }));

  function expectNoValue(result: BundleResult): void {
    const everything = [result.stdout, result.stderr, JSON.stringify(result.outputs), result.summary].join('\n');
    for (const value of values) expect(everything).not.toContain(value);
  }

  it('deploy-service (dry run and deploy) and rollback (dry run)', async () => {
    await deploySettled(ecs, { image: `${REPO}:c81d2e7`, environment: pairs(old) });
    const { inputs, options } = await definitionFile((web) => {
      web.image = `${REPO}:4f2c9e1`;
      web.environment = [...(web.environment ?? []).filter((e) => !(e.name! in next)), ...pairs(next)];
      web.command = ['gunicorn', 'StartupWebApp.wsgi:application', '--bind', '0.0.0.0:8000', '--workers', '4'];
    });

    const planned = await deploy({ ...inputs, 'dry-run': 'true' }, options);
    expect(planned.exitCode).toBe(0);
    for (const name of Object.keys(next)) {
      expect(planned.lines).toContain(`  container web: environment ${name} changed`);
      expect(planned.summary).toContain(`- container web: environment ${name} changed`);
    }
    expect(planned.lines).toContain('  container web: command changed');
    expectNoValue(planned);

    const deployed = await deploy(inputs, options);
    expect(deployed.exitCode).toBe(0);
    expect(deployed.outputs.status).toBe('COMPLETED');
    expectNoValue(deployed);

    const rollback = await runBundle('rollback', {
      env: sim.env(),
      timeoutMs: 90_000,
      inputs: { cluster: SEED.cluster, service: SEED.service, 'dry-run': 'true' },
    });
    expect(rollback.exitCode).toBe(0);
    expect(rollback.lines).toContain('  container web: environment DB_PASS changed');
    expect(rollback.lines).toContain(`  container web: image ${REPO}:4f2c9e1 → ${REPO}:c81d2e7`);
    expectNoValue(rollback);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
