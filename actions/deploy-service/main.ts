import type { Service } from '@aws-sdk/client-ecs';
import type { AwsClientConfig } from '../../lib/aws/config.js';
import { CancelledError, type StoryContext } from '../../lib/runner/run-action.js';
import { setOutputs } from '../../lib/runner/outputs.js';
import { ecsClient, logsClient } from '../../lib/aws/clients.js';
import { maskSecretValues } from '../../lib/runner/secrets.js';
import { describeTaskDefinition, registerTaskDefinition } from '../../lib/ecs/task-definition-api.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import { revisionChanges } from '../../lib/ecs/revision-changes.js';
import { succeeded, type WatchClients } from '../../lib/ecs/watch-result.js';
import { waitForIdle } from './wait-for-idle.js';
import { watchDeployment } from '../../lib/ecs/deployment-watch.js';
import { findService, ServiceNotFoundError, updateService } from '../../lib/ecs/service-api.js';
import { deploymentIdsOf } from '../../lib/ecs/new-deployment.js';
import { notFoundInput } from '../../lib/runner/inputs.js';
import { verifyBeforeChange } from '../../lib/verify/verify.js';
import type { DeployInputs } from './inputs.js';
import { planRevision, type RevisionPlan } from './revision-plan.js';
import { failureResponse } from './failure-response.js';
import { respondToCancel, respondToFailure } from './on-failure.js';
import { deploySummary, type DeployReport } from './summary.js';
import { credentialsExpiryWarning, CREDENTIALS_WARNING_TITLE } from '../../lib/aws/credentials-warning.js';
import * as log from './log.js';
import { stagedStrategyOf } from '../../lib/ecs/service-deployment-progress.js';
import { followStagedDeployment } from './staged-deploy.js';
import { now, nowDate } from '../../lib/runner/time.js';

type Current = Awaited<ReturnType<typeof describeTaskDefinition>>;

/**
 * Check what the user named (read-only), verify what the new revision needs and say what changes, wait for the
 * service to be idle, register the new revision, update the service, watch our deployment, respond to a failure,
 * report. `timeout-minutes` bounds all the waiting for ECS. A dry run stops after saying what would change.
 */
export async function run(inputs: DeployInputs, { aws, signal }: StoryContext<AwsClientConfig>): Promise<void> {
  maskInputSecrets(inputs);
  const clients: WatchClients = { ecs: ecsClient(aws), logs: logsClient(aws), elbConfig: aws };
  const { ecs } = clients;
  const startedAt = nowDate();
  const report: DeployReport = {
    cluster: inputs.cluster,
    service: inputs.service,
    waited: inputs.wait,
    dryRun: inputs.dryRun,
    startedAt,
  };

  // Read-only checks: everything the user named must exist and fit before anything is registered.
  const lookup = await findService(ecs, inputs.cluster, inputs.service);
  if (!lookup.service) throw notFoundInput(lookup.missing!);
  let service = lookup.service;
  let current = await describeTaskDefinition(ecs, service.taskDefinition as string);
  let plan = planRevision(current, inputs.source, inputs.container, inputs.environment, inputs.tags);
  report.previousTaskDefinition = service.taskDefinition;
  try {
    if (!(await checkPlan(inputs, aws, current, plan, report))) return;
    if (inputs.dryRun) return log.dryRun(report);
    // timeout-minutes bounds the waiting for ECS, from here on: the checks above are not part of it.
    const deadline = new Date(now() + inputs.timeoutSeconds * 1000);
    log.credentialsExpiring(await credentialsExpiryWarning(ecs, inputs), CREDENTIALS_WARNING_TITLE);

    if (inputs.waitForIdle) {
      const idle = await waitForIdle(clients, { ...inputs, deadline, signal, ...log.waitPrinter }).catch((error) => {
        throw error instanceof ServiceNotFoundError ? notFoundInput(error.missing) : error;
      });
      if (idle.service.taskDefinition !== service.taskDefinition) {
        current = await describeTaskDefinition(ecs, idle.service.taskDefinition as string);
        plan = planRevision(current, inputs.source, inputs.container, inputs.environment, inputs.tags);
        log.replanned(idle.service.taskDefinition);
        if (!(await checkPlan(inputs, aws, current, plan, report))) return;
      }
      service = idle.service;
    }
    await deployPlan({ inputs, clients, deadline, signal, startedAt }, service, current, plan, report);
  } finally {
    report.durationSeconds = Math.round((now() - startedAt.getTime()) / 100) / 10;
    setOutputs({ 'duration-seconds': report.durationSeconds });
    await deploySummary(report).write();
  }
}

