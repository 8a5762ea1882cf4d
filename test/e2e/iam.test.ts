import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Tag,
} from '@aws-sdk/client-ecs';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FRONTEND_BUCKET, SEED, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { toRegisterRequest, type TaskDefinitionJson } from '../../actions/shared/task-definitions.js';
import { REPO_ROOT, runBundle, startBundle, type BundleResult } from '../support/run-bundle.js';
import { allowedActions, comparePolicy, iamActionsOf, readPolicy } from '../support/iam-actions.js';

/**
 * Issue 7's IAM check: each action's bundle runs, against a fresh seeded sandbox, through every code path that calls
 * AWS; the IAM actions it called (the sandbox records every request) must all be allowed by docs/iam/<action>.json,
 * and everything that policy allows must have been called, or be explained in NOT_REACHABLE below.
 */

jest.setTimeout(120_000);

/**
 * Allowed actions the sandbox cannot show being used, each with its reason. Empty today: iam:PassRole and
 * ecs:TagResource, which the sandbox does not record as requests, are derived from the recorded RegisterTaskDefinition
 * and RunTask inputs (roles, tags) by iamActionsOf. An entry here that is called after all fails the test.
 */
const NOT_REACHABLE: Record<string, Record<string, string>> = {
  'run-migration': {},
  'deploy-service': {},
  'deploy-frontend': {},
  rollback: {},
};

const POLL = '0.05';
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-server';

/** Runs one bundle and returns what it did and the IAM actions its requests needed (setup calls excluded). */
async function observed(
  sandbox: Sandbox,
  ecs: ECSClient | undefined,
  run: () => Promise<BundleResult>,
): Promise<{ result: BundleResult; actions: Set<string> }> {
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
    if (operation !== 'ecs:RunTask' || !ref || !ecs) continue;
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }));
    if (out.taskDefinition?.taskRoleArn || out.taskDefinition?.executionRoleArn) withRoles.add(ref);
  }
  const context = { taskDefinitionHasRoles: (ref: string) => withRoles.has(ref) };
  const actions = new Set(recorded.flatMap(({ operation, input }) => iamActionsOf(operation, input, context)));
  return { result, actions };
}

function expectPolicyMatches(action: string, called: Set<string>): void {
  const coverage = comparePolicy(allowedActions(readPolicy(`${action}.json`)), called, NOT_REACHABLE[action]);
  expect({ action, ...coverage }).toEqual({ action, missing: [], unused: [], staleAllowances: [] });
}

