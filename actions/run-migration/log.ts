import type { AwslogsLocation } from '../../lib/logs/log-tail.js';
import { fail, info, printUntrusted, progress, warn } from '../../lib/runner/log.js';
import { verifyWords, type VerifyOutcome } from '../../lib/verify/verify.js';
import { formatSeconds } from '../../lib/runner/time.js';
import { CREDENTIALS_WARNING_TITLE } from '../../lib/aws/credentials-warning.js';
import { describeRef, type TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import type { MigrationInputs } from './inputs.js';
import { derivedWith, type MigrationReport } from './summary.js';
import type { Verdict } from './verdict.js';
import type { WatchReporter } from './wait-for-task.js';

/** What run-migration says in the job log, step by step (the summary is summary.ts). */

/** The watching loop's lines: status changes, heartbeats, stopping, retries. */
export const watchPrinter: WatchReporter = {
  onProgress: (line) => progress(line),
  onWarning: (message, title) => warn(message, title),
};

export function credentialsExpiring(warning: string | undefined): void {
  if (warning) warn(warning, CREDENTIALS_WARNING_TITLE);
}

/** What was checked before the first change; a missing one fails the run (the summary says it too). */
export function verification(report: MigrationReport, outcome: VerifyOutcome | undefined): void {
  const words = verifyWords(outcome, 'no task registered or started');
  for (const line of words.lines) printUntrusted(line);
  for (const warning of words.warnings) warn(warning, words.warningTitle);
  if (!words.failure) return;
  report.failure = words.failure.reason;
  fail(words.failure.title, words.failure.reason, words.failure.body);
}

/** The notes known before the run (`From service web: …`). */
export function notes(report: MigrationReport): void {
  for (const note of report.notes) info(note);
}

/** The secret references added to the container: names only, the values never reach the action. */
export function secretReferences(container: string, secrets: MigrationInputs['secrets']): void {
  if (secrets.length === 0) return;
  const names = secrets.map((secret) => secret.name).join(', ');
  info(`Secrets for container ${container} (references; ECS reads the values when the task starts): ${names}`);
}

export function registered(definition: TaskDefinitionJson, report: MigrationReport, image: string | undefined): void {
  info(`Registered ${describeRef(definition)} from ${report.registeredFrom}${derivedWith(report, image)}`);
}

/** What is about to run, where, and which environment variables it overrides (names only, never values). */
export function running(
  report: MigrationReport,
  container: string,
  definition: TaskDefinitionJson,
  inputs: MigrationInputs,
): void {
  info(`Running ${report.command} in container ${container} of ${describeRef(definition)} on ${inputs.cluster}`);
  const names = inputs.environment.map(({ name }) => name);
  if (names.length > 0) info(`Environment overrides (names; values not shown): ${names.join(', ')}`);
}

/** RunTask answered with failures: each one in the log, then one error annotation. */
export function notStarted(report: MigrationReport, failures: string[]): void {
  for (const line of failures) info(`RunTask failure: ${line}`);
  report.failure = `RunTask did not start the task: ${failures.join('; ')}`;
  fail(`${report.label} task not started`, report.failure);
}

export function started(report: MigrationReport): void {
  progress(`Started task ${report.taskId}: ${report.taskUrl}`);
}

export function noAwslogs(container: string | undefined): void {
  warn(
    `Container ${container} does not log with awslogs (with a stream prefix): its output cannot be shown here`,
    'Logs',
  );
}

/** One event of the task's log, printed as the text it is. */
export function taskLogEvent(message: string): void {
  printUntrusted(message);
}

export function followingLogs(location: AwslogsLocation): void {
  info(`Logs: ${location.group} ${location.stream}`);
}

export function logLinesRead(printed: number, stream: string | undefined): void {
  info(`${printed} log lines read from ${stream}`);
}

/** The outcome: success as progress (sidecar notes as warnings), failure as its details and one error annotation. */
export function outcome(report: MigrationReport, container: string, verdict: Verdict): void {
  if (verdict.ok) {
    for (const note of verdict.notes) warn(note, 'Sidecar');
    report.notes.push(...verdict.notes);
    progress(
      `${report.label} succeeded: container ${container} exited with 0 after ${formatSeconds(report.durationSeconds!)}`,
    );
    return;
  }
  report.failure = verdict.reason;
  report.details = verdict.details;
  for (const line of verdict.details) info(line);
  fail(verdict.title, verdict.reason, verdict.body);
}
