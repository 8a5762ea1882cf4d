import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FRONTEND_BUCKET, SEED, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { REPO_ROOT, runBundle, startBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import {
  allowedActions,
  comparePolicy,
  iamActionsOf,
  readPolicy,
  readRoles,
  roleWorkActions,
} from '../support/iam-actions.js';
import { registerRevision, startDeployment, waitUntilSettled } from '../support/seeded-service.js';
import { cleanFamily, putSuiteRoles, roleArn } from '../support/setup-fixtures.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The IAM check, one role per workflow (docs/iam/roles.json): each workflow's AWS work runs, against a fresh seeded
 * sandbox, through every code path that calls AWS (the bundles as the runner runs them, plus the AWS CLI calls of the
 * workflow's own steps, sent through the SDK); the IAM actions it called (the sandbox records every request) must all
 * be allowed by the policies the role attaches, and everything those policies allow must have been called, or be
 * explained in NOT_REACHABLE below. The deploy and rollback roles are judged on their work on a rolling service and on
 * a blue/green one together (ECS deploys the latter itself, so other calls watch and stop it). The build role pushes
 * to ECR, which the sandbox does not serve: the static test (test/unit/iam-policies.test.ts) alone judges it.
 */

/**
 * Allowed actions the sandbox cannot show being used, each with its reason. Empty today: iam:PassRole and
 * ecs:TagResource, which the sandbox does not record as requests, are derived from the recorded RegisterTaskDefinition
 * and RunTask inputs (roles, tags) by iamActionsOf. An entry here that is called after all fails the test.
 */
const NOT_REACHABLE: Record<string, Record<string, string>> = {
  'startupwebapp-github-migrate': {},
  'startupwebapp-github-admin': {},
  'startupwebapp-github-deploy': {},
  'startupwebapp-github-rollback': {},
  'startupwebapp-github-rollback-preview': {},
  'startupwebapp-github-frontend': {},
  'check-setup': {},
};
const ROLES = readRoles();
/** What the rollback action calls to find the deployment in flight, its target, and stop it with a rollback. */
const STOP_IN_FLIGHT = [
  'ecs:ListServiceDeployments',
  'ecs:DescribeServiceDeployments',
  'ecs:DescribeServiceRevisions',
  'ecs:StopServiceDeployment',
];

/** StartupWebApp's distribution, the only one docs/iam/deploy-frontend.json lets the frontend role invalidate. */
const DISTRIBUTION = 'E2IQ9KG6S4Y7R3';
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend';
const POLL = '0.05';
const MIGRATION = {
  cluster: SEED.cluster,
  'task-definition': SEED.migrationFamily,
  service: SEED.service,
  'poll-interval-seconds': POLL,
};
const SERVICE_WATCH = {
  cluster: SEED.cluster,
  service: SEED.service,
  'poll-interval-seconds': POLL,
  'timeout-minutes': '1',
};

/** One describe block's fresh seeded sandbox, an ECS client on it, and the IAM actions its runs called. */
interface Suite {
  sandbox: Sandbox;
  ecs: ECSClient;
  called: Set<string>;
}

/** What the deploy and rollback roles' work called over all their scenarios: on a rolling and a blue/green service. */
const ROLE_CALLS = { deploy: new Set<string>(), rollback: new Set<string>(), preview: new Set<string>() };

/**
 * Registers the hooks that start the block's sandbox (then `setup`) before its tests and stop it after. `called`: a
 * set shared with other blocks of the same role; `deployment`: the service's deploymentConfiguration fields (seed.ts),
 * e.g. a blue/green strategy.
 */
function useSuite(
  setup?: (ecs: ECSClient, sandbox: Sandbox) => Promise<void>,
  { called = new Set<string>(), deployment }: { called?: Set<string>; deployment?: Record<string, unknown> } = {},
): Suite {
  const suite = { called } as Suite;
  beforeAll(async () => {
    suite.sandbox = await startSandbox({ timeScale: 0.01, seed: !deployment });
    if (deployment) await suite.sandbox.sim.seedStartupWebApp({ deployment });
    suite.ecs = new ECSClient({
      endpoint: suite.sandbox.sim.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await setup?.(suite.ecs, suite.sandbox);
  });
  afterAll(async () => {
    suite.ecs.destroy();
    await suite.sandbox.stop();
  });
  return suite;
}

/**
 * Runs one bundle and returns what it did and the IAM actions its requests needed (setup calls excluded); those
 * actions are added to the suite's.
 */
async function observed(
  suite: Suite,
  run: () => Promise<BundleResult>,
  into: Set<string> = suite.called,
): Promise<{ result: BundleResult; actions: Set<string> }> {
  const { sandbox, ecs } = suite;
  const [simFrom, s3From] = [sandbox.sim.requests.length, sandbox.s3.requests.length];
  const result = await run();
  const recorded = [
    ...sandbox.sim.requests.slice(simFrom).map((r) => ({ operation: `${r.service}:${r.operation}`, input: r.input })),
    ...sandbox.s3.requests.slice(s3From).map((r) => ({ operation: `s3:${r.operation}`, input: undefined })),
  ];
  // RunTask passes the roles of the task definition it runs: look them up (after the run, outside its window).
  const withRoles = new Set<string>();
  for (const { operation, input } of recorded) {
    const ref = (input as { taskDefinition?: string } | undefined)?.taskDefinition;
    if (operation !== 'ecs:RunTask' || !ref) continue;
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }));
    if (out.taskDefinition?.taskRoleArn || out.taskDefinition?.executionRoleArn) withRoles.add(ref);
  }
  const context = { taskDefinitionHasRoles: (ref: string) => withRoles.has(ref) };
  const actions = new Set(recorded.flatMap(({ operation, input }) => iamActionsOf(operation, input, context)));
  actions.forEach((a) => into.add(a));
  return { result, actions };
}

/** Runs `action`'s bundle on the suite's sandbox with `defaults` under the given inputs; its calls go `into` a set. */
function runner(
  suite: Suite,
  action: string,
  defaults: Record<string, string | number>,
  timeoutMs: number,
  into: Set<string> = suite.called,
) {
  return (inputs: Record<string, string | number | boolean>) =>
    observed(
      suite,
      () => runBundle(action, { inputs: { ...defaults, ...inputs }, env: suite.sandbox.env(), timeoutMs }),
      into,
    );
}

/**
 * The role's attached policies allow exactly what was called (or what NOT_REACHABLE explains); check-setup.json, which
 * every role attaches for the setup check, is judged by the check-setup scenario below.
 */
function expectRoleMatches(role: string, called: Set<string>): void {
  const coverage = comparePolicy(roleWorkActions(ROLES[role]!), called, NOT_REACHABLE[role]);
  expect({ role, ...coverage }).toEqual({ role, missing: [], unused: [], staleAllowances: [] });
}

describe('startupwebapp-github-migrate: run-migration on the migration family (migrate jobs)', () => {
  const suite = useSuite();
  const run = runner(suite, 'run-migration', MIGRATION, 45_000);

  test('image + service: registers a revision, runs it with the service network, streams its logs', async () => {
    suite.sandbox.sim.images.define(`${REPO}:ok`, { commands: { '*': { logLines: 5, exitCode: 0, runSeconds: 5 } } });
    const { result, actions } = await run({ image: `${REPO}:ok` });
    expect(result.exitCode).toBe(0);
    expect([...actions]).toEqual(
      expect.arrayContaining(['ecs:RegisterTaskDefinition', 'ecs:RunTask', 'iam:PassRole', 'logs:GetLogEvents']),
    );
  });

  test('timeout: stops the task', async () => {
    suite.sandbox.sim.images.define(`${REPO}:slow`, {
      commands: { '*': { logLines: 100, exitCode: 0, runSeconds: 100_000 } },
    });
    const { result, actions } = await run({ image: `${REPO}:slow`, 'timeout-minutes': 0.02 });
    expect(result.errors[0]?.title).toBe('Migration timed out');
    expect(actions).toContain('ecs:StopTask');
  });

  test('a failure with stream-logs off still fetches the last log lines', async () => {
    suite.sandbox.sim.images.define(`${REPO}:broken`, {
      commands: { '*': { logLines: 10, exitCode: 1, runSeconds: 2 } },
    });
    const { result, actions } = await run({ image: `${REPO}:broken`, 'stream-logs': 'false' });
    expect(result.errors[0]?.title).toBe('Migration failed');
    expect(actions).toContain('logs:GetLogEvents');
  });

  test('SIGTERM: stops the task on cancel', async () => {
    suite.sandbox.sim.images.define(`${REPO}:cancel`, {
      commands: { '*': { logLines: 100_000, exitCode: 0, runSeconds: 100_000 } },
    });
    const { result, actions } = await observed(suite, async () => {
      const running = startBundle('run-migration', {
        inputs: { ...MIGRATION, image: `${REPO}:cancel` },
        env: suite.sandbox.env(),
        timeoutMs: 90_000,
      });
      await running.waitForLine(/^line \d+ of 100000$/);
      running.signal('SIGTERM');
      return running.result;
    });
    expect(result.errors.map((e) => e.title)).toEqual(['Migration cancelled']);
    expect(actions).toContain('ecs:StopTask');
  });

  test('the migrate role allows exactly what its jobs called', () => {
    expectRoleMatches('startupwebapp-github-migrate', suite.called);
  });
});

describe('startupwebapp-github-admin: admin-command.yml (reads what the service runs, runs the command in the admin family)', () => {
  const SERVED = `${REPO}:served`;
  const suite = useSuite(async (ecs, sandbox) => {
    // Defined (and so pushed to the sandbox's ECR) before the service deploys it: an image never pushed cannot start.
    sandbox.sim.images.define(SERVED, {
      commands: {
        'python manage.py createsuperuser --noinput': { logLines: ['Superuser created successfully.'], exitCode: 0 },
        'python manage.py collectstatic --noinput': { logLines: 100, exitCode: 0, runSeconds: 100_000 },
      },
    });
    await startDeployment(ecs, await registerRevision(ecs, SEED.serviceFamily, { image: SERVED }));
    await waitUntilSettled(ecs);
  });
  const MASTER = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds/startupwebapp/multi-tenant/master-AbCdEf';

  /** The workflow's first step (`aws ecs describe-services`, then `describe-task-definition`), then the command. */
  function adminCommand(command: string, inputs: Record<string, string | number> = {}) {
    return observed(suite, async () => {
      const { services } = await suite.ecs.send(
        new DescribeServicesCommand({ cluster: SEED.cluster, services: [SEED.service] }),
      );
      const taskDefinition = services?.[0]?.taskDefinition;
      const { taskDefinition: served } = await suite.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
      const image = served?.containerDefinitions?.find((c) => c.name === 'web')?.image;
      expect(image).toBe(SERVED);
      return runBundle('run-migration', {
        inputs: {
          ...MIGRATION,
          family: 'startupwebapp-admin-task',
          image: image!,
          command,
          environment: 'DATABASE_NAME=healthtech_experiment',
          secrets: `DJANGO_SUPERUSER_PASSWORD=${MASTER}:superuser_password::`,
          ...inputs,
        },
        env: suite.sandbox.env(),
        timeoutMs: 45_000,
      });
    });
  }

  test('createsuperuser: registers the admin family with secret references, runs it, streams its logs', async () => {
    const { result, actions } = await adminCommand('python manage.py createsuperuser --noinput');
    expect(result.exitCode).toBe(0);
    expect(result.outputs['task-definition-arn']).toMatch(/:task-definition\/startupwebapp-admin-task:\d+$/);
    expect([...actions]).toEqual(
      expect.arrayContaining(['ecs:DescribeServices', 'ecs:RegisterTaskDefinition', 'ecs:RunTask', 'iam:PassRole']),
    );
  });

  test('timeout: stops the task', async () => {
    const { result, actions } = await adminCommand('python manage.py collectstatic --noinput', {
      'timeout-minutes': 0.02,
    });
    expect(result.exitCode).toBe(1);
    expect(actions).toContain('ecs:StopTask');
  });

  test('the admin role allows exactly what its job called', () => {
    expectRoleMatches('startupwebapp-github-admin', suite.called);
  });
});

describe('startupwebapp-github-deploy: deploy-service (the deploy job)', () => {
  // StartupWebApp tags its task definitions; a new revision keeps them, which IAM checks as ecs:TagResource.
  const suite = useSuite(
    async (ecs) => {
      const tags = [{ key: 'app', value: 'startupwebapp' }];
      await startDeployment(ecs, await registerRevision(ecs, SEED.serviceFamily, { image: SEED.image, tags }));
      await waitUntilSettled(ecs);
    },
    { called: ROLE_CALLS.deploy },
  );
  const deploy = runner(suite, 'deploy-service', SERVICE_WATCH, 50_000);

  test('success with the health check: registers a revision keeping its tags, updates, watches', async () => {
    const { result, actions } = await deploy({
      image: `${REPO}:4f2c9e1`,
      'health-check-url': suite.sandbox.sim.albUrl(SEED.cluster, SEED.service),
    });
    expect(result.outputs.status).toBe('COMPLETED');
    expect([...actions]).toEqual(
      expect.arrayContaining([
        'ecr:DescribeImages',
        'ecs:RegisterTaskDefinition',
        'iam:PassRole',
        'ecs:TagResource',
        'ecs:UpdateService',
      ]),
    );
  });

  test('wait-for-idle: waits for a deployment in flight first', async () => {
    // Held in flight until the action says it waits for it.
    suite.sandbox.sim.images.define('app:other', { held: true });
    await startDeployment(suite.ecs, await registerRevision(suite.ecs, SEED.serviceFamily, { image: 'app:other' }));
    const { result } = await observed(suite, async () => {
      const running = startBundle('deploy-service', {
        inputs: { ...SERVICE_WATCH, image: 'app:v3' },
        env: suite.sandbox.env(),
        timeoutMs: 90_000,
      });
      await running.waitForLine(/Waiting for deployment/);
      suite.sandbox.sim.images.release('app:other');
      return running.result;
    });
    expect(result.outputs.status).toBe('COMPLETED');
    expect(result.lines.join('\n')).toContain('Waiting for deployment');
  });

  test('circuit-breaker failure with on-failure: rollback: stopped tasks, crash log lines, waits for ECS', async () => {
    suite.sandbox.sim.images.define('app:crashing', {
      crashAfterSeconds: 5,
      exitCode: 3,
      logLines: ['Booting gunicorn', 'ImportError: cannot import name settings_production'],
    });
    const { result, actions } = await deploy({ image: 'app:crashing', 'on-failure': 'rollback' });
    expect(result.outputs.status).toBe('ROLLED_BACK');
    expect(result.lines.join('\n')).toContain('ImportError: cannot import name settings_production');
    expect([...actions]).toEqual(expect.arrayContaining(['ecs:ListTasks', 'ecs:DescribeTasks', 'logs:GetLogEvents']));
  });

  test('no circuit breaker, on-failure: rollback: updates the service back itself', async () => {
    await suite.ecs.send(
      new UpdateServiceCommand({
        cluster: SEED.cluster,
        service: SEED.service,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } },
      }),
    );
    suite.sandbox.sim.images.define('app:unhealthy', { health: 'unhealthy', healthCheckSeconds: 5 });
    const { result } = await deploy({ image: 'app:unhealthy', 'on-failure': 'rollback' });
    expect(result.outputs.status).toBe('FAILED');
    expect(result.lines.join('\n')).toContain('putting the service back on');
  });
});

