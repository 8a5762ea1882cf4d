import type { BundleResult } from '../run-bundle.js';
import {
  BROKEN_BOOT_ERROR,
  HEALTH_PATH,
  REGRESSED_ROUTE,
  SMOKE_PATHS,
  SUPERUSER_CREATED,
  type PipelineImages,
} from './images.js';

/**
 * StartupWebApp's deploy sequence as the pipeline plays it: which action runs with which inputs, and what each run
 * should do. Pure: the judges read what a run reported (exit code, outputs, annotations, log lines).
 */

const TENANT_DATABASES = ['startupwebapp_prod', 'healthtech_experiment', 'fintech_experiment'] as const;

export type ActionName = 'run-migration' | 'deploy-service' | 'deploy-frontend' | 'rollback';

/** The backend workflow's verify job, as a script run like a bundle (relative to the repository root). */
export const VERIFY_JOB = 'sandbox/pipeline/verify-job.ts';

/** What a judge reads of a run. */
export type Observed = Pick<BundleResult, 'exitCode' | 'outputs' | 'errors' | 'lines'> &
  Partial<Pick<BundleResult, 'warnings'>>;

export interface Verdict {
  /** The run did what it should (which, for the broken image, is to fail). */
  ok: boolean;
  result: string;
}

export interface RunSpec {
  label: string;
  /** The action, or `verify` for the workflow's verify job (run from `entry`). */
  action: ActionName | 'verify';
  /** A script run instead of dist/<action>/index.js, relative to the repository root. */
  entry?: string;
  inputs: Record<string, string>;
  expected: string;
  judge(observed: Observed, context: ScenarioContext): Verdict;
}

export interface Step {
  id: string;
  title: string;
  /** Runs at once, as a matrix does; otherwise one after another. */
  parallel: boolean;
  /**
   * What happens before the step, outside any action: ECS finishing its own rollback after a failed deploy, or the
   * admin workflow's first step reading the image the service runs.
   */
  before?: 'service-steady' | 'service-image';
  runs(context: ScenarioContext): RunSpec[];
}

export interface ScenarioContext {
  cluster: string;
  service: string;
  migrationFamily: string;
  bucket: string;
  distributionId: string;
  /** Folder of the site to publish, relative to the workspace. */
  site: string;
  /** The same site with one script edited in place under its version-numbered name (see site-edit.ts). */
  editedSite: string;
  /** What deploy-service and rollback check after a rollout: the API's health path, as the workflows pass it. */
  healthCheckUrl: string;
  /** The API as the verify job reaches it (no trailing slash): its health-check and smoke routes. */
  apiUrl: string;
  images: PipelineImages;
  /** Real seconds per simulated second: the actions' poll intervals and timeouts follow it. */
  timeScale: number;
  /** What earlier steps' runs reported, by step id. */
  done: Map<string, Observed[]>;
  /** Set before the admin step: what it runs on, and the secret values it must never show. */
  admin?: AdminContext;
}

/** The admin-command workflow's run, as the pipeline plays it. */
export const ADMIN_COMMAND = {
  name: 'createsuperuser',
  commandLine: 'python manage.py createsuperuser --noinput',
  database: 'healthtech_experiment',
  family: 'startupwebapp-admin-task',
  container: 'migration',
} as const;

export interface AdminContext {
  /** The service's image, as the workflow's first step reads it from ECS. */
  image: string;
  /** The database secret's ARN: the superuser details are JSON keys of it, as today. */
  secretArn: string;
  /** Values behind the references, known to the sandbox only: none may appear in what the run reports. */
  secretValues: readonly string[];
}

/** Poll and timeout inputs scaled so the actions watch as often, in simulated time, as they would on AWS. */
export function pacing(timeScale: number): Record<string, string> {
  const round = (n: number) => String(Math.round(n * 100) / 100);
  return {
    'poll-interval-seconds': round(Math.min(300, Math.max(0.05, 5 * timeScale))),
    'timeout-minutes': round(Math.min(360, Math.max(1, 30 * timeScale))),
  };
}

