/** The GitHub workflow run an action is part of, so what it starts in AWS can be traced back to the run. */
export interface RunContext {
  repository?: string;
  workflow?: string;
  runId?: string;
  runAttempt?: string;
  sha?: string;
  serverUrl: string;
}

export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  return {
    repository: env.GITHUB_REPOSITORY || undefined,
    workflow: env.GITHUB_WORKFLOW || undefined,
    runId: env.GITHUB_RUN_ID || undefined,
    runAttempt: env.GITHUB_RUN_ATTEMPT || undefined,
    sha: env.GITHUB_SHA || undefined,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
  };
}

/** `https://github.com/owner/repo/actions/runs/123/attempts/2`, or undefined outside a run. */
export function runUrl(context: RunContext = runContext()): string | undefined {
  if (!context.repository || !context.runId) return undefined;
  const attempt = context.runAttempt ? `/attempts/${context.runAttempt}` : '';
  return `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}${attempt}`;
}

/** `workflow 'Deploy to production' run 4242 (attempt 1) of owner/repo`: how messages name the run. */
export function runLabel(context: RunContext = runContext()): string {
  if (!context.runId) return 'a workflow run outside GitHub Actions';
  const workflow = context.workflow ? `workflow '${context.workflow}' ` : '';
  const attempt = context.runAttempt ? ` (attempt ${context.runAttempt})` : '';
  const repository = context.repository ? ` of ${context.repository}` : '';
  return `${workflow}run ${context.runId}${attempt}${repository}`;
}

/**
 * ECS `startedBy` naming the run: up to 128 letters, digits, '-', '_' and '/' (RunTask rejects anything else).
 * `gha/owner_repo/4242/1`; ListTasks(startedBy) finds the run's tasks. A long repository name is shortened, never
 * the run id and attempt that make the value unique.
 */
export function startedBy(context: RunContext = runContext()): string {
  const safe = (part: string) => part.replace(/[^A-Za-z0-9_-]/g, '_');
  const run = `/${safe(context.runId ?? '0')}/${safe(context.runAttempt ?? '1')}`.slice(0, 64);
  const prefix = `gha/${safe(context.repository ?? 'local')}`;
  return prefix.slice(0, STARTED_BY_MAX - run.length) + run;
}

const STARTED_BY_MAX = 128;

/** A resource tag, in the shape ECS takes. */
export interface RunTag {
  key: string;
  value: string;
}

/** Tags identifying the run (ECS tag values: up to 256 of letters, digits, spaces and + - = . _ : / @). */
export function runTags(context: RunContext = runContext()): RunTag[] {
  const entries: Array<[string, string | undefined]> = [
    ['github:repository', context.repository],
    ['github:workflow', context.workflow],
    ['github:run-id', context.runId],
    ['github:run-attempt', context.runAttempt],
    ['github:sha', context.sha],
    ['github:run-url', runUrl(context)],
  ];
  return entries
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .map(([key, value]) => ({ key, value: tagValue(value) }));
}

function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{N} +=._:/@-]/gu, '_').slice(0, 256);
}

/** A StopTask reason (ECS keeps up to 255 characters) naming the run that stopped the task and why. */
export function stopReason(why: string, context: RunContext = runContext()): string {
  const url = runUrl(context);
  const text = `${why}: stopped by GitHub Actions ${runLabel(context)}${url ? ` ${url}` : ''}`;
  return text.length <= 255 ? text : `${text.slice(0, 254)}…`;
}
