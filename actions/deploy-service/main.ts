import type { AwsClientConfig } from '../../lib/aws/config.js';
import { CancelledError } from '../../lib/runner/run-action.js';
import { setOutputs } from '../../lib/runner/outputs.js';
import { ecsClient, logsClient } from '../../lib/aws/clients.js';
import { maskSecretValues } from '../../lib/runner/secrets.js';
import { describeTaskDefinition, registerTaskDefinition } from '../../lib/ecs/task-definition-api.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import { succeeded, waitForIdle, watchDeployment, type WatchClients } from '../../lib/ecs/deployment-watch.js';
import { findService, ServiceNotFoundError, updateService } from '../../lib/ecs/service-api.js';
import { deploymentIdsOf } from '../../lib/ecs/new-deployment.js';
import { notFoundInput } from '../../lib/runner/inputs.js';
import type { DeployInputs } from './inputs.js';
import { planRevision } from './revision-plan.js';
import { failureResponse } from './failure-response.js';
import { respondToCancel, respondToFailure } from './on-failure.js';
import { deploySummary, type DeployReport } from './summary.js';
import { credentialsExpiryWarning, CREDENTIALS_WARNING_TITLE } from '../../lib/aws/credentials-warning.js';
import {
  credentialsExpiring,
  deploymentStarted,
  describePlan,
  reportFailure,
  reportSuccess,
  rollbackNote,
  running,
  waitPrinter,
} from './log.js';

/**
 * Check what the user named (read-only), wait for the service to be idle, register the new revision, update the
 * service, watch our deployment, respond to a failure, report. `timeout-minutes` bounds all the waiting for ECS.
 */
export async function run(
  inputs: DeployInputs,
  { aws, signal }: { aws: AwsClientConfig; signal: AbortSignal },
): Promise<void> {
  maskInputSecrets(inputs);
  const clients: WatchClients = { ecs: ecsClient(aws), logs: logsClient(aws), elbConfig: aws };
  const { ecs } = clients;
  const startedAt = new Date();
  const deadline = new Date(startedAt.getTime() + inputs.timeoutSeconds * 1000);
  const deploy: DeployReport = { cluster: inputs.cluster, service: inputs.service, waited: inputs.wait, startedAt };

  // Read-only checks: everything the user named must exist and fit before anything is registered.
  const lookup = await findService(ecs, inputs.cluster, inputs.service);
  if (!lookup.service) throw notFoundInput(lookup.missing!);
  let service = lookup.service;
  let current = await describeTaskDefinition(ecs, service.taskDefinition as string);
  let plan = planRevision(current, inputs.source, inputs.container, inputs.environment);
  credentialsExpiring(await credentialsExpiryWarning(ecs, inputs), CREDENTIALS_WARNING_TITLE);

  if (inputs.waitForIdle) {
    const idle = await waitForIdle(clients, { ...inputs, deadline, signal, ...waitPrinter }).catch((error) => {
      throw error instanceof ServiceNotFoundError ? notFoundInput(error.missing) : error;
    });
    if (idle.service.taskDefinition !== service.taskDefinition) {
      current = await describeTaskDefinition(ecs, idle.service.taskDefinition as string);
      plan = planRevision(current, inputs.source, inputs.container, inputs.environment);
    }
    service = idle.service;
  }
  const previous = service.taskDefinition;
  deploy.previousTaskDefinition = previous;
  deploy.plan = plan;
  setOutputs({ 'previous-task-definition-arn': previous });
  running(inputs.service, inputs.cluster, shortTaskDefinition(previous), plan.container, plan.imageBefore);

  try {
    const registered = plan.definition ? await registerTaskDefinition(ecs, plan.definition, plan.tags) : undefined;
    const target = registered?.taskDefinitionArn ?? previous;
    deploy.newTaskDefinition = target;
    setOutputs({ 'task-definition-arn': target, revision: registered?.revision ?? current.definition.revision });
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
    deploy.deploymentId = deploymentId;
    setOutputs({ 'deployment-id': deploymentId });
    deploymentStarted(deploymentId, shortTaskDefinition(target));
    if (!inputs.wait) return;

    const waits = { ...inputs, deadline, signal, ...waitPrinter };
    const watch = await watchDeployment(clients, {
      ...waits,
      deploymentId,
      previousTaskDefinition: previous,
      taskDefinition: registered ?? current.definition,
      container: plan.container,
    });
    deploy.watch = watch;
    deploy.status = watch.status;
    setOutputs({ status: watch.status });

    const response = failureResponse(watch, inputs.onFailure, previous, target);
    deploy.rollback = await respondToFailure(clients, response, {
      ...waits,
      failedTaskDefinition: target,
      failedDeploymentId: deploymentId,
      previousTaskDefinition: previous,
      knownDeploymentIds: deploymentIdsOf(service),
      rollbackDeploymentId: watch.rollbackDeploymentId,
    });
    rollbackNote(deploy.rollback?.note);
    if (succeeded(watch.status)) reportSuccess(deploy);
    else reportFailure(deploy);
  } catch (error) {
    if (error instanceof CancelledError && deploy.deploymentId) {
      await respondToCancel(clients, { ...inputs, knownDeploymentIds: deploymentIdsOf(service) }, deploy);
    }
    throw error;
  } finally {
    deploy.durationSeconds = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
    setOutputs({ 'duration-seconds': deploy.durationSeconds });
    await deploySummary(deploy).write();
  }
}

function maskInputSecrets(inputs: DeployInputs): void {
  maskSecretValues(inputs.environment);
  if (inputs.source.kind === 'file') {
    for (const container of inputs.source.definition.containerDefinitions ?? [])
      maskSecretValues(container.environment ?? []);
  }
}
