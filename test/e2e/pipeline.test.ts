import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline, type PipelineReport } from '../../sandbox/pipeline/index.js';
import { BROKEN_BOOT_ERROR, pipelineImages, REGRESSED_ROUTE } from '../../sandbox/pipeline/images.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PLAIN } from '../../sandbox/pipeline/style.js';
import { VERIFY_JOB } from '../../sandbox/pipeline/scenario.js';
import { REPO_ROOT, runBundle } from '../../sandbox/run-bundle.js';
import { waitFor } from '../support/wait-for.js';

/**
 * `npm run sandbox`: the deploy pipeline played through the committed bundles against a fresh sandbox. The whole
 * pipeline runs once (printing as a person sees it) and each step's outcome is checked; the pieces that decide and
 * render are checked on their own in test/sandbox/pipeline/.
 */

describe('the pipeline through the bundles', () => {
  let report: PipelineReport;
  const printed: string[] = [];

  beforeAll(async () => {
    report = await runPipeline({ write: (line) => printed.push(line), style: PLAIN });
  }, 60_000);

  const runsOf = (step: string) => report.outcomes.get(step) ?? [];
  const output = () => printed.join('\n');

  it('says every run did what it should', () => {
    expect(report.rows.map((row) => [row.label, row.ok])).toEqual([
      ['migrate startupwebapp_prod', true],
      ['migrate healthtech_experiment', true],
      ['migrate fintech_experiment', true],
      ['deploy 4f2c9e1', true],
      ['frontend, first deploy', true],
      ['frontend, redeploy', true],
      ['frontend, in-place JS edit', true],
      ['deploy 9b7d3a0 (broken)', true],
      ['deploy c81d2e7', true],
      ['verify c81d2e7', true],
      ['rollback to: -1', true],
      ['verify after the rollback', true],
      ['createsuperuser on healthtech_experiment', true],
      ['then migrate healthtech_experiment', true],
      ['plan d3e4f5a (RemoveField)', true],
    ]);
    expect(report.ok).toBe(true);
  });

  it('migrates the three tenant databases with the new image, one run each', () => {
    const runs = runsOf('migrate');
    expect(runs.map((run) => run.spec.inputs.environment)).toEqual([
      'DATABASE_NAME=startupwebapp_prod',
      'DATABASE_NAME=healthtech_experiment',
      'DATABASE_NAME=fintech_experiment',
    ]);
    for (const { result } of runs) {
      expect(result.exitCode).toBe(0);
      expect(result.outputs['exit-code']).toBe('0');
      expect(result.lines).toContain('  Applying order.0007_orderconfiguration_stripe_tax... OK');
      expect(result.summary).toContain(pipelineImages().good);
    }
  });

  it("deploys the new image and passes the health check on the application's health path", () => {
    const [deploy] = runsOf('deploy');
    expect(deploy!.result.exitCode).toBe(0);
    expect(deploy!.result.outputs.status).toBe('COMPLETED');
    expect(deploy!.result.lines.join('\n')).toMatch(/http:\/\/127\.0\.0\.1:\d+\/order\/products answered 200/);
    expect(deploy!.result.summary).toContain(`→ ${pipelineImages().good}`);
  });

  it('publishes the frontend with an invalidation, then a redeploy uploads nothing', () => {
    const [first, again] = runsOf('frontend').map((run) => run.result);
    expect(first!.outputs).toMatchObject({ uploaded: '9', unchanged: '0' });
    expect(first!.outputs['invalidation-id']).toMatch(/^I[A-Z0-9]+$/);
    expect(again!.outputs).toMatchObject({ uploaded: '0', unchanged: '9', 'invalidation-id': '' });
  });

  it('deploys a script edited in place under its versioned name: revalidated, its path invalidated', () => {
    const [, , edit] = runsOf('frontend').map((run) => run.result);
    expect(edit!.exitCode).toBe(0);
    expect(edit!.outputs).toMatchObject({ uploaded: '1', unchanged: '8', 'invalidation-paths': '/js/index-0.0.3.js' });
    expect(edit!.lines).toContainEqual(
      expect.stringMatching(/^\+ js\/index-0\.0\.3\.js \(content changed; .*public, max-age=0, must-revalidate/),
    );
  });

  it('fails the broken deploy with the circuit breaker reason and the crashed task traceback', () => {
    const [broken] = runsOf('broken');
    expect(broken!.result.exitCode).toBe(1);
    expect(broken!.result.outputs.status).toBe('ROLLED_BACK');
    expect(broken!.result.errors[0]?.message).toMatch(/circuit breaker/);
    expect(broken!.result.errors[0]?.message).toContain(BROKEN_BOOT_ERROR);
    expect(broken!.result.summary).toContain('Traceback (most recent call last):');
  });

  it('deploys a release whose health path answers, and the verify job catches its broken login-status route', () => {
    const [deploy, verify] = runsOf('release').map((run) => run.result);
    expect(deploy!.exitCode).toBe(0);
    expect(deploy!.outputs.status).toBe('COMPLETED');
    expect(deploy!.summary).toContain(`→ ${pipelineImages().regressed}`);
    expect(verify!.exitCode).toBe(1);
    expect(REGRESSED_ROUTE.path).not.toBe('/order/products');
    expect(verify!.lines).toContainEqual(expect.stringMatching(/\/order\/products -> 200$/));
    expect(verify!.errors.map((error) => error.title)).toEqual(['Smoke check failed', 'Verification failed']);
    expect(verify!.errors[0]!.message).toMatch(new RegExp(`${REGRESSED_ROUTE.path} answered 500, expected 200$`));
  });

  it('runs createsuperuser on the image the service runs, with secret references whose values never show, then still migrates', () => {
    const [admin, migration] = runsOf('admin').map((run) => run.result);
    const serving = runsOf('rollback')[0]!.result.outputs['to-task-definition-arn']!;
    expect(output()).toContain(`container web on ${pipelineImages().good}`);
    expect(output()).toContain(serving.split('/').pop());
    expect(admin!.exitCode).toBe(0);
    expect(admin!.lines).toContain('Superuser created successfully.');
    expect(admin!.outputs['task-definition-arn']).toMatch(/task-definition\/startupwebapp-admin-task:1$/);
    expect(admin!.summary).toContain(
      'DJANGO_SUPERUSER_USERNAME, DJANGO_SUPERUSER_EMAIL, DJANGO_SUPERUSER_PASSWORD (references)',
    );
    // Seeded as today's account: the migration family holds DJANGO_SUPERUSER_* as plain values; the references replace them.
    const replaced = admin!.warnings.filter((w) => w.title === 'Plain values replaced by secret references');
    expect(replaced.map((w) => w.message)).toEqual([expect.stringContaining('DJANGO_SUPERUSER_PASSWORD')]);
    expect(replaced[0]!.message).toContain('rotate them');
    const values = ['sandbox-superuser-password-2d8e41', 'admin@sandbox.invalid', 'sandbox-db-password-7f3a9c'];
    for (const value of values) expect(output()).not.toContain(value);
    expect(migration!.exitCode).toBe(0);
    expect(migration!.outputs['task-definition-arn']).toMatch(/task-definition\/startupwebapp-migration-task:\d+$/);
  });

  it('stops a release with a RemoveField at the migration plan, before any tenant is migrated', () => {
    const [plan] = runsOf('destructive').map((run) => run.result);
    expect(plan!.exitCode).toBe(1);
    expect(plan!.outputs).toMatchObject({ 'plan-class': 'destructive', 'plan-same': 'true' });
    expect(plan!.errors.map((error) => error.title)).toEqual(['Migration plan refused']);
    expect(plan!.errors[0]!.message).toMatch(
      /^Migration user\.0014_remove_member_legacy_phone: "Remove field legacy_phone from member" is destructive .* Nothing was applied \(destructive: fail\)\./,
    );
    expect(plan!.lines).toContain('The same plan for all 3 databases: they are at the same migration state.');
    expect(plan!.lines.filter((line) => line.includes('Applying'))).toEqual([]);
  });

  it("rolls back past step 4's rolled-back revision to step 2's, says why, and the checks pass again", () => {
    const [rollback, verify] = runsOf('rollback').map((run) => run.result);
    const good = runsOf('deploy')[0]!.result.outputs['task-definition-arn']!;
    const broken = runsOf('broken')[0]!.result.outputs['task-definition-arn']!;
    const regressed = runsOf('release')[0]!.result.outputs['task-definition-arn']!;
    expect(rollback!.exitCode).toBe(0);
    expect(rollback!.outputs).toMatchObject({
      status: 'COMPLETED',
      'from-task-definition-arn': regressed,
      'to-task-definition-arn': good,
    });
    // The naive "previous revision" (the next-older one) would be step 4's.
    expect(Number(broken.split(':').pop())).toBe(Number(regressed.split(':').pop()) - 1);
    const why = rollback!.lines.find((line) => line.startsWith('Why:'))!;
    expect(why).toContain(`skipped ${broken.split('/').pop()} (ROLLBACK_SUCCESSFUL)`);
    expect(rollback!.summary).toContain(pipelineImages().good);
    expect(verify!.exitCode).toBe(0);
    expect(verify!.errors).toEqual([]);
  });

  it('prints each run GitHub-like: log lines under a header, groups, highlighted errors, the job summary', () => {
    const text = output();
    expect(text).toContain('━━ Step 1/8 · Migrations on the three tenant databases');
    expect(text).toMatch(/\(meanwhile ECS finishes its own rollback: startupwebapp-service is steady again on \S+:2 /);
    expect(text).toContain('  ┌ verify · verify c81d2e7');
    expect(text).toContain('  ┌ deploy-frontend · frontend, first deploy');
    expect(text).toMatch(/ {2}│ ▾ Plan: 9 to upload/);
    expect(text).toMatch(/ {2}│ {3}\+ index\.html \(new;/);
    expect(text).toContain('  │ Error: Deployment ROLLED_BACK: ECS deployment circuit breaker');
    expect(text).toContain(`  │   ${BROKEN_BOOT_ERROR}: Set the STRIPE_PUBLISHABLE_KEY environment variable`);
    expect(text).toContain('  │ Job summary');
    expect(text).toContain('  │   ❌ Deploy startupwebapp-service: ROLLED_BACK');
    expect(text).toContain('  └ exit 1 · ');
    // Workflow commands are interpreted, never shown raw.
    expect(printed.filter((line) => /│ ::[a-z-]+/.test(line))).toEqual([]);
  });

  it('ends with the recap: every run, expected and result, and the verdict', () => {
    const recap = report.recap.join('\n');
    expect(printed.slice(-report.recap.length)).toEqual(report.recap);
    expect(recap).toMatch(
      /✓ {2}4\. deploy 9b7d3a0 \(broken\) +fails: circuit breaker, traceback +failed as it should: ROLLED_BACK/,
    );
    expect(recap).toMatch(/✓ {2}5\. verify c81d2e7 +fails: \/user\/logged-in 500 +failed as it should/);
    expect(recap).toMatch(
      /✓ {2}6\. rollback to: -1 +step 2's revision, skips step 4's +COMPLETED · startupwebapp-service-task:2 · skipped :3 \(ROLLBACK_SUCCESSFUL\)/,
    );
    expect(recap).toMatch(
      /✓ {2}7\. createsuperuser on healthtech_experiment +exit 0, secrets as references +exit 0 · startupwebapp-admin-task:1 · 3 secret references \(plain values replaced\), no value shown/,
    );
    expect(recap).toMatch(
      /✓ {2}3\. frontend, in-place JS edit +uploads it, revalidated, invalidated +js\/index-0\.0\.3\.js uploaded, max-age=0, must-revalidate, invalidation I/,
    );
    expect(recap).toMatch(/✓ {2}8\. plan d3e4f5a \(RemoveField\) +refused, no tenant migrated +refused as it should: /);
    expect(recap).toContain('All 15 runs did what they should');
    expect(report.recap.length).toBeLessThanOrEqual(20);
  });
});

describe('the command line', () => {
  const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
  const cli = join(REPO_ROOT, 'sandbox/cli.ts');

  // One quiet run of a pipeline that stops early serves both tests: quiet output does not depend on the outcome, and a
  // second whole pipeline (15 bundle runs) only to see the recap alone would be the slowest test of the suite.
  describe('a quiet run whose deploy does not do what it should', () => {
    let report: PipelineReport;
    const printed: string[] = [];

    beforeAll(async () => {
      report = await runPipeline({
        quiet: true,
        timeScale: 0.02,
        images: { good: pipelineImages().broken },
        write: (line) => printed.push(line),
        style: PLAIN,
      });
    }, 60_000);

    it('--quiet prints only the recap', () => {
      expect(report.recap.length).toBeGreaterThan(0);
      expect(printed).toEqual(report.recap);
    });

    it('stops at the first step that does not do what it should, skips the rest, and reports failure', () => {
      expect(report.ok).toBe(false);
      expect(report.rows.map((row) => row.ok)).toEqual([true, true, true, false, ...Array(11).fill(undefined)]);
      expect(report.rows[3]!.result).toMatch(
        /^status ROLLED_BACK, health check not 200 \(exit 1\): Deployment ROLLED_BACK: /,
      );
      expect([...report.outcomes.keys()]).toEqual(['migrate', 'deploy']);
      expect(printed.at(-1)).toMatch(/^12 of 15 runs did not do what they should \(11 skipped\)/);
    });
  });

  it('--serve still writes .sandbox/env and serves until SIGTERM, as CI relies on', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sandbox-serve-'));
    const child = spawn(tsx, [cli, '--serve', '--time-scale', '0.01'], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor(() => (stdout.includes('Serving until Ctrl-C.') ? true : undefined));
    const env = readFileSync(join(cwd, '.sandbox/env'), 'utf8');
    expect(env).toMatch(/^AWS_ENDPOINT_URL_ECS=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(env).toMatch(/^AWS_REGION=us-east-1$/m);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses an unknown flag with exit 1 and the usage, starting nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sandbox-bad-'));
    const child = spawn(tsx, [cli, '--bogus'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("Unknown option '--bogus'");
    expect(stderr).toContain('Usage: npm run sandbox');
    expect(existsSync(join(cwd, '.sandbox'))).toBe(false);
  });
});

describe('the verify job', () => {
  it('checks the health-check URL the caller names, each smoke URL once, reports a bad line, and exits 1', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/order/products' ? 200 : 404, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const result = await runBundle('verify', {
        entry: join(REPO_ROOT, VERIFY_JOB),
        inputs: {
          'health-check-url': `${url}/gone`,
          'smoke-urls': `${url}/order/products 200\n${url}/order/products 200\n${url}/gone 404\n# a comment\n${url}/missing 200\nnot-a-url 200`,
          attempts: 2,
          'retry-seconds': 0.01,
        },
      });
      expect(result.exitCode).toBe(1);
      expect(result.errors.map((error) => `${error.title}: ${error.message}`)).toEqual([
        `Smoke check failed: ${url}/gone answered 404, expected 200`,
        `Smoke check failed: ${url}/missing answered 404, expected 200`,
        "Invalid input: Input 'smoke-urls' lines must be 'URL STATUS'",
        'Verification failed: The deploy finished but the checks above failed: consider the rollback workflow',
      ]);
      expect(result.lines).toContain(`${url}/gone -> 404`);
      expect(result.summary).toContain(`| ${url}/missing | 200 | 404 |`);
      expect(result.summary.split(`| ${url}/order/products | 200 | 200 |`)).toHaveLength(2);
      expect(result.stderr).toBe('');
    } finally {
      server.close();
    }
  });
});
