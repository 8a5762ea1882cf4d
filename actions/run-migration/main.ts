import { randomUUID } from 'node:crypto';
import { RunTaskCommand, type ECSClient, type Tag, type Task } from '@aws-sdk/client-ecs';
import type { AwsClientConfig } from '../shared/aws-config.js';
import { ecsClient, logsClient } from '../shared/aws-clients.js';
import { fail, info, progress, setOutputs, warn } from '../shared/report.js';
import { displayValue, maskSecretValues } from '../shared/secrets.js';
import { chooseContainer, describeRef, shortTaskDefinition, withContainerChanges } from '../shared/task-definitions.js';
import { registerTaskDefinition } from '../shared/task-definition-api.js';
import {
  awslogsLocation,
  lastLogLines,
  logConsoleUrl,
  LogTail,
  printLogMessage,
  type AwslogsLocation,
} from '../shared/log-tail.js';
import { formatCommand } from '../shared/command-line.js';
import { decideOutcome, describeRunTaskFailures, planLaunch, runTaskRequest } from '../shared/task-run.js';
import { runContext, runTags, startedBy, stopReason } from '../shared/run-context.js';
import { taskIdOf } from '../shared/stopped-tasks.js';
import type { MigrationInputs } from './inputs.js';
import { checkCluster, findService, loadTaskDefinition } from './resolve.js';
import {
  errorText,
  formatSeconds,
  pollLogs,
  stopTask,
  waitForStop,
  waitForTask,
  type WaitResult,
} from './wait-for-task.js';
import { migrationSummary, taskConsoleUrl, type MigrationReport } from './migration-report.js';

const LAST_LINES = 50;
/** How long to wait for the task to reach STOPPED after StopTask (the runner kills a cancelled step after ~10 s). */
const CANCEL_GRACE_MS = 5_000;
const TIMEOUT_GRACE_MS = 60_000;

export async function run(
  { inputs, aws }: { inputs: MigrationInputs; aws: AwsClientConfig },
  signal: AbortSignal = new AbortController().signal,
): Promise<void> {
  maskSecretValues(inputs.environment);
  const ecs = ecsClient(aws);

  // Check everything named exists (read-only) before registering or running anything.
  await checkCluster(ecs, inputs.cluster);
  const service = inputs.service ? await findService(ecs, inputs.cluster, inputs.service) : undefined;
  const ref = inputs.taskDefinition ?? (service?.taskDefinition as string);
  const described = await loadTaskDefinition(ecs, ref, inputs.taskDefinition ? 'task-definition' : 'service');
  const container = chooseContainer(described.definition, inputs.container);
  const containerName = container.name as string;
  maskSecretValues(container.environment ?? []);
  const launch = planLaunch(inputs.launch, service, described.definition.networkMode as string | undefined);
  if (signal.aborted) throw signal.reason; // runAction's CancelledError: nothing was started yet

  const report: MigrationReport = {
    cluster: inputs.cluster,
    container: containerName,
    database: databaseName(inputs, container.environment),
    taskDefinition: shortTaskDefinition(described.definition.taskDefinitionArn ?? ref),
    image: inputs.image ?? container.image,
    command: formatCommand(inputs.command),
    details: [],
    notes:
      launch.fromService.length > 0 ? [`From service ${service?.serviceName}: ${launch.fromService.join(', ')}`] : [],
    lastLines: [],
  };
  try {
    let definition = described.definition;
    if (inputs.image) {
      const changed = withContainerChanges(definition, containerName, { image: inputs.image });
      definition = await registerTaskDefinition(ecs, changed, mergeTags(described.tags, runTags()));
      report.registeredFrom = report.taskDefinition;
      report.taskDefinition = shortTaskDefinition(definition.taskDefinitionArn ?? '?');
      info(`Registered ${describeRef(definition)} from ${report.registeredFrom} with image ${inputs.image}`);
    }
    setOutputs({ 'task-definition-arn': definition.taskDefinitionArn });
    if (launch.fromService.length > 0) info(`From service ${service?.serviceName}: ${launch.fromService.join(', ')}`);
    await runAndWatch(ecs, aws, inputs, { definition, containerName, launch, report }, signal);
  } catch (error) {
    report.failure ??= errorText(error);
    throw error;
  } finally {
    await migrationSummary(report).write();
  }
}