describe('startupwebapp-github-rollback and -rollback-preview: rollback.yml, changing and dry run', () => {
  const preview = ROLE_CALLS.preview;
  const suite = useSuite(
    async (ecs) => {
      await startDeployment(ecs, await registerRevision(ecs, SEED.serviceFamily, { image: `${REPO}:4f2c9e1` }));
      await waitUntilSettled(ecs);
    },
    { called: ROLE_CALLS.rollback },
  );
  const rollback = runner(suite, 'rollback', SERVICE_WATCH, 50_000);

  test('with history and a deployment in flight: StopServiceDeployment with a rollback', async () => {
    suite.sandbox.sim.images.define('app:slow', { startSeconds: 3000 });
    await startDeployment(suite.ecs, await registerRevision(suite.ecs, SEED.serviceFamily, { image: 'app:slow' }));
    const { result, actions } = await rollback({});
    expect(result.outputs.status).toBe('COMPLETED');
    expect([...actions]).toEqual(expect.arrayContaining(STOP_IN_FLIGHT));
  });

  test('dry run (the preview role): reads only, with the history and a deployment in flight', async () => {
    suite.sandbox.sim.images.define('app:held', { held: true });
    await startDeployment(suite.ecs, await registerRevision(suite.ecs, SEED.serviceFamily, { image: 'app:held' }));
    const { result, actions } = await observed(
      suite,
      () => runBundle('rollback', { inputs: { ...SERVICE_WATCH, 'dry-run': 'true' }, env: suite.sandbox.env() }),
      preview,
    );
    suite.sandbox.sim.images.release('app:held');
    expect(result.outputs.status).toBe('NOOP');
    expect(actions).not.toContain('ecs:UpdateService');
    expect(actions).toContain('ecs:DescribeServiceRevisions');
  });

  test('a dry run naming a revision (the preview role)', async () => {
    const target = await registerRevision(suite.ecs, SEED.serviceFamily, { image: 'app:named' });
    const { result } = await observed(
      suite,
      () =>
        runBundle('rollback', {
          inputs: { ...SERVICE_WATCH, 'dry-run': 'true', to: `${SEED.serviceFamily}:${target.split(':').pop()!}` },
          env: suite.sandbox.env(),
        }),
      preview,
    );
    expect(result.outputs.status).toBe('NOOP');
  });

  test('to a revision that crashes: UpdateService, then stopped tasks and their log lines', async () => {
    suite.sandbox.sim.images.define('app:crashing', { crashAfterSeconds: 5, exitCode: 3, logLines: ['Traceback'] });
    const target = await registerRevision(suite.ecs, SEED.serviceFamily, { image: 'app:crashing' });
    const { result, actions } = await rollback({ to: target.split(':').pop()! });
    expect(result.outputs.status).toBe('FAILED');
    expect([...actions]).toEqual(
      expect.arrayContaining(['ecs:UpdateService', 'ecs:ListTasks', 'ecs:DescribeTasks', 'logs:GetLogEvents']),
    );
  });
});

