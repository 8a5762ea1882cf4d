import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';

/**
 * The client's pull-request check (examples/frontend/pr-validation.yml) applies the deploy's rules: it runs
 * deploy-frontend with `check-against`, pinned as the other examples pin the suite, with the same include,
 * cache-control and changed-immutable as the deploy caller, and needs no AWS.
 */

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  jobs: Record<string, { permissions?: Record<string, string>; steps?: Step[]; with?: Record<string, unknown> }>;
}

const load = (path: string) => parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Workflow;
const check = load('examples/frontend/pr-validation.yml');
const deploy = load('examples/frontend/deploy-production.yml');
const steps = check.jobs['cache-names']?.steps ?? [];
const action = steps.find((step) => /\/actions\/deploy-frontend@/.test(step.uses ?? ''));
const deployWith = deploy.jobs.deploy?.with ?? {};
const deployPin = /@([0-9a-f]{40})/.exec(
  readFileSync(join(REPO_ROOT, 'examples/frontend/deploy-production.yml'), 'utf8'),
);

describe('examples/frontend/pr-validation.yml', () => {
  it('runs on pull requests to master, reading the repository only', () => {
    expect(check.on).toEqual({ pull_request: { branches: ['master'] } });
    expect(check.jobs['cache-names']?.permissions).toEqual({ contents: 'read' });
  });

  it('checks the pull request against the base branch with the suite’s deploy-frontend, pinned like the deploy caller', () => {
    expect(action?.uses).toBe(`bartgottschalk/startupwebapp-deploy-actions/actions/deploy-frontend@${deployPin?.[1]}`);
    expect(action?.with).toMatchObject({ source: 'site', 'check-against': 'base' });
    const base = steps.find((step) => step.with?.path === 'base');
    expect(base?.with?.ref).toBe('${{ github.event.pull_request.base.sha }}');
    expect(steps.find((step) => step.with?.path === 'site')?.with?.ref).toBeUndefined();
  });

  it('applies the deploy caller’s rules: the same include, cache-control, delete, max-deletes and changed-immutable', () => {
    for (const name of ['include', 'cache-control', 'delete', 'max-deletes', 'changed-immutable']) {
      expect([name, action?.with?.[name]]).toEqual([name, deployWith[name]]);
    }
    expect(action?.with?.include).toBeTruthy();
  });

  it('needs no AWS: no credentials step, no role, no bucket', () => {
    expect(steps.some((step) => step.uses?.startsWith('aws-actions/'))).toBe(false);
    expect(action?.with?.bucket).toBeUndefined();
    expect(check.jobs['cache-names']?.permissions?.['id-token']).toBeUndefined();
  });
});
