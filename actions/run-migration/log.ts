import type { AwslogsLocation } from '../../lib/logs/log-tail.js';
import { fail, info, printUntrusted, progress, warn } from '../../lib/runner/log.js';
import { verifyWords, type VerifyOutcome } from '../../lib/verify/verify.js';
import { formatSeconds } from '../../lib/runner/time.js';
import { CREDENTIALS_WARNING_TITLE } from '../../lib/aws/credentials-warning.js';
import { describeRef, type TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import type { MigrationInputs } from './inputs.js';
import type { PlainSecrets } from './plain-secrets.js';
import type { PlanDecision, PlanRun } from './plan-policy.js';
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

/**
 * The base revision holds plain values that belong in a secret store (names only, never a value): the ones a secret
 * reference replaces in the revision registered now, and the others, which every revision derived from it copies.
 */
export function plainSecrets(plain: PlainSecrets, container: string, base: string): void {
  const names = (list: string[]) => list.join(', ');
  if (plain.replaced.length > 0) {
    const one = plain.replaced.length === 1;
    warn(
      `Input 'secrets' replaces the plain environment value${one ? '' : 's'} of ${names(plain.replaced)} in ` +
        `container ${container} of ${base}: the revision registered now holds ${one ? 'a reference' : 'references'} ` +
        `instead. The plain value${one ? ' stays' : 's stay'} readable in the family's earlier revisions ` +
        `(ecs:DescribeTaskDefinition): rotate ${one ? 'it' : 'them'}, then register a clean base revision ` +
        `(see run-migration's README).`,
      'Plain values replaced by secret references',
    );
  }
  if (plain.kept.length > 0) {
    warn(
      `Container ${container} of ${base} holds plain environment values under secret-looking names: ` +
        `${names(plain.kept)}. Every revision derived from it copies them: move them to Secrets Manager or SSM, ` +
        `rotate them, and register a clean base revision (see run-migration's README).`,
      'Plain values under secret-looking names',
    );
  }
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

export function planning(databases: ReadonlyArray<string | undefined>, command: string): void {
  const where = databases.map((database) => database ?? 'the default database').join(', ');
  progress(`Planning before anything is applied: ${command} on ${where}`);
}

/** Each plan as Django printed it, each operation with its class; then whether the databases agree. */
export function plans(runs: readonly PlanRun[], decision: PlanDecision): void {
  for (const run of runs) {
    const where = run.database || 'the default database';
    info(`Plan on ${where}:`);
    if (!run.plan.readable) {
      info(`  unknown: the plan could not be read (${run.plan.reason}); its output:`);
      for (const line of run.lines) printUntrusted(`    ${line}`);
      continue;
    }
    if (run.plan.migrations.length === 0) info('  No planned migration operations.');
    for (const migration of run.plan.migrations) {
      printUntrusted(`  ${migration.name}`);
      for (const operation of migration.operations) {
        printUntrusted(`    [${operation.class}] ${operation.text}  (${operation.why})`);
      }
    }
  }
  if (runs.length > 1) {
    info(
      decision.same
        ? `The same plan for all ${runs.length} databases: they are at the same migration state.`
        : 'The databases are at different migration states: each has its own plan above.',
    );
  }
}

/** What the policy made of the plan: a refusal (nothing applied), a warning, or a note. */
export function planVerdict(decision: PlanDecision, policy: string, only: boolean): string | undefined {
  if (!decision.problem) {
    progress(`Plan: ${decision.worst === 'none' ? 'nothing to apply' : 'additive only'}${only ? '' : ', migrating'}`);
    return undefined;
  }
  const steps = decision.steps ?? [];
  if (!decision.apply) {
    const reason = `${decision.problem}. Nothing was applied (destructive: ${policy}).`;
    fail('Migration plan refused', reason, steps.join('\n'));
    return reason;
  }
  const applied = only ? 'the plan is allowed' : 'migrating anyway';
  if (policy === 'warn')
    warn(`${decision.problem}; ${applied} (destructive: warn).\n${steps.join('\n')}`, 'Migration plan');
  else info(`${decision.problem}; ${applied} (destructive: allow)`);
  return undefined;
}
