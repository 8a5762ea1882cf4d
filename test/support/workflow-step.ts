import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';

/** A workflow's `run:` step, run the way the runner runs it: bash -eo pipefail, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. */

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
export interface WorkflowJob {
  needs?: string | string[];
  'timeout-minutes'?: number;
  permissions?: Record<string, string> | string;
  concurrency?: string | { group?: string; 'cancel-in-progress'?: boolean };
  environment?: string | { name?: string; url?: string };
  steps?: WorkflowStep[];
  uses?: string;
  with?: Record<string, unknown>;
}
export interface WorkflowDoc {
  on: Record<string, unknown>;
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
  writeFileSync(script, step.run as string);
  return runScript(script, env, pathPrefix);
}

/** Runs a bash script as a workflow step runs: `-eo pipefail`, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY read back. */
export function runScript(script: string, env: Record<string, string>, pathPrefix?: string): StepResult {
  const dir = mkdtempSync(join(tmpdir(), 'wf-script-'));
  for (const file of ['output', 'summary']) writeFileSync(join(dir, file), '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    encoding: 'utf8',
    timeout: 10_000,
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
