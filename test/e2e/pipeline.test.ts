import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { runPipeline, type PipelineReport } from '../../sandbox/pipeline/index.js';
import { BROKEN_BOOT_ERROR, pipelineImages } from '../../sandbox/pipeline/images.js';
import { LogRenderer, parseWorkflowCommand } from '../../sandbox/pipeline/log-render.js';
import { OrderedOutput } from '../../sandbox/pipeline/ordered-output.js';
import { allDidWhatTheyShould, renderRecap, type RecapRow } from '../../sandbox/pipeline/recap.js';
import { renderSummary } from '../../sandbox/pipeline/summary-render.js';
import { PLAIN } from '../../sandbox/pipeline/style.js';
import { CliError, parseCliOptions } from '../../sandbox/pipeline/cli-options.js';
import {
  deployRun,
  frontendRun,
  pacing,
  rollbackRun,
  type Observed,
  type ScenarioContext,
} from '../../sandbox/pipeline/scenario.js';
import { REPO_ROOT } from '../support/run-bundle.js';

/**
 * `npm run sandbox`: the deploy pipeline played through the committed bundles against a fresh sandbox. The whole
 * pipeline runs once (printing as a person sees it) and each step's outcome is checked; the pieces that decide and
 * render are checked on their own below.
 */

jest.setTimeout(60_000);

