import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';
import { ACTIONS } from '../../scripts/actions.mjs';

/** Every workflow that uses one of our actions passes only inputs it has, and reads only outputs it sets. */

interface ActionMetadata {
  inputs?: Record<string, { required?: boolean; default?: unknown }>;
  outputs?: Record<string, unknown>;
}
interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

const metadata = Object.fromEntries(
  ACTIONS.map((name) => [
    name,
    parse(readFileSync(join(REPO_ROOT, 'actions', name, 'action.yml'), 'utf8')) as ActionMetadata,
  ]),
);

function ourAction(uses: string | undefined): string | undefined {
  const match = /^\.\/(?:[\w.-]+\/)*actions\/([\w-]+)$/.exec(uses ?? '');
  return match && ACTIONS.includes(match[1] as string) ? match[1] : undefined;
}

function contractProblems(workflow: { jobs?: Record<string, { steps?: Step[] }> }): string[] {
  const problems: string[] = [];
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    const stepsById = new Map<string, string>();
    for (const step of job.steps ?? []) {
      const action = ourAction(step.uses);
      if (!action) continue;
      if (step.id) stepsById.set(step.id, action);
      const inputs = metadata[action]?.inputs ?? {};
      for (const key of Object.keys(step.with ?? {})) {
        if (!(key in inputs)) problems.push(`${jobName}: ${action} has no input '${key}'`);
      }
      for (const [name, spec] of Object.entries(inputs)) {
        if (spec.required && spec.default === undefined && !(name in (step.with ?? {}))) {
          problems.push(`${jobName}: ${action} needs input '${name}'`);
        }
      }
    }
    const text = JSON.stringify(job);
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const action = stepsById.get(id as string);
      if (action && !((output as string) in (metadata[action]?.outputs ?? {}))) {
        problems.push(`${jobName}: ${action} (step ${id}) has no output '${output}'`);
      }
    }
  }
  return problems;
}

function workflowFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? workflowFiles(join(dir, entry.name))
      : /\.ya?ml$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

const files = [...workflowFiles(join(REPO_ROOT, '.github/workflows')), ...workflowFiles(join(REPO_ROOT, 'examples'))];

it('finds workflows that use our actions', () => {
  const using = files.filter((file) => /uses: \.\/(?:[\w.-]+\/)*actions\//.test(readFileSync(file, 'utf8')));
  expect(using.length).toBeGreaterThanOrEqual(4);
});

it.each(files.map((file) => [file.slice(REPO_ROOT.length + 1), file]))(
  '%s keeps to the actions’ inputs and outputs',
  (_, file) => {
    expect(contractProblems(parse(readFileSync(file as string, 'utf8')))).toEqual([]);
  },
);

it('reports unknown inputs, missing required inputs and unknown outputs', () => {
  const bad = {
    jobs: {
      deploy: {
        steps: [
          { id: 'd', uses: './.deploy-suite/actions/deploy-service', with: { cluster: 'c', imag: 'x' } },
          { run: 'echo ${{ steps.d.outputs.revison }}' },
        ],
      },
    },
  };
  expect(contractProblems(bad)).toEqual([
    "deploy: deploy-service has no input 'imag'",
    "deploy: deploy-service needs input 'service'",
    "deploy: deploy-service (step d) has no output 'revison'",
  ]);
});