/** The health-check inputs of deploy-service and rollback: the API's health path, given two simulated minutes (10 s at least). */
function healthCheck(context: ScenarioContext): Record<string, string> {
  return {
    'health-check-url': context.healthCheckUrl,
    'health-check-timeout-seconds': String(Math.max(10, Math.round(120 * context.timeScale))),
  };
}

const short = (arn: string | undefined) => (arn ? (arn.split('/').pop() as string) : '?');
const tag = (image: string) => image.slice(image.lastIndexOf(':') + 1);
const firstLine = (text: string | undefined) => (text ?? '').split('\n')[0] as string;

/** The one-line account of a run that did something else than expected. */
function unexpected(observed: Observed, what: string): Verdict {
  const error = observed.errors[0];
  const why = error ? `: ${error.title ? `${error.title}: ` : ''}${firstLine(error.message)}` : '';
  return { ok: false, result: `${what} (exit ${observed.exitCode ?? 'killed'})${why}` };
}

function migrationRun(database: string, context: ScenarioContext): RunSpec {
  return {
    label: `migrate ${database}`,
    action: 'run-migration',
    inputs: {
      cluster: context.cluster,
      service: context.service,
      'task-definition': context.migrationFamily,
      image: context.images.good,
      environment: `DATABASE_NAME=${database}`,
      ...pacing(context.timeScale),
    },
    expected: 'migrates, exit 0',
    judge: (observed) =>
      observed.exitCode === 0 && observed.outputs['exit-code'] === '0'
        ? { ok: true, result: `exit 0 · ${short(observed.outputs['task-definition-arn'])}` }
        : unexpected(observed, 'migration did not succeed'),
  };
}

export function deployRun(image: keyof PipelineImages, context: ScenarioContext): RunSpec {
  const inputs = {
    cluster: context.cluster,
    service: context.service,
    image: context.images[image],
    ...healthCheck(context),
    ...pacing(context.timeScale),
  };
  if (image !== 'broken') {
    return {
      label: `deploy ${tag(context.images[image])}`,
      action: 'deploy-service',
      inputs,
      expected: 'COMPLETED, health check 200',
      judge: (observed) => {
        const healthy = observed.lines.some((line) => /answered 200/.test(line));
        return observed.exitCode === 0 && observed.outputs.status === 'COMPLETED' && healthy
          ? { ok: true, result: `COMPLETED · ${short(observed.outputs['task-definition-arn'])} · health check 200` }
          : unexpected(
              observed,
              `status ${observed.outputs.status ?? 'unset'}${healthy ? '' : ', health check not 200'}`,
            );
      },
    };
  }
  return {
    label: `deploy ${tag(context.images.broken)} (broken)`,
    action: 'deploy-service',
    inputs,
    expected: 'fails: circuit breaker, traceback',
    judge: (observed) => {
      const status = observed.outputs.status ?? 'unset';
      const traceback = observed.errors.some((error) => error.message.includes(BROKEN_BOOT_ERROR));
      if (observed.exitCode === 1 && (status === 'ROLLED_BACK' || status === 'FAILED') && traceback) {
        return { ok: true, result: `failed as it should: ${status}, traceback shown` };
      }
      if (observed.exitCode === 0) return { ok: false, result: `reported success (status ${status})` };
      return unexpected(observed, `status ${status}${traceback ? '' : ', no traceback in the error'}`);
    },
  };
}

