import type { ECSClient } from '@aws-sdk/client-ecs';
import type { AwsClientConfig } from '../../lib/aws/config.js';
import { ecsClient } from '../../lib/aws/clients.js';
import { credentialsExpiryWarning, CREDENTIALS_WARNING_TITLE } from '../../lib/aws/credentials-warning.js';
import { fail, info, progress, setOutputs, warn } from '../../lib/runner/log.js';
import { runTags } from '../../lib/runner/run-context.js';
import { displayValue, maskSecretValues } from '../../lib/runner/secrets.js';
import { taskIdOf } from '../../lib/ecs/stopped-tasks.js';
import { describeRef, shortTaskDefinition, type TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import type { MigrationInputs } from './inputs.js';
import { derivedWith, migrationSummary, newReport, taskConsoleUrl, type MigrationReport } from './summary.js';
import { resolveRun, type ResolvedRun } from './resolve.js';
import { settleTask } from './settle-task.js';
import { registerDerived, runRequest } from './start-task.js';
import { startTask } from './task-api.js';
import { lastLines, taskLogs } from './task-logs.js';
import { durationSeconds, judge } from './verdict.js';
import { LogErrorReporter, waitForTask } from './wait-for-task.js';
import { errorText } from '../../lib/runner/error-text.js';
import { formatSeconds } from '../../lib/runner/time.js';

/** The story: check what the inputs name, (register the image,) run the task, follow it and its logs, judge, report. */
export async function run(
  inputs: MigrationInputs,
  { aws, signal = new AbortController().signal }: { aws: AwsClientConfig; signal?: AbortSignal },
): Promise<void> {
  maskSecretValues(inputs.environment);
  const ecs = ecsClient(aws);
  // Read-only: bad input fails here, before anything is registered or run.
  const resolved = await resolveRun(ecs, inputs);
  maskSecretValues(resolved.container.environment ?? []);
  const expiring = await credentialsExpiryWarning(ecs, { wait: true, timeoutSeconds: inputs.timeoutSeconds });
  if (expiring) warn(expiring, CREDENTIALS_WARNING_TITLE);
  const report = newReport(inputs, resolved);
  try {
    signal.throwIfAborted(); // cancelled before anything was started
    const definition = await definitionToRun(ecs, inputs, resolved, report);
    setOutputs({ 'task-definition-arn': definition.taskDefinitionArn });
    for (const note of report.notes) info(note);
    signal.throwIfAborted();
    await runAndJudge(ecs, aws, inputs, { resolved, definition, report }, signal);
  } catch (error) {
    report.failure ??= errorText(error);
    throw error;
  } finally {
    await migrationSummary(report).write();
  }
}

/**
 * With `image` or `secrets`: a new revision carrying them (every other field kept), in `family` when given; else the
 * task definition as it is.
 */
async function definitionToRun(
  ecs: ECSClient,
  inputs: MigrationInputs,
  resolved: ResolvedRun,
  report: MigrationReport,
): Promise<TaskDefinitionJson> {
  const container = resolved.container.name;
  if (inputs.secrets.length > 0) {
    const names = inputs.secrets.map((secret) => secret.name).join(', ');
    info(`Secrets for container ${container} (references; ECS reads the values when the task starts): ${names}`);
  }
  if (!inputs.image && inputs.secrets.length === 0) return resolved.definition;
  const tags = { existing: resolved.tags, run: runTags() };
  const derivation = { container, image: inputs.image, secrets: inputs.secrets, family: inputs.family };
  const definition = await registerDerived(ecs, resolved.definition, derivation, tags);
  report.registeredFrom = report.taskDefinition;
  report.taskDefinition = shortTaskDefinition(definition.taskDefinitionArn);
  info(`Registered ${describeRef(definition)} from ${report.registeredFrom}${derivedWith(report, inputs.image)}`);
  return definition;
}

async function runAndJudge(
  ecs: ECSClient,
  aws: AwsClientConfig,
  inputs: MigrationInputs,
  { resolved, definition, report }: { resolved: ResolvedRun; definition: TaskDefinitionJson; report: MigrationReport },
  signal: AbortSignal,
): Promise<void> {
  const container = resolved.container.name;
  const request = runRequest(inputs, resolved, definition);
  info(`Running ${report.command} in container ${container} of ${describeRef(definition)} on ${inputs.cluster}`);
  const overrides = inputs.environment.map(({ name, value }) => `${name}=${displayValue(name, value)}`);
  if (overrides.length > 0) info(`Environment overrides: ${overrides.join(', ')}`);

  const startedAt = Date.now();
  const started = await startTask(ecs, request);
  if ('failures' in started) {
    for (const line of started.failures) info(`RunTask failure: ${line}`);
    report.failure = `RunTask did not start the task: ${started.failures.join('; ')}`;
    fail(`${report.label} task not started`, report.failure);
    return;
  }
  const { taskArn } = started.task;
  const taskId = taskIdOf(taskArn);
  const logs = taskLogs(aws, resolved.container, taskId, inputs.streamLogs);
  Object.assign(report, { taskId, taskUrl: taskConsoleUrl(aws.region, inputs.cluster, taskId), logUrl: logs.url });
  const { location } = logs;
  setOutputs({ 'task-arn': taskArn, 'task-id': taskId, 'log-group': location?.group, 'log-stream': location?.stream });
  setOutputs({ 'log-url': logs.url }); // set as soon as known, so a failed run has them too
  progress(`Started task ${taskId}: ${report.taskUrl}`);

  const logErrors = new LogErrorReporter();
  const watch = { cluster: inputs.cluster, taskArn, pollMs: inputs.pollSeconds * 1000, tail: logs.tail, logErrors };
  const waited = await waitForTask(ecs, { ...watch, startedAt, timeoutMs: inputs.timeoutSeconds * 1000, signal });
  const stopWanted = waited.kind === 'cancelled' ? inputs.stopOnCancel : inputs.stopOnTimeout;
  const settled = await settleTask(ecs, waited, { ...watch, timeoutMinutes: inputs.timeoutSeconds / 60, stopWanted });
  if (logs.tail) info(`${logs.tail.printed} log lines read from ${location?.stream}`);
  report.durationSeconds = durationSeconds(settled.task, waited.seconds);
  const verdictInput = {
    waited,
    settled,
    container,
    essentialContainers: resolved.essentialContainers,
    stopWanted,
    label: report.label,
  };
  // Whether the run succeeded does not depend on the log lines: they are fetched (without a tail) only for a failure.
  let verdict = judge({ ...verdictInput, lastLines: [] });
  if (!verdict.ok) {
    report.lastLines = await lastLines(aws, logs);
    verdict = judge({ ...verdictInput, lastLines: report.lastLines });
  }
  report.exitCode = verdict.exitCode;
  const { stoppedReason } = settled.task ?? {};
  setOutputs({
    'exit-code': verdict.exitCode,
    'stopped-reason': stoppedReason,
    'duration-seconds': report.durationSeconds,
  });

  if (verdict.ok) {
    for (const note of verdict.notes) warn(note, 'Sidecar');
    report.notes.push(...verdict.notes);
    progress(
      `${report.label} succeeded: container ${container} exited with 0 after ${formatSeconds(report.durationSeconds)}`,
    );
    return;
  }
  report.failure = verdict.reason;
  report.details = verdict.details;
  for (const line of verdict.details) info(line);
  fail(verdict.title, verdict.reason, verdict.body);
}
