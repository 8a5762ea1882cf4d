import type { RunSpec, ScenarioContext, Verdict } from './scenario.js';

/**
 * The admin-command workflow's run as the pipeline plays it: createsuperuser on one tenant, on the image the service
 * runs (read from ECS before the step), with the superuser details as Secrets Manager references, in a family of its
 * own. Pure: the judge reads what the run reported.
 */

export const ADMIN_COMMAND = {
  name: 'createsuperuser',
  commandLine: 'python manage.py createsuperuser --noinput',
  database: 'healthtech_experiment',
  family: 'startupwebapp-admin-task',
  container: 'migration',
} as const;

/** What createsuperuser prints when it worked (Django's own words). */
export const SUPERUSER_CREATED = 'Superuser created successfully.';

export interface AdminContext {
  /** The service's image, as the workflow's first step reads it. */
  image: string;
  /** The database secret's ARN (the superuser details are JSON keys of it, as today). */
  secretArn: string;
  /** Values behind the references, known to the sandbox only: none may appear in what the run reports. */
  secretValues: readonly string[];
}

/** The workflow's `secrets` lines for createsuperuser. */
export function superuserSecrets(secretArn: string): string {
  return ['username', 'email', 'password']
    .map((key) => `DJANGO_SUPERUSER_${key.toUpperCase()}=${secretArn}:superuser_${key}::`)
    .join('\n');
}

export function adminRun(context: ScenarioContext, admin: AdminContext, pacing: Record<string, string>): RunSpec {
  return {
    label: `${ADMIN_COMMAND.name} on ${ADMIN_COMMAND.database}`,
    action: 'run-migration',
    inputs: {
      cluster: context.cluster,
      service: context.service,
      'task-definition': context.migrationFamily,
      container: ADMIN_COMMAND.container,
      family: ADMIN_COMMAND.family,
      image: admin.image,
      command: ADMIN_COMMAND.commandLine,
      environment: `DATABASE_NAME=${ADMIN_COMMAND.database}`,
      secrets: superuserSecrets(admin.secretArn),
      ...pacing,
    },
    expected: 'exit 0, secrets as references',
    judge: (observed) => judgeAdmin(observed, admin),
  };
}

function judgeAdmin(observed: Parameters<RunSpec['judge']>[0], admin: AdminContext): Verdict {
  const shown = [...observed.lines, ...observed.errors.map((e) => e.message), ...Object.values(observed.outputs)];
  const leaked = admin.secretValues.some((value) => shown.some((text) => text.includes(value)));
  const family = /task-definition\/([\w-]+):(\d+)$/.exec(observed.outputs['task-definition-arn'] ?? '');
  const created = observed.lines.includes(SUPERUSER_CREATED);
  if (leaked) return { ok: false, result: 'a secret value was shown' };
  if (
    observed.exitCode === 0 &&
    observed.outputs['exit-code'] === '0' &&
    created &&
    family?.[1] === ADMIN_COMMAND.family
  ) {
    return { ok: true, result: `exit 0 · ${family[1]}:${family[2]} · 3 secret references, no value shown` };
  }
  const error = observed.errors[0];
  const why = error ? `: ${error.title ? `${error.title}: ` : ''}${(error.message ?? '').split('\n')[0]}` : '';
  const what = family && family[1] !== ADMIN_COMMAND.family ? `registered in ${family[1]}` : 'did not succeed';
  return { ok: false, result: `${what} (exit ${observed.exitCode ?? 'killed'})${why}` };
}