export function frontendRun(kind: 'first' | 'again' | 'edit', context: ScenarioContext): RunSpec {
  if (kind === 'edit') return inPlaceEditRun(context);
  return {
    label: kind === 'first' ? 'frontend, first deploy' : 'frontend, redeploy',
    action: 'deploy-frontend',
    inputs: { source: context.site, bucket: context.bucket, 'cloudfront-distribution-id': context.distributionId },
    expected: kind === 'first' ? 'uploads all, invalidates' : 'uploads nothing',
    judge: (observed) => {
      const { uploaded = '?', unchanged = '?' } = observed.outputs;
      const invalidation = observed.outputs['invalidation-id'] ?? '';
      if (observed.exitCode !== 0) return unexpected(observed, 'deploy failed');
      const ok =
        kind === 'first' ? Number(uploaded) > 0 && invalidation !== '' : uploaded === '0' && invalidation === '';
      const result =
        `${uploaded} uploaded, ${unchanged} unchanged` + (invalidation ? `, invalidation ${invalidation}` : '');
      return { ok, result };
    },
  };
}

/**
 * A script edited in place under its version-numbered name, as the client team commits: it must deploy (with the
 * default `changed-immutable: fail`), revalidating (`max-age=0`), with its path invalidated.
 */
function inPlaceEditRun(context: ScenarioContext): RunSpec {
  return {
    label: 'frontend, in-place JS edit',
    action: 'deploy-frontend',
    inputs: {
      source: context.editedSite,
      bucket: context.bucket,
      'cloudfront-distribution-id': context.distributionId,
      'changed-immutable': 'fail',
    },
    expected: 'uploads it, revalidated, invalidated',
    judge: (observed) => {
      if (observed.exitCode !== 0) return unexpected(observed, 'in-place edit refused');
      const line = observed.lines.find((l) => /^\+ \S+\.js \(content changed;/.test(l)) ?? '';
      const script = /^\+ (\S+)/.exec(line)?.[1] ?? '?';
      const revalidated = line.includes('max-age=0, must-revalidate');
      const invalidation = observed.outputs['invalidation-id'] ?? '';
      const ok = observed.outputs.uploaded === '1' && revalidated && invalidation !== '';
      return ok
        ? { ok, result: `${script} uploaded, max-age=0, must-revalidate, invalidation ${invalidation}` }
        : { ok, result: `${observed.outputs.uploaded ?? '?'} uploaded${revalidated ? '' : ', not revalidated'}` };
    },
  };
}

/**
 * `to: -1` (one revision back, the example's default; the same choice as `previous`) after the regressed release:
 * the service runs that release, the revision before it (step 4's) was rolled back by ECS, so the right target is
 * step 2's revision, and the action must say it skipped step 4's.
 */
export function rollbackRun(context: ScenarioContext): RunSpec {
  return {
    label: 'rollback to: -1',
    action: 'rollback',
    inputs: {
      cluster: context.cluster,
      service: context.service,
      to: '-1',
      ...healthCheck(context),
      ...pacing(context.timeScale),
    },
    expected: "step 2's revision, skips step 4's",
    judge: (observed) => {
      const good = context.done.get('deploy')?.[0]?.outputs['task-definition-arn'];
      const broken = context.done.get('broken')?.[0]?.outputs['task-definition-arn'];
      const to = observed.outputs['to-task-definition-arn'];
      const status = observed.outputs.status ?? 'unset';
      const skipped = /skipped (\S+) \(([A-Z_]+)\)/.exec(observed.lines.find((line) => /^Why:/.test(line)) ?? '');
      const skippedBroken = broken !== undefined && skipped?.[1] === short(broken);
      if (observed.exitCode === 0 && status === 'COMPLETED' && to !== undefined && to === good && skippedBroken) {
        const revision = skipped[1].slice(skipped[1].lastIndexOf(':'));
        return { ok: true, result: `COMPLETED · ${short(to)} · skipped ${revision} (${skipped[2]})` };
      }
      const why = skippedBroken ? '' : `, without saying it skipped ${short(broken)}`;
      return unexpected(observed, `${status}, target ${short(to)} instead of ${short(good)}${why}`);
    },
  };
}

/** The verify job's checks, as the workflow's defaults set them: /order/products as the health-check URL, then each smoke route, expecting 200. */
export function verifyRun(after: 'release' | 'rollback', context: ScenarioContext): RunSpec {
  const inputs = {
    'health-check-url': `${context.apiUrl}${HEALTH_PATH}`,
    'smoke-urls': SMOKE_PATHS.map((path) => `${context.apiUrl}${path} 200`).join('\n'),
    attempts: '3',
    'retry-seconds': String(Math.max(0.05, 5 * context.timeScale)),
  };
  const broken = `${context.apiUrl}${REGRESSED_ROUTE.path}`;
  const others = SMOKE_PATHS.filter((path) => path !== REGRESSED_ROUTE.path);
  if (after === 'release') {
    return {
      label: `verify ${tag(context.images.regressed)}`,
      action: 'verify',
      entry: VERIFY_JOB,
      inputs,
      expected: `fails: ${REGRESSED_ROUTE.path} ${REGRESSED_ROUTE.status}`,
      judge: (observed) => {
        const smoke = observed.errors.find((error) => error.title === 'Smoke check failed');
        const othersFine = others.every((path) => observed.lines.includes(`${context.apiUrl}${path} -> 200`));
        const caught = smoke?.message === `${broken} answered ${REGRESSED_ROUTE.status}, expected 200`;
        if (observed.exitCode === 1 && caught && othersFine) {
          return {
            ok: true,
            result: `failed as it should: ${REGRESSED_ROUTE.path} ${REGRESSED_ROUTE.status}, ${others.join(', ')} 200`,
          };
        }
        if (observed.exitCode === 0) {
          return {
            ok: false,
            result: `passed a release whose ${REGRESSED_ROUTE.path} answers ${REGRESSED_ROUTE.status}`,
          };
        }
        return unexpected(observed, `not the expected failure${othersFine ? '' : `, ${others.join(', ')} not 200`}`);
      },
    };
  }
  return {
    label: 'verify after the rollback',
    action: 'verify',
    entry: VERIFY_JOB,
    inputs,
    expected: 'passes',
    judge: (observed) =>
      observed.exitCode === 0 && observed.errors.length === 0
        ? { ok: true, result: `${new Set([HEALTH_PATH, ...SMOKE_PATHS]).size} URLs 200` }
        : unexpected(observed, 'smoke check still fails'),
  };
}

/** The workflow's `secrets` lines for createsuperuser. */
export function superuserSecrets(secretArn: string): string {
  return ['username', 'email', 'password']
    .map((key) => `DJANGO_SUPERUSER_${key.toUpperCase()}=${secretArn}:superuser_${key}::`)
    .join('\n');
}

/**
 * createsuperuser on one tenant, on the image the service runs, with the superuser details as Secrets Manager
 * references, registered in a family of its own; judged on exit 0, Django's "created" line, the family, and no
 * secret value anywhere in what the run reported.
 */
export function adminRun(context: ScenarioContext): RunSpec {
  const admin = context.admin ?? { image: context.images.good, secretArn: '', secretValues: [] };
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
      ...pacing(context.timeScale),
    },
    expected: 'exit 0, secrets as references',
    judge: (observed) => {
      const shown = [...observed.lines, ...observed.errors.map((e) => e.message), ...Object.values(observed.outputs)];
      if (admin.secretValues.some((value) => shown.some((text) => text.includes(value)))) {
        return { ok: false, result: 'a secret value was shown' };
      }
      const family = /task-definition\/([\w-]+:\d+)$/.exec(observed.outputs['task-definition-arn'] ?? '')?.[1];
      const created = observed.lines.includes(SUPERUSER_CREATED);
      if (observed.exitCode === 0 && created && family?.startsWith(`${ADMIN_COMMAND.family}:`)) {
        // Today's migration family holds the superuser details as plain values: the references replace them.
        const replaced = observed.warnings?.some((w) => w.title === PLAIN_VALUES_REPLACED)
          ? ' (plain values replaced)'
          : '';
        return { ok: true, result: `exit 0 · ${family} · 3 secret references${replaced}, no value shown` };
      }
      return unexpected(observed, family && !created ? `ran in ${family}, no superuser created` : 'did not succeed');
    },
  };
}

