import { formatCommand } from './command-line.js';
import { Summary } from '../../lib/runner/summary.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import type { MigrationInputs } from './inputs.js';
import type { ResolvedRun } from './resolve.js';

/** What the job summary of a migration run says; filled in as the run goes, so a failure at any step has one. */
export interface MigrationReport {
  cluster: string;
  container?: string;
  database?: string;
  taskDefinition?: string;
  /** `web-migrate:7` when `image` registered a new revision from it. */
  registeredFrom?: string;
  image?: string;
  command?: string;
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
}

/** The report as known before anything is started. */
export function newReport(inputs: MigrationInputs, run: ResolvedRun): MigrationReport {
  const fromService = run.launch.fromService;
  return {
    cluster: inputs.cluster,
    container: run.container.name,
    database: databaseName(inputs.environment, run.container.environment),
    taskDefinition: shortTaskDefinition(run.definition.taskDefinitionArn ?? inputs.taskDefinition),
    image: inputs.image ?? run.container.image,
    command: formatCommand(inputs.command),
    details: [],
    notes: fromService.length > 0 ? [`From service ${run.service?.serviceName}: ${fromService.join(', ')}`] : [],
    lastLines: [],
  };
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
  summary.heading(report.failure ? `Migration${database} failed` : `Migration${database} succeeded`);
  if (report.failure) summary.paragraph(`**${report.failure}**`);
  const taskDefinition = report.registeredFrom
    ? `${report.taskDefinition} (registered from ${report.registeredFrom} with the new image)`
    : report.taskDefinition;
  summary.facts([
    ['Database', report.database],
    ['Cluster', report.cluster],
    ['Task', report.taskId && report.taskUrl ? `[${report.taskId}](${report.taskUrl})` : report.taskId],
    ['Task definition', taskDefinition],
    ['Container', report.container],
    ['Image', report.image],
    ['Command', report.command ? `\`${report.command}\`` : undefined],
    ['Exit code', report.exitCode],
    ['Duration', report.durationSeconds !== undefined ? `${report.durationSeconds}s` : undefined],
    ['Logs', report.logUrl ? `[CloudWatch Logs](${report.logUrl})` : undefined],
  ]);
  summary.list([...report.details, ...report.notes]);
  if (report.failure && report.lastLines.length > 0) {
    summary.details(`Last ${report.lastLines.length} log lines`, report.lastLines.join('\n'));
  }
  return summary;
}

/** `https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/c/tasks/id/configuration?region=us-east-1` */
export function taskConsoleUrl(region: string, cluster: string, taskId: string): string {
  const clusterName = cluster.slice(cluster.lastIndexOf('/') + 1);
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(clusterName)}/tasks/${taskId}/configuration?region=${region}`;
}
