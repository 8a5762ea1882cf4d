import type { AwsClientConfig } from '../../lib/aws/config.js';
import { ecsClient, logsClient } from '../../lib/aws/clients.js';
import { credentialsExpiryWarning, CREDENTIALS_WARNING_TITLE } from '../../lib/aws/credentials-warning.js';
import { watchDeployment } from '../../lib/ecs/deployment-watch.js';
import type { RollbackInputs } from './inputs.js';
import { planRollback } from './plan-rollback.js';
import { applyRollback } from './apply-rollback.js';
import type { RollbackReport } from './summary.js';
import * as log from './log.js';
import * as outputs from './outputs.js';

/**
 * Puts the service back on an earlier revision: read and check everything (no change), say what and why, change
 * (UpdateService, or StopServiceDeployment ROLLBACK for an in-flight deployment), wait like deploy-service, report.
 */
export async function run(
  inputs: RollbackInputs,
  { aws, signal }: { aws: AwsClientConfig; signal?: AbortSignal },
): Promise<void> {
  const ecs = ecsClient(aws);
  const summary: RollbackReport = {
    cluster: inputs.cluster,
    service: inputs.service,
    dryRun: inputs.dryRun,
    headline: '',
  };
  try {
    // Read-only: a refusal (another family, INACTIVE, missing, unknown service) throws here, before any change.
    const plan = await planRollback(ecs, inputs, log.rollbackPrinter, signal);
    outputs.planned(plan);
    log.describePlan(plan, summary);
    if (inputs.dryRun) return log.finish(summary, 'NOOP', `Dry run, nothing changed: would ${log.actionText(plan)}.`);
    if (plan.action.kind === 'noop') return log.finish(summary, 'NOOP', `Nothing to do: ${plan.action.reason}.`);
    log.credentialsExpiring(await credentialsExpiryWarning(ecs, inputs), CREDENTIALS_WARNING_TITLE);

    // One clock for the whole wait: for ECS to start the rollback deployment (after a stop), then for it to finish.
    const deadline = new Date(Date.now() + inputs.timeoutSeconds * 1000);
    const applied = await applyRollback(ecs, plan.action, {
      cluster: inputs.cluster,
      service: inputs.service,
      taskDefinition: plan.to.taskDefinitionArn ?? '?',
      knownDeploymentIds: plan.deploymentIds,
      pollSeconds: inputs.pollSeconds,
      deadline,
      signal,
      reporter: log.rollbackPrinter,
    });
    outputs.startedDeployment(applied.deploymentId);
    log.started(summary, applied);
    if (!inputs.wait) {
      return log.finish(summary, undefined, `Rollback deployment ${applied.deploymentId} started; not waiting.`);
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
        ...log.watchPrinter,
        // A newer deployment of the revision we leave means the circuit breaker undid the rollback.
        previousTaskDefinition: plan.action.kind === 'update-service' ? plan.from.taskDefinitionArn : undefined,
        taskDefinition: plan.to,
      },
    );
    log.finish(summary, log.judge(summary, plan, watch));
  } catch (error) {
    if (!summary.watch) log.finishOnError(summary, error); // once judged, the run's ending is said already
    throw error;
  } finally {
    await outputs.ended(summary);
  }
}