/** The title of run-migration's warning when a secret reference replaces a plain value of the base revision. */
export const PLAIN_VALUES_REPLACED = 'Plain values replaced by secret references';

/** A migration right after the admin command: the migration family must still migrate. */
function migrationAfterAdmin(context: ScenarioContext): RunSpec {
  const spec = migrationRun(ADMIN_COMMAND.database, context);
  return {
    ...spec,
    label: `then migrate ${ADMIN_COMMAND.database}`,
    expected: `migrates, in ${context.migrationFamily}`,
    judge: (observed, scenario) => {
      const verdict = spec.judge(observed, scenario);
      const family = short(observed.outputs['task-definition-arn']);
      return verdict.ok && !family.startsWith(`${context.migrationFamily}:`)
        ? { ok: false, result: `ran ${family}, not the migration family` }
        : verdict;
    },
  };
}

/**
 * The deploy workflow's migration-plan job on a release with a RemoveField: Django's plan on the three tenants, refused
 * by `destructive: fail` before any tenant is migrated.
 */
export function destructivePlanRun(context: ScenarioContext): RunSpec {
  return {
    label: `plan ${tag(context.images.destructive)} (RemoveField)`,
    action: 'run-migration',
    inputs: {
      cluster: context.cluster,
      service: context.service,
      'task-definition': context.migrationFamily,
      image: context.images.destructive,
      plan: 'only',
      'plan-databases': TENANT_DATABASES.join(','),
      destructive: 'fail',
      ...pacing(context.timeScale),
    },
    expected: 'refused, no tenant migrated',
    judge: (observed) => {
      const error = observed.errors[0];
      if (
        observed.exitCode === 1 &&
        error?.title === 'Migration plan refused' &&
        /RemoveField|Remove field/.test(error.message)
      ) {
        const migration = /^Migration (\S+)/.exec(error.message)?.[1] ?? '?';
        return { ok: true, result: `refused as it should: ${migration} · nothing applied` };
      }
      return unexpected(observed, 'the destructive migration was not refused');
    },
  };
}