/**
 * `verify` (unless false) and the changes from the running revision, said in the log and kept for the summary.
 * False when something the new revision needs does not exist: the step has failed and nothing was changed.
 */
async function checkPlan(
  inputs: DeployInputs,
  aws: AwsClientConfig,
  current: Current,
  plan: RevisionPlan,
  report: DeployReport,
): Promise<boolean> {
  report.plan = plan;
  report.changes = plan.definition ? revisionChanges(current.definition, plan.definition) : [];
  report.verification = inputs.verify
    ? await verifyBeforeChange(plan.definition ?? current.definition, aws)
    : undefined;
  log.changes(report);
  log.verification(report.verification);
  return !report.verification?.failed;
}

/** The changes: register (unless only redeploying), update the service, watch, respond to a failure. */
async function deployPlan(
  {
    inputs,
    clients,
    deadline,
    signal,
    startedAt,
  }: { inputs: DeployInputs; clients: WatchClients; deadline: Date; signal: AbortSignal; startedAt: Date },
  service: Service,
  current: Current,
  plan: RevisionPlan,
  report: DeployReport,
): Promise<void> {
  const { ecs } = clients;
  const previous = service.taskDefinition;
  report.previousTaskDefinition = previous;
  setOutputs({ 'previous-task-definition-arn': previous });
  log.running(inputs.service, inputs.cluster, shortTaskDefinition(previous), plan.container, plan.imageBefore);
  // Blue/green, linear and canary: ECS shifts traffic itself; watched stage by stage (staged-deploy.ts).
  const strategy = stagedStrategyOf(service);

  try {
    const registered = plan.definition ? await registerTaskDefinition(ecs, plan.definition, plan.tags) : undefined;
    const target = registered?.taskDefinitionArn ?? previous;
    report.newTaskDefinition = target;
    setOutputs({
      'task-definition-arn': target,
      revision: registered?.revision ?? current.definition.revision,
    });
    log.describePlan(plan, registered ? shortTaskDefinition(target) : undefined);

    const deploymentId = await updateService(
      ecs,
      {
        cluster: inputs.cluster,
        service: inputs.service,
        taskDefinition: registered ? target : undefined,
        desiredCount: inputs.desiredCount,
        forceNewDeployment: inputs.forceNewDeployment || undefined,
      },
      { taskDefinition: target as string, knownDeploymentIds: deploymentIdsOf(service) },
    );
    report.deploymentId = deploymentId;
    setOutputs({ 'deployment-id': deploymentId });
    log.deploymentStarted(deploymentId, shortTaskDefinition(target));
    if (!inputs.wait) return;

    const waits = { ...inputs, deadline, signal, ...log.waitPrinter };
    if (strategy) {
      return await followStagedDeployment(clients, report, {
        ...waits,
        strategy,
        since: startedAt,
        deploymentId,
        previousTaskDefinition: previous,
        taskDefinition: registered ?? current.definition,
        container: plan.container,
        rollbackContext: { ...waits, failedTaskDefinition: target, failedDeploymentId: deploymentId },
      });
    }
    const watch = await watchDeployment(clients, {
      ...waits,
      deploymentId,
      previousTaskDefinition: previous,
      taskDefinition: registered ?? current.definition,
      container: plan.container,
    });
    report.watch = watch;
    report.status = watch.status;
    setOutputs({ status: watch.status });

    const response = failureResponse(watch, inputs.onFailure, previous, target);
    report.rollback = await respondToFailure(clients, response, {
      ...waits,
      failedTaskDefinition: target,
      failedDeploymentId: deploymentId,
      previousTaskDefinition: previous,
      knownDeploymentIds: deploymentIdsOf(service),
      rollbackDeploymentId: watch.rollbackDeploymentId,
    });
    log.rollbackNote(report.rollback?.note);
    if (succeeded(watch.status)) log.reportSuccess(report);
    else log.reportFailure(report);
  } catch (error) {
    // A staged deployment's cancel is answered where it is watched (StopServiceDeployment ROLLBACK, not an update).
    if (error instanceof CancelledError && report.deploymentId && !strategy) {
      await respondToCancel(clients, { ...inputs, knownDeploymentIds: deploymentIdsOf(service) }, report);
    }
    throw error;
  }
}

function maskInputSecrets(inputs: DeployInputs): void {
  maskSecretValues(inputs.environment);
  if (inputs.source.kind === 'file') {
    for (const container of inputs.source.definition.containerDefinitions ?? [])
      maskSecretValues(container.environment ?? []);
  }
}
