import { loadWorkflow, type WorkflowJob } from '../support/workflow-step.js';

/** rollback.yml and the records it reads: the dry run, the matching frontend, the verify. */

const rollback = loadWorkflow('.github/workflows/rollback.yml');
const backend = loadWorkflow('.github/workflows/deploy-backend.yml');
const stepUsing = (job: WorkflowJob, uses: string) => job.steps?.find((s) => s.uses?.includes(uses));
const jobIf = (job: WorkflowJob) => (job as { if?: string }).if;

describe('a rollback dry run changes nothing and needs no reviewer', () => {
  test('the preview job runs only for a dry run, without an environment or a concurrency group, with the read-only role', () => {
    const preview = rollback.jobs.preview;
    expect(jobIf(preview)).toBe('${{ inputs.dry-run }}');
    expect(preview.environment).toBeUndefined();
    expect(preview.concurrency).toBeUndefined();
    expect(stepUsing(preview, 'configure-aws-credentials')?.with?.['role-to-assume']).toBe(
      '${{ inputs.aws-rollback-preview-role-arn }}',
    );
    expect(stepUsing(preview, '/actions/rollback')?.with?.['dry-run']).toBe('true');
  });

  test('the rollback job runs only when not a dry run, in the environment, with the rollback role', () => {
    const job = rollback.jobs.rollback;
    expect(jobIf(job)).toBe('${{ !inputs.dry-run }}');
    expect(job.environment).toEqual({ name: '${{ inputs.environment }}', url: '${{ inputs.environment-url }}' });
    expect(stepUsing(job, 'configure-aws-credentials')?.with?.['role-to-assume']).toBe(
      '${{ inputs.aws-rollback-role-arn }}',
    );
    expect(stepUsing(job, '/actions/rollback')?.with?.['dry-run']).toBe('false');
  });

  test('no job of the dry run path redeploys the frontend or verifies (both need the rollback job)', () => {
    expect(rollback.jobs.frontend.needs).toContain('rollback');
    expect(rollback.jobs.verify.needs).toContain('rollback');
    expect(jobIf(rollback.jobs.verify)).toContain("needs.rollback.result == 'success'");
  });
});

describe('the frontend that shipped with a revision goes back with it', () => {
  test('the backend deploy records the frontend commit resolved before the deploy, and deploys exactly that commit', () => {
    const resolve = backend.jobs.plan.steps?.find((s) => s.id === 'frontend-commit');
    expect(resolve?.run).toBe('bash .deploy-suite/.github/scripts/resolve-frontend-commit.sh');
    expect(stepUsing(backend.jobs.deploy, '/actions/deploy-service')?.with?.tags).toBe(
      "${{ needs.plan.outputs.frontend-commit && format('frontend-commit={0}', needs.plan.outputs.frontend-commit) || '' }}",
    );
    const dispatch = backend.jobs.frontend.steps?.find((s) => s.run?.includes('dispatch-frontend-deploy.sh'));
    expect(dispatch?.env?.FRONTEND_REF).toBe('${{ needs.plan.outputs.frontend-commit }}');
  });

  test.each(['preview', 'rollback'])('the %s job reads the record of the revision rolled back to', (id) => {
    const step = rollback.jobs[id].steps?.find((s) => s.id === 'frontend');
    expect(step?.run).toBe('bash .deploy-suite/.github/scripts/recorded-frontend.sh');
    expect(step?.env).toEqual({
      FRONTEND: '${{ inputs.frontend }}',
      TASK_DEFINITION_ARN: '${{ steps.rollback.outputs.to-task-definition-arn }}',
      DRY_RUN: id === 'preview' ? 'true' : 'false',
    });
  });

  test('the frontend job redeploys what the rollback job chose (matching by default), nothing when it chose nothing', () => {
    const inputs = (rollback.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(inputs.frontend.default).toBe('matching');
    expect(jobIf(rollback.jobs.frontend)).toBe(
      "${{ needs.rollback.result == 'success' && needs.rollback.outputs.frontend-ref != '' }}",
    );
    const dispatch = rollback.jobs.frontend.steps?.find((s) => s.run?.includes('dispatch-frontend-deploy.sh'));
    expect(dispatch?.env?.FRONTEND_REF).toBe('${{ needs.rollback.outputs.frontend-ref }}');
  });
});

test('the build job asks ECR whether the image exists through find-image.sh (only not-found means absent)', () => {
  const step = backend.jobs.build.steps?.find((s) => s.id === 'image');
  expect(step?.run).toBe('bash .deploy-suite/.github/scripts/find-image.sh');
});