export const STEPS: Step[] = [
  {
    id: 'migrate',
    title: 'Migrations on the three tenant databases (run-migration, matrix)',
    parallel: true,
    runs: (context) => TENANT_DATABASES.map((database) => migrationRun(database, context)),
  },
  {
    id: 'deploy',
    title: 'Deploy the new image (deploy-service)',
    parallel: false,
    runs: (context) => [deployRun('good', context)],
  },
  {
    id: 'frontend',
    title: 'Deploy the frontend, redeploy the same commit, then a script edited in place (deploy-frontend)',
    parallel: false,
    runs: (context) => [frontendRun('first', context), frontendRun('again', context), frontendRun('edit', context)],
  },
  {
    id: 'broken',
    title: 'Deploy a broken image (deploy-service) — expected to fail',
    parallel: false,
    runs: (context) => [deployRun('broken', context)],
  },
  {
    id: 'release',
    title: 'Deploy a release ECS calls healthy (deploy-service), then the verify job: its smoke check fails',
    parallel: false,
    before: 'service-steady',
    runs: (context) => [deployRun('regressed', context), verifyRun('release', context)],
  },
  {
    id: 'rollback',
    title: 'Roll back to the last good revision (rollback), then verify again',
    parallel: false,
    runs: (context) => [rollbackRun(context), verifyRun('rollback', context)],
  },
  {
    id: 'admin',
    title: 'An admin command on the image the service runs (run-migration, secret references), then a migration',
    parallel: false,
    before: 'service-image',
    runs: (context) => [adminRun(context), migrationAfterAdmin(context)],
  },
  {
    id: 'destructive',
    title:
      'A release with a RemoveField: the migration plan stops it before any tenant is migrated (run-migration plan)',
    parallel: false,
    runs: (context) => [destructivePlanRun(context)],
  },
];
