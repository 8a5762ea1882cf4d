import { loadWorkflow, runStepScript, stepOf, type WorkflowStep } from '../support/workflow-step.js';

/** .github/workflows/check-setup.yml: one job per workflow role, assumed as that workflow does; a GitHub job. */

const doc = loadWorkflow('.github/workflows/check-setup.yml');
const plan = stepOf(doc, 'plan', (s) => s.id === 'plan');
const roles = {
  BUILD: 'arn:aws:iam::1:role/startupwebapp-github-build',
  MIGRATE: 'arn:aws:iam::1:role/startupwebapp-github-migrate',
  DEPLOY: 'arn:aws:iam::1:role/startupwebapp-github-deploy',
  ADMIN: 'arn:aws:iam::1:role/startupwebapp-github-admin',
  ROLLBACK: 'arn:aws:iam::1:role/startupwebapp-github-rollback',
  ROLLBACK_PREVIEW: 'arn:aws:iam::1:role/startupwebapp-github-rollback-preview',
  FRONTEND: 'arn:aws:iam::1:role/startupwebapp-github-frontend',
};

test('backend: the roles its deploy workflows assume in production are checked in it, build and preview outside', () => {
  const result = runStepScript(plan, { ...roles, SIDE: 'backend' });
  expect(result.status).toBe(0);
  expect(JSON.parse(result.outputs['in-environment'] as string)).toEqual([
    { scope: 'migrate', role: roles.MIGRATE },
    { scope: 'deploy', role: roles.DEPLOY },
    { scope: 'admin', role: roles.ADMIN },
    { scope: 'rollback', role: roles.ROLLBACK },
  ]);
  expect(JSON.parse(result.outputs['outside-environment'] as string)).toEqual([
    { scope: 'build', role: roles.BUILD },
    { scope: 'rollback-preview', role: roles.ROLLBACK_PREVIEW },
  ]);
});

test('frontend: only the frontend role; a role variable left empty is still checked (the check names it)', () => {
  const result = runStepScript(plan, { SIDE: 'frontend', FRONTEND: '' });
  expect(JSON.parse(result.outputs['in-environment'] as string)).toEqual([{ scope: 'frontend', role: '' }]);
  expect(result.outputs['outside-environment']).toBe('[]');
});

test('the plan job resolves the suite before anything else, as the other workflows do', () => {
  // Its failing closed is tested with theirs (test/unit/workflow-rules.test.ts, "the suite commit").
  expect(doc.jobs.plan?.steps?.[0]?.id).toBe('suite');
  const outputs = (doc.jobs.plan as unknown as { outputs: Record<string, string> }).outputs;
  expect(outputs['suite-sha']).toBe('${{ steps.suite.outputs.sha }}');
});

test('a bad side is one line naming the input', () => {
  const result = runStepScript(plan, { SIDE: 'both' });
  expect(result.status).toBe(1);
  expect(result.stdout).toContain("::error title=Invalid input::Input 'side' must be backend or frontend, got 'both'");
});

test.each(['aws-in-environment', 'aws'])('%s assumes the matrix role and runs check-setup read-only', (job) => {
  const steps = doc.jobs[job]?.steps ?? [];
  const assume = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@')) as WorkflowStep;
  expect(assume.with?.['role-to-assume']).toBe('${{ matrix.role }}');
  const check = steps.find((s) => s.uses === './.deploy-suite/actions/check-setup') as WorkflowStep;
  expect(check.with).toMatchObject({ scope: '${{ matrix.scope }}', 'role-arn': '${{ matrix.role }}' });
  expect(doc.jobs[job]?.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
});

test('the AWS jobs of roles trusted in the environment run in it; the others do not', () => {
  expect(doc.jobs['aws-in-environment']?.environment).toBe('${{ inputs.environment }}');
  expect(doc.jobs.aws?.environment).toBeUndefined();
});

test('the github job mints the dispatch App token with the permissions the deploy asks for', () => {
  const backend = loadWorkflow('.github/workflows/deploy-backend.yml');
  const mint = (steps: WorkflowStep[] | undefined) =>
    steps?.find((s) => s.uses?.startsWith('actions/create-github-app-token@'))?.with ?? {};
  // The dispatching job's token (the plan job mints a Contents: read one only to resolve frontend-ref).
  const deployMint = mint(backend.jobs.frontend?.steps);
  const checkMint = mint(doc.jobs.github?.steps);
  const permissions = (mint: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(mint).filter(([key]) => key.startsWith('permission-')));
  expect(permissions(checkMint)).toEqual(permissions(deployMint));
  const check = doc.jobs.github?.steps?.find((s) => s.uses === './.deploy-suite/actions/check-setup');
  expect(check?.with?.['dispatch-token']).toBe('${{ steps.app.outputs.token || secrets.frontend-dispatch-token }}');
});
