import { setOutputs } from '../../lib/runner/outputs.js';
import { maskValues } from '../../lib/runner/secrets.js';
import type { RollbackPlan } from './plan-rollback.js';
import { secretValues } from './revision-details.js';
import { rollbackSummary, type RollbackReport } from './summary.js';

/** What the rollback leaves besides its log: masks, the step's outputs and the job summary. */

/** Masks secret-looking values of both revisions and sets the outputs the plan knows. */
export function planned(plan: RollbackPlan): void {
  maskValues(secretValues(plan.from, plan.to));
  setOutputs({
    'from-task-definition-arn': plan.from.taskDefinitionArn,
    'to-task-definition-arn': plan.to.taskDefinitionArn,
  });
}

export function startedDeployment(deploymentId: string): void {
  setOutputs({ 'deployment-id': deploymentId });
}

/** The status output and the job summary, once the run has ended (in any way). */
export async function ended(summary: RollbackReport): Promise<void> {
  setOutputs({ status: summary.status });
  await rollbackSummary(summary).write();
}
