import type { AwsClientConfig } from '../../lib/aws/config.js';
import { CancelledError, type StoryContext } from '../../lib/runner/run-action.js';
import * as log from '../../lib/runner/log.js';
import { ecsClient, logsClient } from '../../lib/aws/clients.js';
import { maskSecretValues } from '../../lib/runner/secrets.js';
import { describeTaskDefinition, registerTaskDefinition } from '../../lib/ecs/task-definition-api.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import { succeeded, type WatchClients } from '../../lib/ecs/watch-result.js';
import { waitForIdle } from './wait-for-idle.js';
import { watchDeployment } from '../../lib/ecs/deployment-watch.js';
import { findService, ServiceNotFoundError, updateService } from '../../lib/ecs/service-api.js';
import { deploymentIdsOf } from '../../lib/ecs/new-deployment.js';
import { notFoundInput } from '../../lib/runner/inputs.js';
import type { DeployInputs } from './inputs.js';
import { planRevision } from './revision-plan.js';
import { failureResponse } from './failure-response.js';
import { respondToCancel, respondToFailure } from './on-failure.js';
import { deploySummary, type DeployReport } from './summary.js';
import { credentialsExpiryWarning, CREDENTIALS_WARNING_TITLE } from '../../lib/aws/credentials-warning.js';
import { describePlan, reportFailure, reportSuccess } from './log.js';
import { now, nowDate } from '../../lib/runner/time.js';

/**
 * Check what the user named (read-only), wait for the service to be idle, register the new revision, update the
 * service, watch our deployment, respond to a failure, report. `timeout-minutes` bounds all the waiting for ECS.
 */
export async function run(inputs: DeployInputs, { aws, signal }: StoryContext<AwsClientConfig>): Promise<void> {
  maskInputSecrets(inputs);
  const clients: WatchClients = { ecs: ecsClient(aws), logs: logsClient(aws), elbConfig: aws };
  const { ecs } = clients;
  const startedAt = nowDate();
  const deadline = new Date(startedAt.getTime() + inputs.timeoutSeconds * 1000);
  const report: DeployReport = { cluster: inputs.cluster, service: inputs.service, waited: inputs.wait, startedAt };

  // Read-only checks: everything the user named must exist and fit before anything is registered.
  const lookup = await findService(ecs, inputs.cluster, inputs.service);
  if (!lookup.service) throw notFoundInput(lookup.missing!);
  let service = lookup.service;
  let current = await describeTaskDefinition(ecs, service.taskDefinition as string);
  let plan = planRevision(current, inputs.source, inputs.container, inputs.environment);
  const expiring = await credentialsExpiryWarning(ecs, inputs);
  if (expiring) log.warn(expiring, CREDENTIALS_WARNING_TITLE);

  if (inputs.waitForIdle) {
    const idle = await waitForIdle(clients, { ...inputs, deadline, signal, ...log.progressPrinter }).catch((error) => {
      throw error instanceof ServiceNotFoundError ? notFoundInput(error.missing) : error;
    });
    if (idle.service.taskDefinition !== service.taskDefinition) {
      current = await describeTaskDefinition(ecs, idle.service.taskDefinition as string);
      plan = planRevision(current, inputs.source, inputs.container, inputs.environment);
    }
    service = idle.service;
  }
  const previous = service.taskDefinition;
  report.previousTaskDefinition = previous;
  report.plan = plan;
  log.setOutputs({ 'previous-task-definition-arn': previous });
  log.info(
    `Service ${inputs.service} in ${inputs.cluster} runs ${shortTaskDefinition(previous)} (${plan.container}: ${plan.imageBefore})`,
  );

  try {
    const registered = plan.definition ? await registerTaskDefinition(ecs, plan.definition, plan.tags) : undefined;
    const target = registered?.taskDefinitionArn ?? previous;
    report.newTaskDefinition = target;
    log.setOutputs({ 'task-definition-arn': target, revision: registered?.revision ?? current.definition.revision });
    describePlan(plan, registered ? shortTaskDefinition(target) : undefined);

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
    log.setOutputs({ 'deployment-id': deploymentId });
    log.info(`Deployment ${deploymentId} of ${shortTaskDefinition(target)} started`);
    if (!inputs.wait) return;

    const waits = { ...inputs, deadline, signal, ...log.progressPrinter };
    const watch = await watchDeployment(clients, {
      ...waits,
      deploymentId,
      previousTaskDefinition: previous,
      taskDefinition: registered ?? current.definition,
      container: plan.container,
    });
    report.watch = watch;
    report.status = watch.status;
    log.setOutputs({ status: watch.status });

    const response = failureResponse(watch, inputs.onFailure, previous, target);
    report.rollback = await respondToFailure(clients, response, {
      ...waits,
      failedTaskDefinition: target,
      failedDeploymentId: deploymentId,
      previousTaskDefinition: previous,
      knownDeploymentIds: deploymentIdsOf(service),
      rollbackDeploymentId: watch.rollbackDeploymentId,
    });
    if (report.rollback) log.info(report.rollback.note);
    if (succeeded(watch.status)) reportSuccess(report);
    else reportFailure(report);
  } catch (error) {
    if (error instanceof CancelledError && report.deploymentId) {
      await respondToCancel(clients, { ...inputs, knownDeploymentIds: deploymentIdsOf(service) }, report);
    }
    throw error;
  } finally {
    report.durationSeconds = Math.round((now() - startedAt.getTime()) / 100) / 10;
    log.setOutputs({ 'duration-seconds': report.durationSeconds });
    await deploySummary(report).write();
  }
}

function maskInputSecrets(inputs: DeployInputs): void {
  maskSecretValues(inputs.environment);
  if (inputs.source.kind === 'file') {
    for (const container of inputs.source.definition.containerDefinitions ?? [])
      maskSecretValues(container.environment ?? []);
  }
}