describe('startupwebapp-github-deploy and -rollback on a blue/green service (ECS BLUE_GREEN, 60-minute bake)', () => {
  const suite = useSuite(undefined, { deployment: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 } });
  const deploy = runner(suite, 'deploy-service', SERVICE_WATCH, 50_000, ROLE_CALLS.deploy);
  const rollback = runner(suite, 'rollback', SERVICE_WATCH, 50_000, ROLE_CALLS.rollback);

  /** The service's newest service deployment, read by the test (not by a role). */
  async function newestDeployment(): Promise<ServiceDeployment> {
    const listed = await suite.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: SEED.cluster, service: SEED.service }),
    );
    const arn = listed.serviceDeployments![0]!.serviceDeploymentArn!;
    const described = await suite.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
    return described.serviceDeployments![0]!;
  }
  const rolledBack = () =>
    waitFor(async () => ((await newestDeployment()).status === 'ROLLBACK_SUCCESSFUL' ? true : undefined));

  test('deploy, on-failure: rollback, a release that never becomes healthy in time: StopServiceDeployment ROLLBACK', async () => {
    suite.sandbox.sim.images.define('app:never-ready', { startSeconds: 100_000 });
    const { result, actions } = await deploy({
      image: 'app:never-ready',
      'on-failure': 'rollback',
      'timeout-minutes': '0.05',
    });
    expect(result.outputs.status).toBe('TIMED_OUT');
    expect(result.lines.join('\n')).toContain(
      'on-failure: rollback stopped the deployment with StopServiceDeployment ROLLBACK',
    );
    expect([...actions]).toEqual(
      expect.arrayContaining([
        'ecs:UpdateService',
        'ecs:ListServiceDeployments',
        'ecs:DescribeServiceDeployments',
        'ecs:StopServiceDeployment',
      ]),
    );
    await rolledBack();
  });

  test('rollback during the bake (and its dry run, the preview role): StopServiceDeployment ROLLBACK', async () => {
    const served = await runBundle('deploy-service', {
      inputs: { ...SERVICE_WATCH, image: 'app:v2', 'wait-until': 'serving' },
      env: suite.sandbox.env(),
      timeoutMs: 50_000,
    });
    expect(served.outputs.status).toBe('SERVING');
    const dryRun = await observed(
      suite,
      () => runBundle('rollback', { inputs: { ...SERVICE_WATCH, 'dry-run': 'true' }, env: suite.sandbox.env() }),
      ROLE_CALLS.preview,
    );
    expect(dryRun.result.outputs.status).toBe('NOOP');
    const { result, actions } = await rollback({});
    expect(result.outputs.status).toBe('COMPLETED');
    expect(result.summary).toContain('StopServiceDeployment');
    expect([...actions]).toEqual(expect.arrayContaining(STOP_IN_FLIGHT));
    expect(actions).not.toContain('ecs:UpdateService');
    await rolledBack();
  });
});