interface Plan {
  definition: Awaited<ReturnType<typeof registerTaskDefinition>>;
  containerName: string;
  launch: ReturnType<typeof planLaunch>;
  report: MigrationReport;
}

async function runAndWatch(
  ecs: ECSClient,
  aws: AwsClientConfig,
  inputs: MigrationInputs,
  { definition, containerName, launch, report }: Plan,
  signal: AbortSignal,
): Promise<void> {
  const context = runContext();
  const request = runTaskRequest({
    cluster: inputs.cluster,
    taskDefinitionArn: definition.taskDefinitionArn as string,
    container: containerName,
    command: inputs.command,
    environment: inputs.environment,
    launch,
    startedBy: startedBy(context),
    tags: runTags(context),
    clientToken: randomUUID(),
  });
  const overrides = inputs.environment.map(({ name, value }) => `${name}=${displayValue(name, value)}`);
  info(`Running ${report.command} in container ${containerName} of ${describeRef(definition)} on ${inputs.cluster}`);
  if (overrides.length > 0) info(`Environment overrides: ${overrides.join(', ')}`);

  if (signal.aborted) throw signal.reason;
  const started = Date.now();
  const response = await ecs.send(new RunTaskCommand(request));
  const task = response.tasks?.[0];
  if (!task?.taskArn) {
    const failures = describeRunTaskFailures(response.failures ?? []);
    for (const line of failures) info(`RunTask failure: ${line}`);
    report.failure = `RunTask did not start the task: ${failures.join('; ') || 'no task and no failure returned'}`;
    fail('Migration task not started', report.failure);
    return;
  }
  const taskId = taskIdOf(task.taskArn);
  const location = awslogsLocation(container(definition, containerName), taskId);
  report.taskId = taskId;
  report.taskUrl = taskConsoleUrl(aws.region, inputs.cluster, taskId);
  report.logUrl = location ? logConsoleUrl(location.region ?? aws.region, location) : undefined;
  setOutputs({
    'task-arn': task.taskArn,
    'task-id': taskId,
    'log-group': location?.group,
    'log-stream': location?.stream,
    'log-url': report.logUrl,
  });
  progress(`Started task ${taskId}: ${report.taskUrl}`);

  let tail: LogTail | undefined;
  if (!location) {
    warn(
      `Container ${containerName} does not log with awslogs (with a stream prefix): its output cannot be shown here`,
      'Logs',
    );
  } else if (inputs.streamLogs) {
    info(`Logs: ${location.group} ${location.stream}`);
    tail = new LogTail(logsClient({ ...aws, region: location.region ?? aws.region }), location, {
      keepLast: LAST_LINES,
      onEvent: (event) => printLogMessage(event.message ?? ''),
    });
  }

  const waited = await waitForTask(ecs, {
    cluster: inputs.cluster,
    taskArn: task.taskArn,
    pollMs: inputs.pollSeconds * 1000,
    timeoutMs: inputs.timeoutSeconds * 1000,
    signal,
    ...(tail ? { tail } : {}),
  });
  const finalTask = await finish(ecs, inputs, waited, task.taskArn, tail, context);
  const elapsed = (Date.now() - started) / 1000;
  report.durationSeconds = Math.round(elapsed * 10) / 10;
  report.lastLines = tail ? tail.lastLines(LAST_LINES) : await fetchLastLines(aws, location);
  if (tail) info(`${tail.printed} log lines read from ${location?.stream}`);
  setOutputs({ 'duration-seconds': report.durationSeconds, 'stopped-reason': finalTask?.stoppedReason });

  if (waited.kind !== 'stopped') {
    const how =
      waited.kind === 'timeout'
        ? `Timed out after ${formatSeconds(elapsed)}`
        : `Cancelled after ${formatSeconds(elapsed)}`;
    const stop = waited.kind === 'timeout' ? inputs.stopOnTimeout : inputs.stopOnCancel;
    const state = `the task was ${waited.task?.lastStatus ?? 'not yet described'}`;
    const action = stop
      ? `and was stopped${finalTask?.lastStatus === 'STOPPED' ? '' : ' (still stopping)'}`
      : 'and was left running';
    report.failure = `${how}: ${state} ${action}`;
    fail(
      waited.kind === 'timeout' ? 'Migration timed out' : 'Migration cancelled',
      report.failure,
      lastLinesBody(report),
    );
    return;
  }

  const outcome = decideOutcome(finalTask ?? waited.task, containerName, essentialNames(definition));
  report.details = outcome.ok ? [] : outcome.details;
  report.notes.push(...(outcome.ok ? outcome.notes : []));
  if (outcome.exitCode !== undefined) report.exitCode = outcome.exitCode;
  setOutputs({ 'exit-code': outcome.exitCode });
  if (outcome.ok) {
    for (const note of outcome.notes) warn(note, 'Sidecar');
    progress(`Migration succeeded: container ${containerName} exited with code 0 after ${formatSeconds(elapsed)}`);
    return;
  }
  report.failure = outcome.reason;
  for (const line of outcome.details) info(line);
  const body = outcome.kind === 'failed-to-start' ? outcome.details.join('\n') : lastLinesBody(report);
  fail(
    outcome.kind === 'failed-to-start' ? 'Migration task failed to start' : 'Migration failed',
    outcome.reason,
    body,
  );
}

