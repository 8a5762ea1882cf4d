import type { ECSClient } from '@aws-sdk/client-ecs';
import type { AwsClientConfig } from '../../lib/aws/config.js';
import type { StoryContext } from '../../lib/runner/run-action.js';
import { ecsClient } from '../../lib/aws/clients.js';
import { credentialsExpiryWarning } from '../../lib/aws/credentials-warning.js';
import { setOutputs } from '../../lib/runner/outputs.js';
import { runTags } from '../../lib/runner/run-context.js';
import { maskSecretValues } from '../../lib/runner/secrets.js';
import { taskIdOf } from '../../lib/ecs/stopped-tasks.js';
import { describeRef, shortTaskDefinition, type TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import type { MigrationInputs } from './inputs.js';
import * as log from './log.js';
import { databaseName, migrationSummary, newReport, taskConsoleUrl, type MigrationReport } from './summary.js';
import { formatCommand } from './command-line.js';
import { decide } from './plan-policy.js';
import { planCommand, runPlanTask } from './plan-task.js';
import { resolveRun, type ResolvedRun } from './resolve.js';
import { followTask } from './follow-task.js';
import { derivedDefinition, registerDerived, runRequest, type Derivation } from './start-task.js';
import { verifyBeforeChange } from '../../lib/verify/verify.js';
import { startTask } from './task-api.js';
import { lastLines, taskLogs } from './task-logs.js';
import { durationSeconds, judge } from './verdict.js';
import { errorText } from '../../lib/runner/error-text.js';
import { now } from '../../lib/runner/time.js';

/** The story: check what the inputs name, (register the image,) run the task, follow it and its logs, judge, report. */
export async function run(inputs: MigrationInputs, { aws, signal }: StoryContext<AwsClientConfig>): Promise<void> {
  maskSecretValues(inputs.environment);
  const ecs = ecsClient(aws);
  // Read-only: bad input fails here, before anything is registered or run.
  const resolved = await resolveRun(ecs, inputs);
  // The plain values a secret reference replaces are dropped, never used: not even a mask command names them.
  const replaced = new Set(resolved.plain.replaced);
  maskSecretValues((resolved.container.environment ?? []).filter((pair) => !replaced.has(pair.name ?? '')));
  log.plainSecrets(resolved.plain, resolved.container.name, describeRef(resolved.definition));
  log.credentialsExpiring(await credentialsExpiryWarning(ecs, { wait: true, timeoutSeconds: inputs.timeoutSeconds }));
  const report = newReport(inputs, resolved);
  try {
    // What the task needs must exist before anything is registered or started.
    report.verification = inputs.verify ? await verifyBeforeChange(toRun(inputs, resolved), aws) : undefined;
    log.verification(report, report.verification);
    if (report.verification?.failed) return;
    signal.throwIfAborted(); // cancelled before anything was started
    const definition = await definitionToRun(ecs, inputs, resolved, report);
    setOutputs({ 'task-definition-arn': definition.taskDefinitionArn });
    log.notes(report);
    signal.throwIfAborted();
    if (inputs.plan !== 'off' && !(await planFirst(ecs, aws, inputs, { resolved, definition, report }, signal))) return;
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
  log.secretReferences(container, inputs.secrets);
  if (!inputs.image && inputs.secrets.length === 0) return resolved.definition;
  const tags = { existing: resolved.tags, run: runTags() };
  const definition = await registerDerived(ecs, resolved.definition, derivationOf(inputs, resolved), tags);
  report.registeredFrom = report.taskDefinition;
  report.taskDefinition = shortTaskDefinition(definition.taskDefinitionArn);
  log.registered(definition, report, inputs.image);
  return definition;
}

function derivationOf(inputs: MigrationInputs, resolved: ResolvedRun): Derivation {
  return { container: resolved.container.name, image: inputs.image, secrets: inputs.secrets, family: inputs.family };
}

/** The task definition the task will run: the derived revision (image, secrets) or the one named. */
function toRun(inputs: MigrationInputs, resolved: ResolvedRun): TaskDefinitionJson {
  if (!inputs.image && inputs.secrets.length === 0) return resolved.definition;
  return derivedDefinition(resolved.definition, derivationOf(inputs, resolved));
}

/**
 * `migrate --plan` first, once per database to plan (in parallel), on the revision the migration will run; the policy
 * decides before anything is applied. Answers whether to go on and migrate.
 */
async function planFirst(
  ecs: ECSClient,
  aws: AwsClientConfig,
  inputs: MigrationInputs,
  { resolved, definition, report }: { resolved: ResolvedRun; definition: TaskDefinitionJson; report: MigrationReport },
  signal: AbortSignal,
): Promise<boolean> {
  const databases: Array<string | undefined> =
    inputs.planDatabases.length > 0 ? inputs.planDatabases : [databaseName(inputs.environment)];
  log.planning(databases, formatCommand(planCommand(inputs.command)));
  const runs = await Promise.all(
    databases.map((database) =>
      runPlanTask(ecs, aws, inputs, { resolved, definition, ...(database ? { database } : {}) }, signal),
    ),
  );
  signal.throwIfAborted();
  const decision = decide(runs, inputs.destructive);
  report.plan = { runs, decision, policy: inputs.destructive };
  log.plans(runs, decision);
  setOutputs({ 'plan-class': decision.worst, 'plan-same': decision.same });
  const refusal = log.planVerdict(decision, inputs.destructive, inputs.plan === 'only');
  if (refusal) report.failure = refusal;
  return decision.apply && inputs.plan === 'on';
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
  log.running(report, container, definition, inputs);

  const startedAt = now();
  const started = await startTask(ecs, request);
  if ('failures' in started) {
    log.notStarted(report, started.failures);
    return;
  }
  const { taskArn } = started.task;
  const taskId = taskIdOf(taskArn);
  const logs = taskLogs(aws, resolved.container, taskId, inputs.streamLogs);
  Object.assign(report, { taskId, taskUrl: taskConsoleUrl(aws.region, inputs.cluster, taskId), logUrl: logs.url });
  const { location } = logs;
  setOutputs({ 'task-arn': taskArn, 'task-id': taskId, 'log-group': location?.group, 'log-stream': location?.stream });
  setOutputs({ 'log-url': logs.url }); // set as soon as known, so a failed run has them too
  log.started(report);

  const { waited, settled, stopWanted } = await followTask(
    ecs,
    inputs,
    { taskArn, startedAt, tail: logs.tail },
    signal,
  );
  if (logs.tail) log.logLinesRead(logs.tail.printed, location?.stream);
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
  if (!verdict.ok && inputs.reportLastLines) {
    report.lastLines = await lastLines(aws, logs);
    verdict = judge({ ...verdictInput, lastLines: report.lastLines });
  }
  if (!verdict.ok && !inputs.reportLastLines && !verdict.body) {
    const where = logs.url ? `: ${logs.url}` : '';
    verdict = {
      ...verdict,
      body: `The task's log lines are left out (report-last-lines: false); read them in CloudWatch Logs${where}`,
    };
  }
  report.exitCode = verdict.exitCode;
  const { stoppedReason } = settled.task ?? {};
  setOutputs({
    'exit-code': verdict.exitCode,
    'stopped-reason': stoppedReason,
    'duration-seconds': report.durationSeconds,
  });

  log.outcome(report, container, verdict);
}