function sandboxEcs(sandbox: Sandbox): ECSClient {
  return new ECSClient({
    endpoint: sandbox.sim.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** Registers a revision of `family` with `image` (and tags), everything else as the latest revision has it. */
async function register(ecs: ECSClient, family: string, image: string, tags: Tag[] = []): Promise<string> {
  const current = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
  const definition = structuredClone(current.taskDefinition) as TaskDefinitionJson;
  definition.containerDefinitions![0]!.image = image;
  const out = await ecs.send(new RegisterTaskDefinitionCommand(toRegisterRequest(definition, tags) as never));
  return out.taskDefinition!.taskDefinitionArn!;
}

async function update(ecs: ECSClient, taskDefinition: string): Promise<void> {
  await ecs.send(new UpdateServiceCommand({ cluster: SEED.cluster, service: SEED.service, taskDefinition }));
}

/** Waits until the service has one COMPLETED deployment. */
async function settled(ecs: ECSClient): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: SEED.cluster, services: [SEED.service] }));
    const deployments = out.services?.[0]?.deployments ?? [];
    if (deployments.length === 1 && deployments[0]!.rolloutState === 'COMPLETED') return;
    if (Date.now() > deadline) throw new Error(`service did not settle: ${JSON.stringify(deployments)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('run-migration', () => {
  let sandbox: Sandbox;
  let ecs: ECSClient;
  const called = new Set<string>();
  const run = (inputs: Record<string, string | number>) =>
    observed(sandbox, ecs, () =>
      runBundle('run-migration', {
        inputs: {
          cluster: SEED.cluster,
          'task-definition': SEED.migrationFamily,
          service: SEED.service,
          'poll-interval-seconds': POLL,
          ...inputs,
        },
        env: sandbox.env(),
        timeoutMs: 45_000,
      }),
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ timeScale: 0.01, seed: true });
    ecs = sandboxEcs(sandbox);
  });
  afterAll(async () => {
    ecs.destroy();
    await sandbox.stop();
  });

  test('image + service: registers a revision, runs it with the service network, streams its logs', async () => {
    sandbox.sim.images.define(`${REPO}:ok`, { commands: { '*': { logLines: 5, exitCode: 0, runSeconds: 5 } } });
    const { result, actions } = await run({ image: `${REPO}:ok` });
    expect(result.exitCode).toBe(0);
    expect([...actions]).toEqual(
      expect.arrayContaining(['ecs:RegisterTaskDefinition', 'ecs:RunTask', 'iam:PassRole', 'logs:GetLogEvents']),
    );
    actions.forEach((a) => called.add(a));
  });

  test('timeout: stops the task', async () => {
    sandbox.sim.images.define(`${REPO}:slow`, {
      commands: { '*': { logLines: 100, exitCode: 0, runSeconds: 100_000 } },
    });
    const { result, actions } = await run({ image: `${REPO}:slow`, 'timeout-minutes': 0.02 });
    expect(result.errors[0]?.title).toBe('Migration timed out');
    expect(actions).toContain('ecs:StopTask');
    actions.forEach((a) => called.add(a));
  });

  test('a failure with stream-logs off still fetches the last log lines', async () => {
    sandbox.sim.images.define(`${REPO}:broken`, { commands: { '*': { logLines: 10, exitCode: 1, runSeconds: 2 } } });
    const { result, actions } = await run({ image: `${REPO}:broken`, 'stream-logs': 'false' });
    expect(result.errors[0]?.title).toBe('Migration failed');
    expect(actions).toContain('logs:GetLogEvents');
    actions.forEach((a) => called.add(a));
  });

  test('SIGTERM: stops the task on cancel', async () => {
    sandbox.sim.images.define(`${REPO}:cancel`, {
      commands: { '*': { logLines: 100_000, exitCode: 0, runSeconds: 100_000 } },
    });
    const { result, actions } = await observed(sandbox, ecs, async () => {
      const running = startBundle('run-migration', {
        inputs: {
          cluster: SEED.cluster,
          'task-definition': SEED.migrationFamily,
          service: SEED.service,
          'poll-interval-seconds': POLL,
          image: `${REPO}:cancel`,
        },
        env: sandbox.env(),
        timeoutMs: 45_000,
      });
      await running.waitForLine(/^line \d+ of 100000$/);
      running.signal('SIGTERM');
      return running.result;
    });
    expect(result.errors.map((e) => e.title)).toEqual(['Migration cancelled']);
    expect(actions).toContain('ecs:StopTask');
    actions.forEach((a) => called.add(a));
  });

  test('docs/iam/run-migration.json allows exactly what it called', () => {
    expectPolicyMatches('run-migration', called);
  });
});

describe('deploy-service', () => {
  let sandbox: Sandbox;
  let ecs: ECSClient;
  const called = new Set<string>();
  const deploy = (inputs: Record<string, string>) =>
    observed(sandbox, ecs, () =>
      runBundle('deploy-service', {
        inputs: {
          cluster: SEED.cluster,
          service: SEED.service,
          'poll-interval-seconds': POLL,
          'timeout-minutes': '1',
          ...inputs,
        },
        env: sandbox.env(),
        timeoutMs: 50_000,
      }),
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ timeScale: 0.01, seed: true });
    ecs = sandboxEcs(sandbox);
    // StartupWebApp tags its task definitions; a new revision keeps them, which IAM checks as ecs:TagResource.
    await update(ecs, await register(ecs, SEED.serviceFamily, SEED.image, [{ key: 'app', value: 'startupwebapp' }]));
    await settled(ecs);
  });
  afterAll(async () => {
    ecs.destroy();
    await sandbox.stop();
  });

  test('success with the health check: registers a revision keeping its tags, updates, watches', async () => {
    const { result, actions } = await deploy({
      image: 'app:v2',
      'health-check-url': sandbox.sim.albUrl(SEED.cluster, SEED.service),
    });
    expect(result.outputs.status).toBe('COMPLETED');
    expect([...actions]).toEqual(
      expect.arrayContaining(['ecs:RegisterTaskDefinition', 'iam:PassRole', 'ecs:TagResource', 'ecs:UpdateService']),
    );
    actions.forEach((a) => called.add(a));
  });

  test('wait-for-idle: waits for a deployment in flight first', async () => {
    sandbox.sim.images.define('app:other', { startSeconds: 100 });
    await update(ecs, await register(ecs, SEED.serviceFamily, 'app:other'));
    const { result, actions } = await deploy({ image: 'app:v3' });
    expect(result.outputs.status).toBe('COMPLETED');
    expect(result.lines.join('\n')).toContain('Waiting for deployment');
    actions.forEach((a) => called.add(a));
  });

  test('circuit-breaker failure with on-failure: rollback: stopped tasks, crash log lines, waits for ECS', async () => {
    sandbox.sim.images.define('app:crashing', {
      crashAfterSeconds: 5,
      exitCode: 3,
      logLines: ['Booting gunicorn', 'ImportError: cannot import name settings_production'],
    });
    const { result, actions } = await deploy({ image: 'app:crashing', 'on-failure': 'rollback' });
    expect(result.outputs.status).toBe('ROLLED_BACK');
    expect(result.lines.join('\n')).toContain('ImportError: cannot import name settings_production');
    expect([...actions]).toEqual(expect.arrayContaining(['ecs:ListTasks', 'ecs:DescribeTasks', 'logs:GetLogEvents']));
    actions.forEach((a) => called.add(a));
  });

  test('no circuit breaker, on-failure: rollback: updates the service back itself', async () => {
    await ecs.send(
      new UpdateServiceCommand({
        cluster: SEED.cluster,
        service: SEED.service,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } },
      }),
    );
    sandbox.sim.images.define('app:unhealthy', { health: 'unhealthy', healthCheckSeconds: 5 });
    const { result, actions } = await deploy({ image: 'app:unhealthy', 'on-failure': 'rollback' });
    expect(result.outputs.status).toBe('FAILED');
    expect(result.lines.join('\n')).toContain('putting the service back on');
    actions.forEach((a) => called.add(a));
  });

  test('docs/iam/deploy-service.json allows exactly what it called', () => {
    expectPolicyMatches('deploy-service', called);
  });
});

describe('rollback', () => {
  let sandbox: Sandbox;
  let ecs: ECSClient;
  const called = new Set<string>();
  const rollback = (inputs: Record<string, string>) =>
    observed(sandbox, ecs, () =>
      runBundle('rollback', {
        inputs: {
          cluster: SEED.cluster,
          service: SEED.service,
          'poll-interval-seconds': POLL,
          'timeout-minutes': '1',
          ...inputs,
        },
        env: sandbox.env(),
        timeoutMs: 50_000,
      }),
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ timeScale: 0.01, seed: true });
    ecs = sandboxEcs(sandbox);
    await update(ecs, await register(ecs, SEED.serviceFamily, 'app:good'));
    await settled(ecs);
  });
  afterAll(async () => {
    ecs.destroy();
    await sandbox.stop();
  });

  test('with history and a deployment in flight: StopServiceDeployment with a rollback', async () => {
    sandbox.sim.images.define('app:slow', { startSeconds: 3000 });
    await update(ecs, await register(ecs, SEED.serviceFamily, 'app:slow'));
    const { result, actions } = await rollback({});
    expect(result.outputs.status).toBe('COMPLETED');
    expect([...actions]).toEqual(
      expect.arrayContaining([
        'ecs:ListServiceDeployments',
        'ecs:DescribeServiceDeployments',
        'ecs:DescribeServiceRevisions',
        'ecs:StopServiceDeployment',
      ]),
    );
    actions.forEach((a) => called.add(a));
  });

  test('dry run: reads only', async () => {
    const { result, actions } = await rollback({ 'dry-run': 'true' });
    expect(result.outputs.status).toBe('NOOP');
    expect(actions).not.toContain('ecs:UpdateService');
    actions.forEach((a) => called.add(a));
  });

  test('to a revision that crashes: UpdateService, then stopped tasks and their log lines', async () => {
    sandbox.sim.images.define('app:crashing', { crashAfterSeconds: 5, exitCode: 3, logLines: ['Traceback'] });
    const target = await register(ecs, SEED.serviceFamily, 'app:crashing');
    const { result, actions } = await rollback({ to: target.split(':').pop()! });
    expect(result.outputs.status).toBe('FAILED');
    expect([...actions]).toEqual(
      expect.arrayContaining(['ecs:UpdateService', 'ecs:ListTasks', 'ecs:DescribeTasks', 'logs:GetLogEvents']),
    );
    actions.forEach((a) => called.add(a));
  });

  test('docs/iam/rollback.json allows exactly what it called', () => {
    expectPolicyMatches('rollback', called);
  });
});

describe('deploy-frontend', () => {
  let sandbox: Sandbox;
  let s3: S3Client;
  const called = new Set<string>();
  const temps: string[] = [];
  const fixture = join(REPO_ROOT, 'test/fixtures/site');

  function checkout(): string {
    const dir = mkdtempSync(join(tmpdir(), 'iam-frontend-'));
    temps.push(dir);
    cpSync(fixture, dir, { recursive: true });
    return dir;
  }
  const deploy = (inputs: Record<string, string | number | boolean>) =>
    observed(sandbox, undefined, () =>
      runBundle('deploy-frontend', {
        inputs: { bucket: FRONTEND_BUCKET, 'max-attempts': 2, ...inputs },
        env: sandbox.env(),
        timeoutMs: 50_000,
      }),
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ timeScale: 0.01, seed: true });
    const env = sandbox.s3.env();
    s3 = new S3Client({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_S3,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  });
  afterAll(async () => {
    s3.destroy();
    await sandbox.stop();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  test('first deploy, with a file above the multipart threshold', async () => {
    const site = checkout();
    writeFileSync(join(site, 'video.mp4'), Buffer.alloc(17 * 1024 * 1024, 7));
    const { result, actions } = await deploy({ source: site });
    expect(result.exitCode).toBe(0);
    expect(sandbox.s3.requests.some((r) => r.operation === 'UploadPart')).toBe(true);
    actions.forEach((a) => called.add(a));
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
      'cloudfront-distribution-id': 'E2QWRUHAPOMQZL',
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ deleted: '2', 'invalidation-id': expect.stringMatching(/^I/) });
    expect([...actions]).toEqual(
      expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 'cloudfront:CreateInvalidation']),
    );
    actions.forEach((a) => called.add(a));
  });

  test('HEAD fallback when the manifest is gone', async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: FRONTEND_BUCKET, Key: '.deploy-manifest.json' }));
    const from = sandbox.s3.requests.length;
    const { result, actions } = await deploy({ source: checkout() });
    expect(result.exitCode).toBe(0);
    expect(sandbox.s3.requests.slice(from).filter((r) => r.operation === 'HeadObject').length).toBeGreaterThan(0);
    actions.forEach((a) => called.add(a));
  });

  test('a multipart upload that fails is aborted', async () => {
    const site = checkout();
    writeFileSync(join(site, 'big.bin'), Buffer.alloc(17 * 1024 * 1024, 9));
    sandbox.s3.faults.failKey({ key: /^big\.bin$/, operations: ['UploadPart'] });
    const { result, actions } = await deploy({ source: site, 'max-attempts': 1 });
    sandbox.s3.faults.clear();
    expect(result.exitCode).toBe(1);
    expect(actions).toContain('s3:AbortMultipartUpload');
    actions.forEach((a) => called.add(a));
  });

  test('docs/iam/deploy-frontend.json allows exactly what it called', () => {
    expectPolicyMatches('deploy-frontend', called);
  });
});
