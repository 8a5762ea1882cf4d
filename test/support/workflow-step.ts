import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';

/** A workflow's `run:` step, run the way the runner runs it: bash -eo pipefail, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. */

/** A workflow file's structure, as the tests read it (YAML parsed, only the fields they look at). */
export interface WorkflowStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
export interface WorkflowJob {
  'runs-on'?: string;
  uses?: string;
  needs?: string | string[];
  if?: string;
  'timeout-minutes'?: number;
  permissions?: Record<string, string> | string;
  environment?: string | { name?: string; url?: string };
  concurrency?: string | { group?: string; 'cancel-in-progress'?: boolean };
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> };
  steps?: WorkflowStep[];
  with?: Record<string, unknown>;
}
export interface WorkflowDoc {
  name?: string;
  'run-name'?: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, WorkflowJob>;
}

export interface StepResult {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

export function loadWorkflow(path: string): WorkflowDoc {
  return parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as WorkflowDoc;
}

export function stepOf(doc: WorkflowDoc, job: string, find: (step: WorkflowStep) => boolean): WorkflowStep {
  const step = doc.jobs[job]?.steps?.find(find);
  if (!step?.run) throw new Error(`no such run step in job ${job}`);
  return step;
}

/** Runs the step's script with `env`; `pathPrefix` puts fake tools (e.g. `aws`) first on PATH. */
export function runStepScript(step: WorkflowStep, env: Record<string, string>, pathPrefix?: string): StepResult {
  const script = join(mkdtempSync(join(tmpdir(), 'wf-step-')), 'step.sh');
  writeFileSync(script, withSuiteAt(step.run as string));
  return runScript(script, env, pathPrefix);
}

/** A step's run text with the job's suite checkout (.deploy-suite) being this repository. */
export const withSuiteAt = (run: string, root = REPO_ROOT): string =>
  // `../.deploy-suite` from a step whose working-directory is the site's checkout.
  run.replace(/bash (\.\.\/)?\.deploy-suite\//g, `bash ${root}/`);

/** Runs a bash script as a workflow step runs: `-eo pipefail`, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY read back. */
export function runScript(script: string, env: Record<string, string>, pathPrefix?: string): StepResult {
  const dir = mkdtempSync(join(tmpdir(), 'wf-script-'));
  for (const file of ['output', 'summary']) writeFileSync(join(dir, file), '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    encoding: 'utf8',
    // A safety net for a hung script, sized for a busy 2-core machine (below Jest's 30 s).
    timeout: 25_000,
    env: {
      PATH: pathPrefix ? `${pathPrefix}:${process.env.PATH}` : process.env.PATH,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_SHA: 'c'.repeat(40),
      GITHUB_JOB: 'test',
      ...env,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(join(dir, 'output'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { status: result.status, stdout: result.stdout, outputs, summary: readFileSync(join(dir, 'summary'), 'utf8') };
}

export const errorLines = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('::error'));

export interface StartedStep {
  child: ChildProcess;
  /** Everything the step wrote to stdout so far. */
  stdout: () => string;
  /** The step's exit code once it ended (null when a signal ended it). */
  exited: Promise<number | null>;
  dir: string;
}

/**
 * Starts a `run:` step's text as the runner does: written to a file and run by `bash --noprofile --norc -eo pipefail
 * <file>` (the runner's template for `shell: bash`) in `cwd`, so the step's shell is the process the runner signals.
 */
export function startStep(run: string, env: Record<string, string>, cwd: string, pathPrefix?: string): StartedStep {
  const dir = mkdtempSync(join(tmpdir(), 'wf-started-'));
  for (const file of ['output', 'summary']) writeFileSync(join(dir, file), '');
  writeFileSync(join(dir, 'step.sh'), run);
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'step.sh')], {
    cwd,
    // Its own process group, so a test can clean up whatever the step left behind (the runner's last resort too).
    detached: true,
    env: {
      PATH: pathPrefix ? `${pathPrefix}:${process.env.PATH}` : process.env.PATH,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      ...env,
    },
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // 'close': every holder of the step's output is gone (a background sleep left running would hold it).
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => stdout, exited, dir };
}

/** The runner's grace periods on cancel (actions/runner src/Runner.Sdk/ProcessInvoker.cs: _sigintTimeout, _sigtermTimeout). */
export const RUNNER_SIGINT_GRACE_MS = 7_500;
export const RUNNER_SIGTERM_GRACE_MS = 2_500;

/**
 * Cancels a started step the way the runner cancels one (ProcessInvoker.CancelAndKillProcessTree): SIGINT to the
 * step's shell process only, then, if it has not exited within 7.5 s, SIGTERM to it only, then after 2.5 s the whole
 * tree is killed. Resolves with the signal that ended the step ('SIGINT', 'SIGTERM' or 'KILL').
 */
export async function cancelLikeRunner(step: StartedStep): Promise<'SIGINT' | 'SIGTERM' | 'KILL'> {
  const within = (ms: number) =>
    Promise.race([step.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  step.child.kill('SIGINT');
  if (await within(RUNNER_SIGINT_GRACE_MS)) return 'SIGINT';
  step.child.kill('SIGTERM');
  if (await within(RUNNER_SIGTERM_GRACE_MS)) return 'SIGTERM';
  try {
    process.kill(-(step.child.pid as number), 'SIGKILL');
  } catch {
    // the group is already gone
  }
  await step.exited;
  return 'KILL';
}
