import type { AwsClientConfig } from '../../lib/aws/config.js';
import type { StoryContext } from '../../lib/runner/run-action.js';
import { ecsClient, logsClient } from '../../lib/aws/clients.js';
import { credentialsExpiryWarning, CREDENTIALS_WARNING_TITLE } from '../../lib/aws/credentials-warning.js';
import { watchDeployment } from '../../lib/ecs/deployment-watch.js';
import { progressPrinter, warn } from '../../lib/runner/log.js';
import type { RollbackInputs } from './inputs.js';
import { planRollback } from './plan-rollback.js';
import { applyRollback } from './apply-rollback.js';
import { rollBackStaged } from './staged-rollback.js';
import type { RollbackReport } from './summary.js';
import { actionText, describePlan, finish, finishOnError, judge, started, verification } from './log.js';
import { verifyBeforeChange } from '../../lib/verify/verify.js';
import { now } from '../../lib/runner/time.js';

/**
 * Puts the service back on an earlier revision: read and check everything (no change), say what and why, change
 * (UpdateService, or StopServiceDeployment ROLLBACK for an in-flight deployment), wait like deploy-service, report.
 */
export async function run(inputs: RollbackInputs, { aws, signal }: StoryContext<AwsClientConfig>): Promise<void> {
  const ecs = ecsClient(aws);
  const report: RollbackReport = {
    cluster: inputs.cluster,
    service: inputs.service,
    dryRun: inputs.dryRun,
    headline: '',
  };
  try {
    // Read-only: a refusal (another family, INACTIVE, missing, unknown service) throws here, before any change.
    const plan = await planRollback(ecs, inputs, signal);
    describePlan(plan, report);
    // An old revision's image may have been expired from ECR since: check what the target needs before going back.
    if (plan.action.kind !== 'noop') {
      report.verification = inputs.verify ? await verifyBeforeChange(plan.to, aws) : undefined;
      if (!verification(report, report.verification)) return await finish(report, undefined);
    }
    if (inputs.dryRun) return await finish(report, 'NOOP', `Dry run, nothing changed: would ${actionText(plan)}.`);
    if (plan.action.kind === 'noop') return await finish(report, 'NOOP', `Nothing to do: ${plan.action.reason}.`);
    const expiring = await credentialsExpiryWarning(ecs, inputs);
    if (expiring) warn(expiring, CREDENTIALS_WARNING_TITLE);
    // Blue/green, linear, canary in flight or baking: ECS moves traffic back to the revision still running.
    if (await rollBackStaged(ecs, inputs, plan, report, signal)) return;

    // One clock for the whole wait: for ECS to start the rollback deployment (after a stop), then for it to finish.
    const deadline = new Date(now() + inputs.timeoutSeconds * 1000);
    const applied = await applyRollback(ecs, plan.action, {
      cluster: inputs.cluster,
      service: inputs.service,
      taskDefinition: plan.to.taskDefinitionArn ?? '?',
      knownDeploymentIds: plan.deploymentIds,
      pollSeconds: inputs.pollSeconds,
      deadline,
      signal,
    });
    started(report, applied);
    if (!inputs.wait) {
      return await finish(report, undefined, `Rollback deployment ${applied.deploymentId} started; not waiting.`);
    }

    const watch = await watchDeployment(
      { ecs, logs: logsClient(aws), elbConfig: aws },
      {
        cluster: inputs.cluster,
        service: inputs.service,
        deploymentId: applied.deploymentId,
        timeoutSeconds: inputs.timeoutSeconds,
        deadline,
        pollSeconds: inputs.pollSeconds,
        healthCheck: inputs.healthCheck,
        waitUntil: inputs.waitUntil,
        signal,
        ...progressPrinter,
        // A newer deployment of the revision we leave means the circuit breaker undid the rollback.
        previousTaskDefinition: plan.action.kind === 'update-service' ? plan.from.taskDefinitionArn : undefined,
        taskDefinition: plan.to,
      },
    );
    await finish(report, judge(report, plan, watch));
  } catch (error) {
    await finishOnError(report, error);
    throw error;
  }
}