describe('the deploy, rollback and rollback preview roles, over their rolling and blue/green work', () => {
  test('the deploy role allows exactly what its job called', () => {
    expectRoleMatches('startupwebapp-github-deploy', ROLE_CALLS.deploy);
  });

  test('the rollback role allows exactly what the changing runs called', () => {
    expectRoleMatches('startupwebapp-github-rollback', ROLE_CALLS.rollback);
  });

  test('the rollback preview role allows exactly what the dry runs called, all of it reads', () => {
    expectRoleMatches('startupwebapp-github-rollback-preview', ROLE_CALLS.preview);
  });
});

describe('startupwebapp-github-frontend: deploy-frontend (deploy-frontend.yml)', () => {
  const suite = useSuite();
  const deploy = runner(suite, 'deploy-frontend', { bucket: FRONTEND_BUCKET, 'max-attempts': 2 }, 50_000);
  let s3: S3Client;
  const temps: string[] = [];
  const fixture = join(REPO_ROOT, 'test/fixtures/site');

  function checkout(): string {
    const dir = mkdtempSync(join(tmpdir(), 'iam-frontend-'));
    temps.push(dir);
    cpSync(fixture, dir, { recursive: true });
    return dir;
  }

  beforeAll(() => {
    const env = suite.sandbox.s3.env();
    s3 = new S3Client({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_S3,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  });
  afterAll(() => {
    s3.destroy();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  test('first deploy, with a file above the multipart threshold', async () => {
    const site = checkout();
    writeFileSync(join(site, 'video.mp4'), Buffer.alloc(17 * 1024 * 1024, 7));
    const { result } = await deploy({ source: site });
    expect(result.exitCode).toBe(0);
    expect(suite.sandbox.s3.requests.some((r) => r.operation === 'UploadPart')).toBe(true);
  });

  test('a changed page, a changed header rule, a removed file and an invalidation', async () => {
    await s3.send(new PutObjectCommand({ Bucket: FRONTEND_BUCKET, Key: 'old/a.html', Body: 'old' }));
    const site = checkout();
    const about = join(site, 'about.html');
    writeFileSync(about, readFileSync(about, 'utf8').replace('About us', 'About'));
    const { result, actions } = await deploy({
      source: site,
      delete: true,
      'cache-control': '**/*.png: public, max-age=60',
      'cloudfront-distribution-id': DISTRIBUTION,
      'wait-for-invalidation': true,
      'poll-interval-seconds': 0.05,
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ deleted: '2', 'invalidation-id': expect.stringMatching(/^I/) });
    expect([...actions]).toEqual(
      expect.arrayContaining([
        's3:GetObject',
        's3:PutObject',
        's3:DeleteObject',
        'cloudfront:CreateInvalidation',
        'cloudfront:GetInvalidation',
      ]),
    );
  });

  test('HEAD fallback when the manifest is gone', async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: FRONTEND_BUCKET, Key: '.deploy-manifest.json' }));
    const from = suite.sandbox.s3.requests.length;
    const { result } = await deploy({ source: checkout() });
    expect(result.exitCode).toBe(0);
    expect(suite.sandbox.s3.requests.slice(from).filter((r) => r.operation === 'HeadObject').length).toBeGreaterThan(0);
  });

  test('a multipart upload that fails is aborted', async () => {
    const site = checkout();
    writeFileSync(join(site, 'big.bin'), Buffer.alloc(17 * 1024 * 1024, 9));
    suite.sandbox.s3.faults.failKey({ key: /^big\.bin$/, operations: ['UploadPart'] });
    const { result, actions } = await deploy({ source: site, 'max-attempts': 1 });
    suite.sandbox.s3.faults.clear();
    expect(result.exitCode).toBe(1);
    expect(actions).toContain('s3:AbortMultipartUpload');
  });

  test('the frontend role allows exactly what its job called, on the one distribution it is scoped to', () => {
    expectRoleMatches('startupwebapp-github-frontend', suite.called);
    const distributions = suite.sandbox.sim.requests
      .filter((r) => r.service === 'cloudfront')
      .map((r) => (r.input as { DistributionId?: string }).DistributionId);
    expect(new Set(distributions)).toEqual(new Set([DISTRIBUTION]));
  });
});

