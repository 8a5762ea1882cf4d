import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT as ROOT } from '../../sandbox/run-bundle.js';
import { errorLines, runScript } from '../support/workflow-step.js';
import { byPath, stepScript } from '../support/workflow-files.js';

/** deploy-frontend.yml deploys only commits of its production branch. */

describe('the frontend deploys only commits of its production branch', () => {
  const step = stepScript('.github/workflows/deploy-frontend.yml', 'checks', (s) =>
    (s.name ?? '').startsWith('Check that the production branch contains'),
  );
  const git = (cwd: string, ...args: string[]) => {
    const result = spawnSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@x',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@x',
      },
    });
    if (result.status !== 0) throw new Error(result.stderr);
    return result.stdout.trim();
  };

  /** A clone as actions/checkout leaves it with fetch-depth 0: master, an old master commit and a feature commit. */
  function clone(): { dir: string; old: string; head: string; feature: string } {
    const origin = mkdtempSync(join(tmpdir(), 'origin-'));
    git(origin, 'init', '-q', '-b', 'master');
    git(origin, 'commit', '-q', '--allow-empty', '-m', 'one');
    const old = git(origin, 'rev-parse', 'HEAD');
    git(origin, 'commit', '-q', '--allow-empty', '-m', 'two');
    const head = git(origin, 'rev-parse', 'HEAD');
    git(origin, 'checkout', '-q', '-b', 'feature');
    git(origin, 'commit', '-q', '--allow-empty', '-m', 'unmerged');
    const feature = git(origin, 'rev-parse', 'HEAD');
    // The job's workspace: the site checked out at site/, the suite at .deploy-suite/ (the step runs in site/).
    const workspace = mkdtempSync(join(tmpdir(), 'workspace-'));
    symlinkSync(ROOT, join(workspace, '.deploy-suite'));
    const dir = join(workspace, 'site');
    git(tmpdir(), 'clone', '-q', origin, dir);
    return { dir, old, head, feature };
  }

  const inClone = (dir: string, vars: Record<string, string>) => {
    const file = join(mkdtempSync(join(tmpdir(), 'wf-step-')), 'step.sh');
    writeFileSync(file, `cd ${JSON.stringify(dir)}\n${step.run as string}`);
    return runScript(file, vars);
  };

  test('the step runs in the checkout, after the commit is recorded, with the whole history fetched', () => {
    const steps = byPath('.github/workflows/deploy-frontend.yml').doc.jobs.checks.steps ?? [];
    const checkout = steps.find((s) => s.with?.path === 'site');
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    expect((step as { 'working-directory'?: string })['working-directory']).toBe('site');
    expect(steps.indexOf(step)).toBe(steps.findIndex((s) => s.id === 'sha') + 1);
  });

  test('the tip of master and a past commit of master (a rollback redeploy) pass', () => {
    const repo = clone();
    for (const sha of [repo.head, repo.old]) {
      const result = inClone(repo.dir, { BRANCH: 'master', REF: sha, SHA: sha });
      expect([result.status, errorLines(result.stdout)]).toEqual([0, []]);
    }
  });

  test('a commit master does not contain is refused with one line naming the ref', () => {
    const repo = clone();
    const result = inClone(repo.dir, { BRANCH: 'master', REF: 'feature', SHA: repo.feature });
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      `::error title=Not on master::Ref 'feature' is commit ${repo.feature}, which master does not contain: only commits of master are deployed (merge it first; a rollback names a past commit of master)`,
    ]);
  });

  test('a production branch that does not exist, or is not a branch name, is refused naming the input', () => {
    const repo = clone();
    const missing = inClone(repo.dir, { BRANCH: 'main', REF: 'master', SHA: repo.head });
    expect(errorLines(missing.stdout)).toEqual([
      "::error title=Invalid input::Input 'production-branch' names no branch of this repository: 'main'",
    ]);
    const bad = inClone(repo.dir, { BRANCH: 'x;id', REF: 'master', SHA: repo.head });
    expect(errorLines(bad.stdout)[0]).toContain("Input 'production-branch' must be a branch name");
  });
});
