import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT as ROOT } from '../../sandbox/run-bundle.js';
import {
  runScript,
  withSuiteAt,
  type StepResult,
  type WorkflowDoc as Workflow,
  type WorkflowJob as Job,
  type WorkflowStep as Step,
} from './workflow-step.js';

/** Structure of the reusable workflows, the CI workflow and the caller examples, read as YAML. */

export const TENANTS = ['startupwebapp_prod', 'healthtech_experiment', 'fintech_experiment'];
export { ACTIONS } from '../../scripts/actions.mjs';

export type Json = Record<string, unknown>;
export type { WorkflowStep as Step, WorkflowJob as Job, WorkflowDoc as Workflow } from './workflow-step.js';
export interface File {
  path: string;
  text: string;
  doc: Workflow;
}

export function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name))
    .sort();
}

export function load(path: string): File {
  const text = readFileSync(join(ROOT, path), 'utf8');
  return { path, text, doc: parse(text) as Workflow };
}

export const workflows = filesUnder('.github/workflows').map(load);
export const examples = filesUnder('examples').map(load);
export const all = [...workflows, ...examples];
export const byPath = (path: string): File => {
  const file = all.find((f) => f.path === path);
  if (!file) throw new Error(`missing ${path}`);
  return file;
};
export const reusable = workflows.filter((f) => 'workflow_call' in (f.doc.on ?? {}));

// ---- checkers: pure functions over a parsed or raw workflow, each returning the problems found ----

/** Every `uses:` that is not local must be pinned to a 40-hex commit with its version in a comment. */
export function unpinnedUses(text: string): string[] {
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    if (!match) continue;
    const [, target, rest] = match;
    if (target.startsWith('./') || target.startsWith('docker://')) continue;
    const pinned = /@[0-9a-f]{40}$/.test(target);
    const versioned = /^\s+#\s*v\d+(\.\d+)*/.test(rest);
    if (!pinned || !versioned) problems.push(target);
  }
  return problems;
}

/** Every `${{ }}` expression written inside a `run:` script (all of them are forbidden; values go through env:). */
export function expressionsInRunScripts(doc: Workflow): string[] {
  const found: string[] = [];
  for (const [jobId, job] of Object.entries(doc.jobs ?? {})) {
    for (const step of job.steps ?? []) {
      for (const expression of step.run?.match(/\$\{\{[^}]*\}\}/g) ?? []) found.push(`${jobId}: ${expression}`);
    }
  }
  return found;
}

/** The untrusted subset the issue names: github.event.* and inputs.* inside run scripts. */
export function untrustedInRunScripts(doc: Workflow): string[] {
  return expressionsInRunScripts(doc).filter((e) => /\$\{\{\s*[^}]*\b(github\.event\.|inputs\.)/.test(e));
}

/** Jobs running on a runner without a timeout (a job calling a reusable workflow cannot carry one). */
export function jobsWithoutTimeout(doc: Workflow): string[] {
  return Object.entries(doc.jobs ?? {})
    .filter(([, job]) => !job.uses && typeof job['timeout-minutes'] !== 'number')
    .map(([id]) => id);
}

const usesAws = (job: Job) =>
  (job.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));

/** Top level read-only or empty; write scopes only id-token, only where AWS is used (or a reusable workflow is called). */
export function permissionProblems(doc: Workflow): string[] {
  const problems: string[] = [];
  const top = doc.permissions;
  if (top === undefined) problems.push('no top-level permissions');
  else if (typeof top === 'string') problems.push(`top-level permissions: ${top}`);
  else {
    for (const [scope, level] of Object.entries(top)) {
      if (level !== 'read' && level !== 'none') problems.push(`top-level ${scope}: ${level}`);
    }
  }
  for (const [id, job] of Object.entries(doc.jobs ?? {})) {
    const perms = job.permissions;
    if (typeof perms === 'string') {
      problems.push(`${id}: permissions ${perms}`);
      continue;
    }
    for (const [scope, level] of Object.entries(perms ?? {})) {
      if (level !== 'write') continue;
      if (scope !== 'id-token') problems.push(`${id}: ${scope}: write`);
      else if (!usesAws(job) && !job.uses) problems.push(`${id}: id-token: write without AWS`);
    }
    if (usesAws(job) && (typeof perms !== 'object' || perms['id-token'] !== 'write')) {
      problems.push(`${id}: uses AWS without its own id-token: write`);
    }
  }
  return problems;
}

/** Checkouts that would leave the token in .git/config (nothing here pushes). */
export function persistedCheckouts(doc: Workflow): string[] {
  const found: string[] = [];
  for (const [id, job] of Object.entries(doc.jobs ?? {})) {
    for (const step of job.steps ?? []) {
      if (step.uses?.startsWith('actions/checkout@') && step.with?.['persist-credentials'] !== false) found.push(id);
    }
  }
  return found;
}

export const needsOf = (job: Job | undefined): string[] =>
  job?.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];

/** All jobs a job waits for, directly or not. */
export function ancestors(doc: Workflow, jobId: string): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    for (const parent of needsOf(doc.jobs[id])) {
      if (!seen.has(parent)) {
        seen.add(parent);
        visit(parent);
      }
    }
  };
  visit(jobId);
  return seen;
}

/** Pairs of the chain [a, b, c] where b does not (transitively) wait for a. */
export function orderViolations(doc: Workflow, chain: string[]): string[] {
  const problems: string[] = [];
  for (let i = 1; i < chain.length; i++) {
    if (!doc.jobs[chain[i]]) problems.push(`no job ${chain[i]}`);
    else if (!ancestors(doc, chain[i]).has(chain[i - 1]))
      problems.push(`${chain[i]} does not wait for ${chain[i - 1]}`);
  }
  return problems;
}

/** A deploying job needs an environment with a URL and a concurrency group that never cancels a running deploy. */
export function deployingJobProblems(job: Job): string[] {
  const problems: string[] = [];
  const env = job.environment;
  if (typeof env !== 'object' || !env.name || !env.url) problems.push('environment with name and url');
  const c = job.concurrency;
  if (typeof c !== 'object' || !c.group || c['cancel-in-progress'] !== false) {
    problems.push('concurrency with cancel-in-progress: false');
  }
  return problems;
}

// ---- the checkers catch what they are meant to catch ----

/** A workflow step's script, run the way the runner runs it, with the suite checkout being this repository. */

export function stepScript(path: string, job: string, find: (s: Step) => boolean): Step {
  const step = byPath(path).doc.jobs[job].steps?.find(find);
  if (!step?.run) throw new Error(`no such step in ${path} ${job}`);
  return step;
}

export function runStep(step: Step, env: Record<string, string>, pathPrefix?: string): StepResult {
  const dir = mkdtempSync(join(tmpdir(), 'wf-step-'));
  const script = join(dir, 'step.sh');
  writeFileSync(script, withSuiteAt(step.run as string));
  return runScript(script, env, pathPrefix);
}