describe('check-setup', () => {
  const suite = useSuite();
  const check = runner(suite, 'check-setup', {}, 50_000);

  test('every AWS scope with its role, and the live health path: reads and policy simulations only', async () => {
    putSuiteRoles(suite.sandbox.sim);
    // An adopted setup has registered a clean base revision of today's polluted migration family (a setup call).
    await cleanFamily(suite.ecs, SEED.migrationFamily);
    const scopes = ['build', 'migrate', 'deploy', 'rollback-preview', 'frontend'] as const;
    for (const scope of scopes) {
      const health: Record<string, string> =
        scope === 'deploy' ? { 'health-check-url': suite.sandbox.sim.albUrl(SEED.cluster, SEED.service) } : {};
      const { result } = await check({
        scope,
        'role-arn': roleArn(scope),
        'cloudfront-distribution-id': SEED.distributionId,
        ...health,
      });
      expect([scope, result.outputs.failed]).toEqual([scope, '0']);
    }
    expect([...suite.called]).toEqual(
      expect.arrayContaining(['iam:SimulatePrincipalPolicy', 'secretsmanager:DescribeSecret']),
    );
  });

  test('docs/iam/check-setup.json allows exactly what it called', () => {
    const coverage = comparePolicy(
      allowedActions(readPolicy('check-setup.json')),
      suite.called,
      NOT_REACHABLE['check-setup'],
    );
    expect(coverage).toEqual({ missing: [], unused: [], staleAllowances: [] });
  });
});
