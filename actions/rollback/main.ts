import type { AwsClientConfig } from '../../lib/aws/config.js';
import type { StoryContext } from '../../lib/runner/run-action.js';
import { ecsClient, logsClient } from '../../lib/aws/clients.js';
import { credentialsExpiryWarning, CREDENTIALS_WARNING_TITLE } from '../../lib/aws/credentials-warning.js';
import { watchDeployment } from '../../lib/ecs/deployment-watch.js';
import type { RollbackInputs } from './inputs.js';
import { planRollback } from './plan-rollback.js';
import { applyRollback } from './apply-rollback.js';
import { rollBackStaged } from './staged-rollback.js';
import type { RollbackReport } from './summary.js';
import * as log from './log.js';
import * as outputs from './outputs.js';
import { verifyBeforeChange } from '../../lib/verify/verify.js';
import { now, nowDate } from '../../lib/runner/time.js';
import { rollingTrafficBack } from './traffic-back.js';

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
    const plan = await planRollback(ecs, inputs, log.rollbackPrinter, signal);
    outputs.planned(plan);
    log.describePlan(plan, report);
    // An old revision's image may have been expired from ECR since: check what the target needs before going back.
    if (plan.action.kind !== 'noop') {
      report.verification = inputs.verify ? await verifyBeforeChange(plan.to, aws) : undefined;
      if (!log.verification(report, report.verification)) return log.finish(report, undefined);
    }
    if (inputs.dryRun) return log.finish(report, 'NOOP', `Dry run, nothing changed: would ${log.actionText(plan)}.`);
    if (plan.action.kind === 'noop') return log.finish(report, 'NOOP', `Nothing to do: ${plan.action.reason}.`);
    log.credentialsExpiring(await credentialsExpiryWarning(ecs, inputs), CREDENTIALS_WARNING_TITLE);
    // Blue/green, linear, canary in flight or baking: ECS moves traffic back to the revision still running.
    if (await rollBackStaged(ecs, inputs, plan, report, signal)) return;

    // One clock for the whole wait: for ECS to start the rollback deployment (after a stop), then for it to finish.
    const deadline = new Date(now() + inputs.timeoutSeconds * 1000);
    const calledAt = nowDate();
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
    log.started(report, applied);
    report.trafficBack = rollingTrafficBack(applied.call, calledAt);
    if (!inputs.wait) {
      return log.finish(report, undefined, `Rollback deployment ${applied.deploymentId} started; not waiting.`);
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
    report.trafficBack = rollingTrafficBack(applied.call, calledAt, watch);
    log.finish(report, log.judge(report, plan, watch));
  } catch (error) {
    if (!report.watch) log.finishOnError(report, error); // once judged, the run's ending is said already
    throw error;
  } finally {
    await outputs.ended(report);
  }
}