/** After waiting: stop the task when timed out or cancelled (unless told not to), then read the logs to the end. */
async function finish(
  ecs: ECSClient,
  inputs: MigrationInputs,
  waited: WaitResult,
  taskArn: string,
  tail: LogTail | undefined,
  context: ReturnType<typeof runContext>,
): Promise<Task | undefined> {
  const pollMs = inputs.pollSeconds * 1000;
  if (waited.kind === 'stopped') {
    if (tail) await tail.drain({ pollMs: Math.min(pollMs, 2000) }).catch(() => pollLogs(tail));
    return waited.task;
  }
  const cancelled = waited.kind === 'cancelled';
  if (!(cancelled ? inputs.stopOnCancel : inputs.stopOnTimeout)) {
    if (tail) await pollLogs(tail);
    return waited.task;
  }
  const why = cancelled ? 'Workflow run cancelled' : `Timed out after ${inputs.timeoutSeconds / 60} minutes`;
  progress(`Stopping task ${taskIdOf(taskArn)}: ${why}`);
  try {
    await stopTask(ecs, inputs.cluster, taskArn, stopReason(why, context));
  } catch (error) {
    warn(`StopTask failed: ${error instanceof Error ? error.message : String(error)}`, 'Stop');
  }
  const grace = cancelled ? CANCEL_GRACE_MS : TIMEOUT_GRACE_MS;
  const task = await waitForStop(ecs, {
    cluster: inputs.cluster,
    taskArn,
    pollMs: Math.min(pollMs, 500),
    graceMs: grace,
    ...(tail ? { tail } : {}),
  });
  if (task?.lastStatus === 'STOPPED') progress(`Task ${taskIdOf(taskArn)} stopped: ${task.stoppedReason ?? ''}`);
  if (tail && !cancelled) await tail.drain({ pollMs: Math.min(pollMs, 2000) }).catch(() => undefined);
  return task ?? waited.task;
}

/** With stream-logs off, the last lines are still fetched once for the failure report. */
async function fetchLastLines(aws: AwsClientConfig, location: AwslogsLocation | undefined): Promise<string[]> {
  if (!location) return [];
  try {
    const logs = logsClient({ ...aws, region: location.region ?? aws.region });
    return await lastLogLines(logs, location.group, location.stream, LAST_LINES);
  } catch {
    return [];
  }
}

function container(definition: Plan['definition'], name: string) {
  return (definition.containerDefinitions ?? []).find((c) => c.name === name) ?? { name };
}

function essentialNames(definition: Plan['definition']): string[] {
  return (definition.containerDefinitions ?? []).filter((c) => c.essential !== false).map((c) => c.name ?? '');
}

function lastLinesBody(report: MigrationReport): string | undefined {
  if (report.lastLines.length === 0) return undefined;
  return `Last ${report.lastLines.length} log lines:\n${report.lastLines.join('\n')}`;
}

/** The database a run targets: DATABASE_NAME from the overrides, else from the container's own environment. */
function databaseName(
  inputs: MigrationInputs,
  environment: Array<{ name?: string; value?: string }> = [],
): string | undefined {
  return (
    inputs.environment.find((pair) => pair.name === 'DATABASE_NAME')?.value ??
    environment.find((pair) => pair.name === 'DATABASE_NAME')?.value
  );
}

function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(existing.map((tag) => [tag.key, tag.value]));
  for (const tag of added) merged.set(tag.key, tag.value);
  return [...merged].slice(0, 50).map(([key, value]) => ({ key, value }));
}
