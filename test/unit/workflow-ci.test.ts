import { ACTIONS, byPath } from '../support/workflow-files.js';

/** .github/workflows/ci.yml. */

describe('ci.yml', () => {
  const { doc } = byPath('.github/workflows/ci.yml');
  const runs = (job: string) => (doc.jobs[job].steps ?? []).map((s) => s.run ?? '').join('\n');

  test('installs with npm ci (the lockfile is complete) and tests, then checks the committed bundles', () => {
    expect(runs('test')).toMatch(/npm ci[\s\S]*npm test/);
    expect(runs('dist')).toMatch(/npm run build/);
    expect(runs('dist')).toMatch(/git diff --exit-code -- dist\//);
  });

  test('runs every action as a real action against the sandbox', () => {
    const uses = (doc.jobs.actions.steps ?? []).map((s) => s.uses).filter((u) => u?.startsWith('./'));
    expect([...uses].sort()).toEqual(ACTIONS.map((a) => `./actions/${a}`));
    expect(runs('actions')).toContain('npm run sandbox -- --serve');
    expect(runs('actions')).toContain('.sandbox/env');
  });
});
