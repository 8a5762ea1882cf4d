import { ECSClient } from '@aws-sdk/client-ecs';
import { AWS_SCOPES, SCOPE_SPECS, type AwsScope } from '../../actions/check-setup/scopes.js';
import { startGithubStandIn, type GithubStandIn } from '../../sandbox/github/index.js';
import { SEED, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { runBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { registerRevision } from '../support/seeded-service.js';
import {
  cleanFamily,
  CLIENT_REPO,
  putScopeRole,
  putSuiteRoles,
  roleArn,
  seedGithub,
  SERVER_REPO,
  TOKENS,
} from '../support/setup-fixtures.js';

/**
 * check-setup end to end through its bundle, against the sandbox seeded as today's account plus what adopting the
 * suite adds (one role per workflow, the example callers on the GitHub stand-in): every scope is all ✓ on a correct
 * setup; each broken variant shows its ✗ with the fix; no run records a single call that changes anything.
 */

/** The only calls check-setup may make: reads, and IAM's simulator (which evaluates, never changes). */
const READ_ONLY = /^(Describe|Get|List|Head)|^SimulatePrincipalPolicy$/;

let sandbox: Sandbox;
let github: GithubStandIn;
let ecs: ECSClient;

beforeAll(async () => {
  [sandbox, github] = await Promise.all([startSandbox({ timeScale: 0.01, seed: true }), startGithubStandIn()]);
  putSuiteRoles(sandbox.sim);
  seedGithub(github);
  ecs = new ECSClient({
    endpoint: sandbox.sim.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  // Today's migration family may hold DJANGO_SUPERUSER_* in plain text: an adopted setup has applied the fix.
  await cleanFamily(ecs, SEED.migrationFamily);
});

afterAll(async () => {
  ecs?.destroy();
  await Promise.all([sandbox?.stop(), github?.stop()]);
});

interface Run {
  result: BundleResult;
  /** `service:Operation` of every AWS request and `METHOD path` of every GitHub request the run made. */
  calls: string[];
}

async function check(inputs: Record<string, string>): Promise<Run> {
  const [simFrom, s3From, githubFrom] = [
    sandbox.sim.requests.length,
    sandbox.s3.requests.length,
    github.requests.length,
  ];
  const result = await runBundle('check-setup', {
    inputs,
    env: { ...sandbox.env(), GITHUB_API_URL: github.url },
    timeoutMs: 60_000,
  });
  const calls = [
    ...sandbox.sim.requests.slice(simFrom).map((r) => `${r.service}:${r.operation}`),
    ...sandbox.s3.requests.slice(s3From).map((r) => `s3:${r.operation}`),
    ...github.requests.slice(githubFrom).map((r) => `${r.method} ${r.path}`),
  ];
  return { result, calls };
}

const awsCheck = (scope: AwsScope, inputs: Record<string, string> = {}) =>
  check({ scope, 'role-arn': roleArn(scope), 'cloudfront-distribution-id': SEED.distributionId, ...inputs });

const githubCheck = (side: 'backend' | 'frontend', inputs: Record<string, string> = {}) =>
  check({
    scope: 'github',
    ...(side === 'backend'
      ? {
          repository: SERVER_REPO,
          'github-token': TOKENS.server,
          'dispatch-repository': CLIENT_REPO,
          'dispatch-token': TOKENS.dispatch,
        }
      : {
          repository: CLIENT_REPO,
          'github-token': TOKENS.client,
          'expected-variables': `CLOUDFRONT_DISTRIBUTION_ID=${SEED.distributionId}`,
        }),
    ...inputs,
  });

function expectReadOnly(run: Run): void {
  const changing = run.calls.filter((call) => {
    const [service, operation = ''] = call.startsWith('GET ') ? ['github', 'Get'] : call.split(':');
    return service === 'github' ? !call.startsWith('GET ') : !READ_ONLY.test(operation);
  });
  expect(changing).toEqual([]);
  expect(run.calls.length).toBeGreaterThan(0);
}

/** The ✗ lines of the log, and the summary's fix blocks. */
const failures = (run: Run) => run.result.lines.filter((line) => line.startsWith('✗'));

describe('a correct setup', () => {
  test.each([...AWS_SCOPES])('scope %s: every line ✓, outputs ok, read-only', async (scope) => {
    const run = await awsCheck(scope);
    expect(failures(run)).toEqual([]);
    expect(run.result.exitCode).toBe(0);
    expect(run.result.outputs).toMatchObject({ ok: 'true', failed: '0' });
    expect(Number(run.result.outputs.passed)).toBeGreaterThanOrEqual(2);
    expect(run.result.summary).toContain(`Setup check: ${scope}`);
    expect(run.calls).toContain('iam:SimulatePrincipalPolicy');
    expectReadOnly(run);
  });

  test('scope build: mutable tags (today: every build pushes latest) are a warning with its fix, not a failure', async () => {
    const run = await awsCheck('build');
    expect(run.result.outputs.warnings).toBe('1');
    expect(run.result.summary).toContain(
      'aws ecr put-image-tag-mutability --repository-name startupwebapp-backend --image-tag-mutability IMMUTABLE --region us-east-1',
    );
    const strict = await awsCheck('build', { 'require-immutable-tags': 'true' });
    expect(strict.result.exitCode).toBe(1);
  });

  test('scope deploy with the live health path: GET answers 200', async () => {
    const url = sandbox.sim.albUrl(SEED.cluster, SEED.service);
    const run = await awsCheck('deploy', { 'health-check-url': url });
    expect(run.result.lines).toContain(`✓ [Health] GET ${url} answers 200 — 200`);
    expect(run.result.exitCode).toBe(0);
  });

  test.each(['backend', 'frontend'] as const)('scope github, %s repository: every line ✓, GETs only', async (side) => {
    const run = await githubCheck(side);
    expect(failures(run)).toEqual([]);
    expect(run.result.exitCode).toBe(0);
    expect(run.result.lines.join('\n')).toContain('✓ [GitHub] Environment production deploys from master only');
    expect(run.result.lines.join('\n')).toMatch(
      /✓ \[GitHub\] The pinned suite bartgottschalk\/startupwebapp-deploy-actions@/,
    );
    if (side === 'backend') {
      expect(run.result.lines.join('\n')).toContain(
        `✓ [GitHub] ${CLIENT_REPO}'s .github/workflows/deploy-production.yml runs on repository_dispatch deploy-production`,
      );
    }
    expectReadOnly(run);
  });

  test('scope github, a backend that starts the client workflow directly: it must take workflow_dispatch', async () => {
    const run = await githubCheck('backend', { 'dispatch-event-type': 'workflow_dispatch' });
    expect(run.result.lines).toContain(
      `✓ [GitHub] ${CLIENT_REPO}'s .github/workflows/deploy-production.yml runs on workflow_dispatch`,
    );
    expect(run.result.exitCode).toBe(0);
    expectReadOnly(run);
  });
});

describe('a broken setup shows its ✗ with the fix, and changes nothing', () => {
  test('a polluted migration family: DJANGO_SUPERUSER_* as plain values (names only, values never shown)', async () => {
    const password = 'plain-superuser-password-0b7e';
    const polluted = await registerRevision(ecs, SEED.migrationFamily, {
      image: SEED.image,
      environment: [
        { name: 'DJANGO_SUPERUSER_USERNAME', value: 'admin' },
        { name: 'DJANGO_SUPERUSER_EMAIL', value: 'admin@startupwebapp.invalid' },
        { name: 'DJANGO_SUPERUSER_PASSWORD', value: password },
      ],
    });
    try {
      const run = await awsCheck('migrate');
      const label = `${SEED.migrationFamily}:${polluted.split(':').pop()}`;
      expect(failures(run)).toEqual([
        `✗ [AWS] Task family ${SEED.migrationFamily} holds no plain values under secret-looking names — ${label} has ` +
          'DJANGO_SUPERUSER_PASSWORD as plain environment values (every later revision copies them)',
      ]);
      expect(run.result.summary).toContain(
        `{"name": "DJANGO_SUPERUSER_PASSWORD", "valueFrom": "${SEED.databaseSecretArn}:superuser_password::"}`,
      );
      expect(run.result.summary).toContain(
        `aws ecs deregister-task-definition --task-definition ${SEED.migrationFamily}:<revision>`,
      );
      expect(run.result.exitCode).toBe(1);
      expect(run.result.errors[0]?.title).toBe('Setup incomplete');
      expect(run.result.stdout + run.result.summary).not.toContain(password);
      expectReadOnly(run);
    } finally {
      await cleanFamily(ecs, SEED.migrationFamily);
    }
  });

  test('a missing distribution variable: ✗ on the client repository and in the frontend scope', async () => {
    const client = github.repository(CLIENT_REPO);
    const saved = client.variables.get('CLOUDFRONT_DISTRIBUTION_ID')!;
    client.variables.delete('CLOUDFRONT_DISTRIBUTION_ID');
    try {
      const run = await githubCheck('frontend');
      expect(failures(run)).toEqual([
        '✗ [GitHub] Variable CLOUDFRONT_DISTRIBUTION_ID is set (read by check-setup.yml, deploy-production.yml) — ' +
          'neither the repository nor environment production has it',
      ]);
      expect(run.result.summary).toContain(
        `gh variable set CLOUDFRONT_DISTRIBUTION_ID --repo ${CLIENT_REPO} --body '${SEED.distributionId}'`,
      );
      expect(run.result.exitCode).toBe(1);
      expectReadOnly(run);

      // The reusable workflow passes the (now empty) variable to the frontend job's AWS check.
      const aws = await awsCheck('frontend', { 'cloudfront-distribution-id': '' });
      expect(failures(aws)).toEqual([
        "✗ [AWS] A CloudFront distribution id is given — cloudfront-distribution-id is empty: the caller's " +
          'CLOUDFRONT_DISTRIBUTION_ID variable is not set',
      ]);
      expectReadOnly(aws);
    } finally {
      client.variables.set('CLOUDFRONT_DISTRIBUTION_ID', saved);
    }
  });

  test('a role lacking one permission: the denied action and the put-role-policy fix', async () => {
    putScopeRole(sandbox.sim, 'migrate', { without: 'ecs:StopTask' });
    try {
      const run = await awsCheck('migrate');
      const role = SCOPE_SPECS.migrate.roleName;
      expect(failures(run)).toEqual([
        `✗ [IAM] Role ${role} is allowed every call run-migration makes — denied: ecs:StopTask on ` +
          `arn:aws:ecs:us-east-1:123456789012:task/${SEED.cluster}/* (implicitDeny)`,
      ]);
      expect(run.result.summary).toContain(
        `aws iam put-role-policy --role-name ${role} --policy-name run-migration --policy-document file://docs/iam/run-migration.json`,
      );
      expectReadOnly(run);
    } finally {
      putScopeRole(sandbox.sim, 'migrate');
    }
  });

  test('a role that does not exist: the create-role fix', async () => {
    sandbox.sim.account.deleteRole(SCOPE_SPECS.deploy.roleName);
    try {
      const run = await awsCheck('deploy');
      expect(failures(run)).toEqual([
        `✗ [IAM] Role ${SCOPE_SPECS.deploy.roleName} exists — IAM has no role ${roleArn('deploy')}`,
      ]);
      expect(run.result.summary).toContain(`aws iam create-role --role-name ${SCOPE_SPECS.deploy.roleName}`);
      expectReadOnly(run);
    } finally {
      putScopeRole(sandbox.sim, 'deploy');
    }
  });

  test('a missing log group: the create-log-group command', async () => {
    sandbox.sim.account.deleteLogGroup(SEED.migrationLogGroup);
    try {
      const run = await awsCheck('admin');
      expect(failures(run)).toEqual([
        `✗ [AWS] Log group ${SEED.migrationLogGroup} exists — ${SEED.migrationFamily}'s tasks would stop before ` +
          'they run (awslogs cannot create its stream) and no log line could be shown',
      ]);
      expect(run.result.summary).toContain(
        `aws logs create-log-group --log-group-name ${SEED.migrationLogGroup} --region us-east-1`,
      );
      expectReadOnly(run);
    } finally {
      await createLogGroup(SEED.migrationLogGroup);
    }
  });

  test('a client workflow that does not listen for the dispatch', async () => {
    const client = github.repository(CLIENT_REPO);
    const path = '.github/workflows/deploy-production.yml';
    const saved = client.files.get(path)!;
    client.files.set(path, saved.replace(/ {2}repository_dispatch:\n {4}types: \[deploy-production\]\n/, ''));
    try {
      const run = await githubCheck('backend');
      expect(failures(run)).toEqual([
        `✗ [GitHub] ${CLIENT_REPO}'s ${path} runs on repository_dispatch deploy-production — it does not listen for it`,
      ]);
      expect(run.result.summary).toContain('  repository_dispatch:\n    types: [deploy-production]');
      expectReadOnly(run);
    } finally {
      client.files.set(path, saved);
    }
  });

  test('a missing production environment', async () => {
    const server = github.repository(SERVER_REPO);
    const saved = server.environments.get('production')!;
    server.environments.delete('production');
    try {
      const run = await githubCheck('backend');
      expect(failures(run)).toEqual([
        '✗ [GitHub] Environment production exists — no environment production: the deploy jobs would wait for ' +
          "nothing and the roles' trust (environment:production) would refuse them",
      ]);
      expect(run.result.summary).toContain(
        `gh api -X POST repos/${SERVER_REPO}/environments/production/deployment-branch-policies -f name=master -f type=branch`,
      );
      expectReadOnly(run);
    } finally {
      server.environments.set('production', saved);
    }
  });
});

async function createLogGroup(name: string): Promise<void> {
  const { CloudWatchLogsClient, CreateLogGroupCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const logs = new CloudWatchLogsClient({
    endpoint: sandbox.sim.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  logs.destroy();
}
