import { formatCommand } from './command-line.js';
import { code, link, md, Summary } from '../../lib/runner/summary.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import type { MigrationInputs } from './inputs.js';
import type { ResolvedRun } from './resolve.js';
import type { VerifyOutcome } from '../../lib/verify/verify.js';
import { addVerification } from '../../lib/verify/verify-summary.js';
import type { PlanDecision, PlanRun } from './plan-policy.js';

/** What the job summary of a migration run says; filled in as the run goes, so a failure at any step has one. */
export interface MigrationReport {
  /** `Migration`, or `Command createsuperuser` for another command. */
  label: string;
  cluster: string;
  container?: string;
  database?: string;
  taskDefinition?: string;
  /** `web-migrate:7` when `image` registered a new revision from it. */
  registeredFrom?: string;
  image?: string;
  /** `image` was given: the registered revision carries it. */
  imageChanged: boolean;
  command?: string;
  /** Names of the secret references added (`secrets`): names only, the values never reach the action. */
  secrets: string[];
  taskId?: string;
  taskUrl?: string;
  exitCode?: number;
  durationSeconds?: number;
  logUrl?: string;
  /** Set when the run failed: the one-line reason. */
  failure?: string;
  details: string[];
  notes: string[];
  lastLines: string[];
  /** What was checked before anything was registered or started; undefined with `verify: false`. */
  verification?: VerifyOutcome;
  /** The plan (plan: true or only): each database's, and what the policy made of them. */
  plan?: { runs: PlanRun[]; decision: PlanDecision; policy: string };
}

/** The report as known before anything is started. */
export function newReport(inputs: MigrationInputs, run: ResolvedRun): MigrationReport {
  const fromService = run.launch.fromService;
  return {
    label: inputs.plan === 'only' ? 'Migration plan' : runLabel(inputs.command),
    cluster: inputs.cluster,
    container: run.container.name,
    database: databaseName(inputs.environment, run.container.environment),
    taskDefinition: shortTaskDefinition(run.definition.taskDefinitionArn ?? inputs.taskDefinition),
    image: inputs.image ?? run.container.image,
    imageChanged: inputs.image !== undefined,
    command: formatCommand(inputs.command),
    secrets: inputs.secrets.map((secret) => secret.name),
    details: [],
    notes: fromService.length > 0 ? [`From service ${run.service?.serviceName}: ${fromService.join(', ')}`] : [],
    lastLines: [],
  };
}

/**
 * What a run is called: `Migration` for Django's migrate (or any command naming it), else `Command <name>` after
 * `manage.py` (an admin command such as createsuperuser), else `Command`.
 */
export function runLabel(command: readonly string[]): string {
  const manage = command.findIndex((word) => word.endsWith('manage.py'));
  const name = manage >= 0 ? command[manage + 1] : undefined;
  if (name === 'migrate' || (name === undefined && command.includes('migrate'))) return 'Migration';
  return name ? `Command ${name}` : 'Command';
}

/** The database a run targets: DATABASE_NAME from the overrides, else from the container's own environment. */
export function databaseName(
  overrides: ReadonlyArray<{ name?: string; value?: string }>,
  environment: ReadonlyArray<{ name?: string; value?: string }> = [],
): string | undefined {
  const find = (pairs: typeof overrides) => pairs.find((pair) => pair.name === 'DATABASE_NAME')?.value;
  return find(overrides) ?? find(environment);
}

export function migrationSummary(report: MigrationReport): Summary {
  const summary = new Summary();
  const database = report.database ? ` on ${report.database}` : '';
  summary.heading(`${report.label}${database} ${report.failure ? 'failed' : 'succeeded'}`);
  if (report.failure) summary.paragraph(md`**${report.failure}**`);
  const taskDefinition = report.registeredFrom
    ? `${report.taskDefinition} (registered from ${report.registeredFrom}${derivedWith(report)})`
    : report.taskDefinition;
  summary.facts([
    ['Database', report.database],
    ['Cluster', report.cluster],
    ['Task', report.taskId && report.taskUrl ? link(report.taskId, report.taskUrl) : report.taskId],
    ['Task definition', taskDefinition],
    ['Container', report.container],
    ['Image', report.image],
    ['Command', report.command ? code(report.command) : undefined],
    ['Secrets', report.secrets.length > 0 ? `${report.secrets.join(', ')} (references)` : undefined],
    ['Exit code', report.exitCode],
    ['Duration', report.durationSeconds !== undefined ? `${report.durationSeconds}s` : undefined],
    ['Logs', report.logUrl ? link('CloudWatch Logs', report.logUrl) : undefined],
  ]);
  summary.list([...report.details, ...report.notes]);
  addVerification(summary, report.verification?.text);
  if (report.plan) planSummary(summary, report.plan);
  if (report.failure && report.lastLines.length > 0) {
    summary.details(`Last ${report.lastLines.length} log lines`, report.lastLines.join('\n'));
  }
  return summary;
}

/** ` with the new image and 3 secret references` (` with image <image>` when it is named). */
export function derivedWith(report: MigrationReport, image?: string): string {
  const parts = [
    ...(report.imageChanged ? [image ? `image ${image}` : 'the new image'] : []),
    ...(report.secrets.length > 0
      ? [`${report.secrets.length} secret reference${report.secrets.length === 1 ? '' : 's'}`]
      : []),
  ];
  return parts.length > 0 ? ` with ${parts.join(' and ')}` : '';
}

/** `https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/c/tasks/id/configuration?region=us-east-1` */
export function taskConsoleUrl(region: string, cluster: string, taskId: string): string {
  const clusterName = cluster.slice(cluster.lastIndexOf('/') + 1);
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(clusterName)}/tasks/${taskId}/configuration?region=${region}`;
}

/** Each database's plan with the class of every operation (once when they are all the same), and the verdict. */
function planSummary(summary: Summary, { runs, decision, policy }: NonNullable<MigrationReport['plan']>): void {
  const where = (run: PlanRun) => run.database || 'the default database';
  summary.heading(`Migration plan: ${decision.worst} (destructive: ${policy})`, 3);
  if (runs.length > 1) {
    summary.paragraph(
      decision.same
        ? `The same plan for all ${runs.length} databases (${runs.map(where).join(', ')}): they are at the same migration state.`
        : `The databases are at different migration states: each has its own plan.`,
    );
  }
  for (const run of decision.same ? runs.slice(0, 1) : runs) {
    if (runs.length > 1 && !decision.same) summary.heading(`Plan on ${where(run)}`, 3);
    if (!run.plan.readable) {
      summary.paragraph(`Plan could not be read: ${run.plan.reason} (unknown, never taken as safe)`);
      continue;
    }
    if (run.plan.migrations.length === 0) summary.paragraph('No planned migration operations.');
    summary.table(
      ['Migration', 'Operation', 'Class'],
      run.plan.migrations.flatMap((migration) =>
        migration.operations.map((operation) => [
          migration.name,
          operation.text,
          `${operation.class}: ${operation.why}`,
        ]),
      ),
    );
  }
  if (decision.steps && decision.problem) summary.list(decision.steps);
}
