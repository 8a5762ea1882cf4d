import type { RunTaskCommandInput } from '@aws-sdk/client-ecs';
import type { Simulator } from '../../sandbox/sim/model.js';
import { SEED } from '../../sandbox/sim/seed.js';
import { startBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { useSeededSim } from '../support/sim-fixtures.js';

/**
 * Migration safety (issue 26) through run-migration's bundle: the sandbox image answers `migrate --plan` in Django
 * 5.2's words from the migrations it holds and each tenant database's state.
 */

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend';
const TENANTS = ['startupwebapp_prod', 'healthtech_experiment', 'fintech_experiment'];
const ADD = {
  name: 'order.0008_orderconfiguration_tax_rate',
  operations: ['Add field tax_rate to orderconfiguration'],
};
const REMOVE = { name: 'user.0013_remove_member_legacy_phone', operations: ['Remove field legacy_phone from member'] };
const RAW = {
  name: 'order.0009_backfill_tax_rate',
  operations: ['Raw SQL operation -> UPDATE order_orderconfiguration SET ta…'],
};

const seeded = useSeededSim('each', undefined, { timeScale: 0.01 });
let sim: Simulator;
beforeEach(() => {
  sim = seeded.sim;
  sim.images.define(`${REPO}:additive`, { migrations: [ADD] });
  sim.images.define(`${REPO}:destructive`, { migrations: [ADD, REMOVE] });
  sim.images.define(`${REPO}:raw`, { migrations: [RAW] });
});

function run(inputs: Record<string, string>): Promise<BundleResult> {
  const base = {
    cluster: SEED.cluster,
    service: SEED.service,
    'task-definition': SEED.migrationFamily,
    'poll-interval-seconds': '0.05',
  };
  return startBundle('run-migration', { inputs: { ...base, ...inputs }, env: sim.env(), timeoutMs: 90_000 }).result;
}

const commands = () =>
  sim.calls('RunTask').map((call) => (call.input as RunTaskCommandInput).overrides!.containerOverrides![0]!.command!);
const applied = () => TENANTS.map((tenant) => sim.migrations.applied(tenant));

test('an additive plan passes and the migration applies', async () => {
  const result = await run({
    image: `${REPO}:additive`,
    environment: 'DATABASE_NAME=healthtech_experiment',
    plan: 'true',
  });
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(result.outputs['plan-class']).toBe('additive');
  expect(result.lines).toContain(
    '    [additive] Add field tax_rate to orderconfiguration  (adds a column: old code ignores what it does not know (give it a default or null))',
  );
  expect(result.lines).toContain('  Applying order.0008_orderconfiguration_tax_rate... OK');
  expect(commands().map((c) => c.join(' '))).toEqual([
    'python manage.py migrate --noinput --plan',
    'python manage.py migrate --noinput',
  ]);
  expect(sim.migrations.applied('healthtech_experiment')).toEqual([ADD.name]);
  expect(result.summary).toContain('### Migration plan: additive (destructive: fail)');
  expect(result.summary).toContain(
    '| order.0008_orderconfiguration_tax_rate | Add field tax_rate to orderconfiguration | additive:',
  );
});

test('a RemoveField fails the plan over the three tenants before any is migrated, naming the migration and the steps', async () => {
  const result = await run({
    image: `${REPO}:destructive`,
    plan: 'only',
    'plan-databases': TENANTS.join('\n'),
  });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]!.title).toBe('Migration plan refused');
  expect(result.errors[0]!.message).toMatch(
    /^Migration user\.0013_remove_member_legacy_phone: "Remove field legacy_phone from member" is destructive or incompatible \(drops a column old code reads and writes\) while the old tasks still serve\. Nothing was applied \(destructive: fail\)\.\n\n.*\n1\. Expand: .*\n2\. Deploy: .*\n3\. Contract: .*'destructive: allow'/,
  );
  expect(commands()).toHaveLength(3);
  expect(commands().every((c) => c.includes('--plan'))).toBe(true);
  expect(applied()).toEqual([[], [], []]);
  expect(result.outputs).toMatchObject({ 'plan-class': 'destructive', 'plan-same': 'true' });
  expect(result.lines).toContain('The same plan for all 3 databases: they are at the same migration state.');
  expect(result.summary).toContain('## Migration plan failed');
  expect(result.summary).toContain(
    'The same plan for all 3 databases (startupwebapp_prod, healthtech_experiment, fintech_experiment)',
  );
  expect(result.summary).toContain(
    '| user.0013_remove_member_legacy_phone | Remove field legacy_phone from member | destructive:',
  );
});

test('destructive: warn applies and warns', async () => {
  const result = await run({
    image: `${REPO}:destructive`,
    environment: 'DATABASE_NAME=fintech_experiment',
    plan: 'true',
    destructive: 'warn',
  });
  expect(result.exitCode).toBe(0);
  expect(result.warnings.filter((w) => w.title === 'Migration plan').map((w) => w.message)).toEqual([
    expect.stringMatching(
      /^Migration user\.0013_remove_member_legacy_phone: "Remove field legacy_phone from member" is destructive .*; migrating anyway \(destructive: warn\)\./,
    ),
  ]);
  expect(sim.migrations.applied('fintech_experiment')).toEqual([ADD.name, REMOVE.name]);
});

test('raw SQL is reported as unknown and, under fail, not applied', async () => {
  const result = await run({ image: `${REPO}:raw`, environment: 'DATABASE_NAME=startupwebapp_prod', plan: 'true' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs['plan-class']).toBe('unknown');
  expect(result.lines).toContain(
    '    [unknown] Raw SQL operation -> UPDATE order_orderconfiguration SET ta…  (raw SQL cannot be judged)',
  );
  expect(result.errors[0]!.message).toMatch(
    /^Migration order\.0009_backfill_tax_rate: "Raw SQL operation -> UPDATE .*" cannot be judged/,
  );
  expect(applied()).toEqual([[], [], []]);
});

test('tenants at different states show their own plans; none pending says so', async () => {
  sim.migrations.markApplied('healthtech_experiment', [ADD.name]);
  sim.migrations.markApplied('fintech_experiment', [ADD.name, REMOVE.name]);
  const result = await run({
    image: `${REPO}:destructive`,
    plan: 'only',
    'plan-databases': TENANTS.join('\n'),
    destructive: 'allow',
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({ 'plan-class': 'destructive', 'plan-same': 'false' });
  expect(result.lines).toContain('The databases are at different migration states: each has its own plan above.');
  expect(result.summary).toContain('### Plan on startupwebapp_prod');
  expect(result.summary).toContain('### Plan on fintech_experiment\n\nNo planned migration operations.');
  const healthtech = result.summary.slice(result.summary.indexOf('### Plan on healthtech_experiment'));
  expect(healthtech.slice(0, healthtech.indexOf('### Plan on fintech'))).not.toContain('Add field');
  expect(applied()).toEqual([[], [ADD.name], [ADD.name, REMOVE.name]]); // plan only: nothing applied
});
