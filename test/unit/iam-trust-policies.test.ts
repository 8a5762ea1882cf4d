import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, parseArgs, trustPolicies, UsageError } from '../../scripts/trust-policies.js';
import { readPolicy, readRoles } from '../support/iam-actions.js';

/** `npm run trust-policies -- <suite-sha>`: the trust policies of docs/iam for a suite commit (docs/workflows.md). */

const NEW = 'a'.repeat(40);
const OLD = 'b'.repeat(40);
const SUB = 'token.actions.githubusercontent.com:sub';
const subjectsOf = (policy: { Statement: Array<{ Condition?: { StringEquals?: Record<string, unknown> } }> }) =>
  [policy.Statement[0]!.Condition!.StringEquals![SUB] as string | string[]].flat();

function run(argv: string[]): { code: number; stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  const code = main(argv, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) });
  return { code, ...out };
}

test('one trust policy per role, each subject moved from the placeholder to the commit, nothing else changed', () => {
  const policies = trustPolicies([NEW]);
  const roles = readRoles();
  expect(Object.keys(policies)).toEqual(Object.keys(roles));
  for (const [role, policy] of Object.entries(policies)) {
    const committed = readPolicy(roles[role]!.trust);
    expect(subjectsOf(policy)).toEqual(subjectsOf(committed).map((s) => s.replace(/@0{40}$/, `@${NEW}`)));
    expect(subjectsOf(policy).every((s) => s.endsWith(`.yml@${NEW}`))).toBe(true);
    const withoutSubjects = (p: unknown) => JSON.stringify(p).replace(/"token[^"]*:sub":("[^"]*"|\[[^\]]*\])/, '');
    expect(withoutSubjects(policy)).toBe(withoutSubjects(committed));
  }
});

test('--also trusts the previous commit too, for each workflow, while the callers move', () => {
  const { code, stdout } = run([NEW, '--also', OLD]);
  expect(code).toBe(0);
  const build = (JSON.parse(stdout) as Record<string, Parameters<typeof subjectsOf>[0]>)['startupwebapp-github-build']!;
  const workflows = (sha: string) =>
    ['deploy-backend.yml', 'migrate.yml', 'check-setup.yml'].map(
      (w) =>
        `repo:bartgottschalk/startup_web_app_server_side:ref:refs/heads/master:job_workflow_ref:bartgottschalk/startupwebapp-deploy-actions/.github/workflows/${w}@${sha}`,
    );
  expect(subjectsOf(build).sort()).toEqual([...workflows(NEW), ...workflows(OLD)].sort());
});

test('--out writes one file per role and prints the command that applies each', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trust-'));
  try {
    const { code, stdout } = run([NEW, '--out', dir]);
    expect(code).toBe(0);
    const roles = Object.keys(readRoles());
    expect(readdirSync(dir).sort()).toEqual(roles.map((r) => `${r}.json`).sort());
    expect(stdout.trim().split('\n')).toEqual(
      roles.map(
        (r) => `aws iam update-assume-role-policy --role-name ${r} --policy-document file://${join(dir, `${r}.json`)}`,
      ),
    );
    const frontend = JSON.parse(readFileSync(join(dir, 'startupwebapp-github-frontend.json'), 'utf8'));
    expect(subjectsOf(frontend)).toEqual([
      `repo:bartgottschalk/startup_web_app_client_side:environment:production:job_workflow_ref:bartgottschalk/startupwebapp-deploy-actions/.github/workflows/deploy-frontend.yml@${NEW}`,
      `repo:bartgottschalk/startup_web_app_client_side:environment:production:job_workflow_ref:bartgottschalk/startupwebapp-deploy-actions/.github/workflows/check-setup.yml@${NEW}`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.each([
  [[], 'expected one <suite-sha>, got 0 arguments'],
  [[NEW, OLD], 'expected one <suite-sha>, got 2 arguments'],
  [['v0.1.0'], '<suite-sha> must be a full commit SHA: 40 lowercase hex characters'],
  [[NEW.slice(1)], '<suite-sha> must be a full commit SHA: 40 lowercase hex characters'],
  [[NEW, '--also', 'main'], '--also must be a full commit SHA: 40 lowercase hex characters'],
  [[NEW, '--out'], '--out needs a value'],
  [[NEW, '--role', 'x'], 'unknown option --role'],
])('%p is refused in one line naming the argument, exit 1, nothing printed', (argv, message) => {
  expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  const { code, stdout, stderr } = run(argv);
  expect([code, stdout, stderr.split('\n')[0]]).toEqual([1, '', `trust-policies: ${message}`]);
});