describe('the pipeline through the bundles', () => {
  let report: PipelineReport;
  const printed: string[] = [];

  beforeAll(async () => {
    report = await runPipeline({ write: (line) => printed.push(line), style: PLAIN });
  }, 60_000);

  const runsOf = (step: string) => report.outcomes.get(step) ?? [];
  const output = () => printed.join('\n');

  it('says every run did what it should, and the run took under a minute', () => {
    expect(report.rows.map((row) => [row.label, row.ok])).toEqual([
      ['migrate startupwebapp_prod', true],
      ['migrate healthtech_experiment', true],
      ['migrate fintech_experiment', true],
      ['deploy 4f2c9e1', true],
      ['frontend, first deploy', true],
      ['frontend, redeploy', true],
      ['deploy 9b7d3a0 (broken)', true],
      ['rollback to: previous', true],
    ]);
    expect(report.ok).toBe(true);
    expect(report.durationMs).toBeLessThan(60_000);
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

  it('deploys the new image and passes the health check on the ALB', () => {
    const [deploy] = runsOf('deploy');
    expect(deploy!.result.exitCode).toBe(0);
    expect(deploy!.result.outputs.status).toBe('COMPLETED');
    expect(deploy!.result.lines.join('\n')).toMatch(/http:\/\/127\.0\.0\.1:\d+\/health answered 200/);
    expect(deploy!.result.summary).toContain(`→ ${pipelineImages().good}`);
  });

  it('publishes the frontend with an invalidation, then a redeploy uploads nothing', () => {
    const [first, again] = runsOf('frontend').map((run) => run.result);
    expect(first!.outputs).toMatchObject({ uploaded: '9', unchanged: '0' });
    expect(first!.outputs['invalidation-id']).toMatch(/^I[A-Z0-9]+$/);
    expect(again!.outputs).toMatchObject({ uploaded: '0', unchanged: '9', 'invalidation-id': '' });
  });

  it('fails the broken deploy with the circuit breaker reason and the crashed task traceback', () => {
    const [broken] = runsOf('broken');
    expect(broken!.result.exitCode).toBe(1);
    expect(broken!.result.outputs.status).toBe('ROLLED_BACK');
    expect(broken!.result.errors[0]?.message).toMatch(/circuit breaker/);
    expect(broken!.result.errors[0]?.message).toContain(BROKEN_BOOT_ERROR);
    expect(broken!.result.summary).toContain('Traceback (most recent call last):');
  });

  it("rolls back to step 2's revision, the good image", () => {
    const [rollback] = runsOf('rollback');
    const good = runsOf('deploy')[0]!.result.outputs['task-definition-arn'];
    expect(rollback!.result.exitCode).toBe(0);
    expect(rollback!.result.outputs['to-task-definition-arn']).toBe(good);
    expect(['COMPLETED', 'NOOP']).toContain(rollback!.result.outputs.status);
    expect(rollback!.result.summary).toContain(pipelineImages().good);
  });

  it('prints each run GitHub-like: log lines under a header, groups, highlighted errors, the job summary', () => {
    const text = output();
    expect(text).toContain('━━ Step 1/5 · Migrations on the three tenant databases');
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
    expect(recap).toMatch(
      /✓ {2}5\. rollback to: previous +on step 2's revision +(NOOP|COMPLETED): on startupwebapp-service-task:2/,
    );
    expect(recap).toContain('All 8 runs did what they should');
    expect(report.recap.length).toBeLessThanOrEqual(14);
  });
});

describe('the command line', () => {
  const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
  const cli = join(REPO_ROOT, 'sandbox/cli.ts');

  it('--quiet prints only the recap', async () => {
    const printed: string[] = [];
    const report = await runPipeline({
      quiet: true,
      timeScale: 0.02,
      write: (line) => printed.push(line),
      style: PLAIN,
    });
    expect(report.ok).toBe(true);
    expect(printed).toEqual(report.recap);
  });

  it('stops at the first step that does not do what it should, skips the rest, and reports failure', async () => {
    const printed: string[] = [];
    const report = await runPipeline({
      quiet: true,
      timeScale: 0.02,
      images: { good: pipelineImages().broken },
      write: (line) => printed.push(line),
      style: PLAIN,
    });
    expect(report.ok).toBe(false);
    expect(report.rows.map((row) => row.ok)).toEqual([
      true,
      true,
      true,
      false,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(report.rows[3]!.result).toMatch(
      /^status ROLLED_BACK, no healthy \/health \(exit 1\): Deployment ROLLED_BACK: /,
    );
    expect([...report.outcomes.keys()]).toEqual(['migrate', 'deploy']);
    expect(printed.at(-1)).toMatch(/^5 of 8 runs did not do what they should \(4 skipped\)/);
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
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('Serving until Ctrl-C.') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(stdout).toContain('Serving until Ctrl-C.');
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

  it('parses flags, refusing bad time scales by name', () => {
    expect(parseCliOptions([])).toEqual({ mode: 'pipeline', quiet: false });
    expect(parseCliOptions(['--serve'])).toEqual({ mode: 'serve', quiet: false });
    expect(parseCliOptions(['--quiet', '--time-scale', '0.2'])).toEqual({
      mode: 'pipeline',
      quiet: true,
      timeScale: 0.2,
    });
    expect(parseCliOptions(['--time-scale=0.5']).timeScale).toBe(0.5);
    expect(() => parseCliOptions(['--time-scale', 'fast'])).toThrow(
      "--time-scale must be a positive number, got 'fast'",
    );
    expect(() => parseCliOptions(['--time-scale'])).toThrow(CliError);
    expect(() => parseCliOptions(['--time-scale', '0'])).toThrow(CliError);
    expect(() => parseCliOptions(['--serve', '--quiet'])).toThrow('--quiet applies to the pipeline');
  });
});

describe('rendering', () => {
  it('interprets workflow commands: groups indent, annotations are labelled, debug and masks are hidden', () => {
    const renderer = new LogRenderer(PLAIN);
    const shown = [
      '::add-mask::s3cr3t-value',
      'plain line with s3cr3t-value inside',
      '::group::Plan: 2 to upload',
      '+ index.html',
      '::endgroup::',
      '::debug::not for people',
      '::error title=Deployment FAILED::first line%0A%0Asecond s3cr3t-value line',
      '::warning::careful',
    ].flatMap((line) => renderer.render(line));
    expect(shown).toEqual([
      'plain line with *** inside',
      '▾ Plan: 2 to upload',
      '  + index.html',
      'Error: Deployment FAILED: first line',
      '',
      '  second *** line',
      'Warning: careful',
    ]);
  });

  it('parses command properties with escapes', () => {
    expect(parseWorkflowCommand('::error title=A%3A b%2C c::x%25y')).toEqual({
      name: 'error',
      properties: { title: 'A: b, c' },
      data: 'x%y',
    });
    expect(parseWorkflowCommand('not :: a command')).toBeUndefined();
  });

  it('renders a job summary: facts aligned, links as text, long tables and blocks shortened', () => {
    const markdown = [
      '## ✅ Deploy web: COMPLETED',
      '',
      '|  |  |',
      '| --- | --- |',
      '| **Cluster** | prod |',
      '| **Task** | [abc](https://example.com/abc) |',
      '',
      '### Timeline',
      '',
      '| UTC | What |',
      '| --- | --- |',
      ...Array.from({ length: 12 }, (_, i) => `| 00:00:${String(i).padStart(2, '0')} | event ${i} \\| a<br>b |`),
      '',
      '<details><summary>Rules &amp; more</summary>',
      '',
      '```text',
      ...Array.from({ length: 12 }, (_, i) => `log ${i}`),
      '```',
      '',
      '</details>',
    ].join('\n');
    const lines = renderSummary(markdown, PLAIN, { maxTableRows: 4, maxBlockLines: 3 });
    expect(lines).toEqual([
      '✅ Deploy web: COMPLETED',
      '  Cluster  prod',
      '  Task     abc',
      'Timeline',
      '  UTC       What',
      '  00:00:00  event 0 | a — b',
      '  … 9 more rows',
      '  00:00:10  event 10 | a — b',
      '  00:00:11  event 11 | a — b',
      '▸ Rules & more',
      '  … 10 earlier lines',
      '  log 10',
      '  log 11',
    ]);
  });

  it('shows parallel jobs one after another, the first streaming live', () => {
    const written: string[] = [];
    const output = new OrderedOutput(3, (line) => written.push(line));
    output.line(1, 'b1');
    output.line(0, 'a1');
    output.line(2, 'c1');
    expect(written).toEqual(['a1']);
    output.finish(2);
    output.line(1, 'b2');
    expect(written).toEqual(['a1']);
    output.finish(0);
    expect(written).toEqual(['a1', 'b1', 'b2']);
    output.line(1, 'b3');
    output.finish(1);
    expect(written).toEqual(['a1', 'b1', 'b2', 'b3', 'c1']);
  });
});

describe('judging what a run should do', () => {
  const images = pipelineImages();
  const context = (deployedArn?: string): ScenarioContext => ({
    cluster: 'c',
    service: 's',
    migrationFamily: 'm',
    bucket: 'b',
    distributionId: 'E1',
    site: 'site',
    healthCheckUrl: 'http://127.0.0.1:1/health',
    images,
    timeScale: 0.05,
    done: new Map(deployedArn ? [['deploy', [observed({ outputs: { 'task-definition-arn': deployedArn } })]]] : []),
  });
  const observed = (partial: Partial<Observed>): Observed => ({
    exitCode: 0,
    outputs: {},
    errors: [],
    lines: [],
    ...partial,
  });
  const crash = {
    level: 'error' as const,
    title: 'Deployment ROLLED_BACK',
    message: `circuit breaker\n${BROKEN_BOOT_ERROR}: x`,
  };

  it('the broken deploy did what it should only when it failed, rolled back and showed the traceback', () => {
    const spec = deployRun('broken', context());
    expect(
      spec.judge(observed({ exitCode: 1, outputs: { status: 'ROLLED_BACK' }, errors: [crash] }), context()).ok,
    ).toBe(true);
    expect(spec.judge(observed({ exitCode: 0, outputs: { status: 'COMPLETED' } }), context())).toEqual({
      ok: false,
      result: 'reported success (status COMPLETED)',
    });
    const noTraceback = spec.judge(
      observed({ exitCode: 1, outputs: { status: 'ROLLED_BACK' }, errors: [] }),
      context(),
    );
    expect(noTraceback).toEqual({ ok: false, result: 'status ROLLED_BACK, no traceback in the error (exit 1)' });
  });

  it('the good deploy needs COMPLETED and a healthy /health', () => {
    const spec = deployRun('good', context());
    const completed = { exitCode: 0, outputs: { status: 'COMPLETED', 'task-definition-arn': 'arn:x/web:2' } };
    expect(spec.judge(observed({ ...completed, lines: ['[t] http://h/health answered 200 {}'] }), context()).ok).toBe(
      true,
    );
    expect(spec.judge(observed(completed), context()).ok).toBe(false);
  });

  it('the redeploy of the same site must upload nothing and invalidate nothing', () => {
    const spec = frontendRun('again', context());
    expect(
      spec.judge(observed({ outputs: { uploaded: '0', unchanged: '9', 'invalidation-id': '' } }), context()).ok,
    ).toBe(true);
    expect(spec.judge(observed({ outputs: { uploaded: '9', 'invalidation-id': 'I1' } }), context()).ok).toBe(false);
  });

  it("the rollback must land on step 2's revision", () => {
    const ctx = context('arn:aws:ecs:us-east-1:1:task-definition/web:2');
    const spec = rollbackRun(ctx);
    const to = (arn: string) => observed({ outputs: { status: 'NOOP', 'to-task-definition-arn': arn } });
    expect(spec.judge(to('arn:aws:ecs:us-east-1:1:task-definition/web:2'), ctx).ok).toBe(true);
    expect(spec.judge(to('arn:aws:ecs:us-east-1:1:task-definition/web:1'), ctx)).toEqual({
      ok: false,
      result: 'NOOP, target web:1 instead of web:2 (exit 0)',
    });
  });

  it('scales poll intervals and timeouts with the time scale, within the inputs bounds', () => {
    expect(pacing(0.05)).toEqual({ 'poll-interval-seconds': '0.25', 'timeout-minutes': '1.5' });
    expect(pacing(0.001)).toEqual({ 'poll-interval-seconds': '0.05', 'timeout-minutes': '1' });
    expect(pacing(1)).toEqual({ 'poll-interval-seconds': '5', 'timeout-minutes': '30' });
  });

  it('the recap passes only when every run did what it should; skipped runs count against it', () => {
    const row = (ok: boolean | undefined): RecapRow => ({
      step: 1,
      label: 'x',
      expected: 'e',
      ok,
      result: 'r',
      durationMs: 1200,
    });
    expect(allDidWhatTheyShould([row(true), row(true)])).toBe(true);
    expect(allDidWhatTheyShould([row(true), row(false)])).toBe(false);
    expect(allDidWhatTheyShould([row(true), row(undefined)])).toBe(false);
    expect(allDidWhatTheyShould([])).toBe(false);
    const skipped = { ...row(undefined), durationMs: undefined };
    const lines = renderRecap([row(true), row(false), skipped], 3000, PLAIN);
    expect(lines.at(-1)).toBe('2 of 3 runs did not do what they should (1 skipped), in 3.0 s.');
    expect(lines[3]).toMatch(/^✗ {2}1\. x +e +r +1\.2 s$/);
    expect(lines[4]).toMatch(/^- {2}1\. x +e +skipped +–$/);
  });
});
