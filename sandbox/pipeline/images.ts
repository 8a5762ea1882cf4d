import type { Simulator } from '../sim/model.js';

/**
 * The StartupWebApp server images the pipeline ships, as the simulator plays them (and, for the API's own routes, as
 * the API stand-in answers them). Tags are commit SHAs, as the backend deploy workflow tags what it pushes to ECR.
 */

const REPOSITORY = (accountId: string, region: string) =>
  `${accountId}.dkr.ecr.${region}.amazonaws.com/startupwebapp-backend`;

export interface PipelineImages {
  /** Migrates cleanly and serves healthy. */
  good: string;
  /** Migrates, but gunicorn cannot boot Django: a setting is missing in production. */
  broken: string;
  /**
   * Boots and answers the health path (/order/products), so ECS and the deploy call it healthy, but the login-status
   * route the smoke check also calls answers 500.
   */
  regressed: string;
  /** A release whose migrations drop a column the running code still uses (a RemoveField merged on Friday). */
  destructive: string;
}

export function pipelineImages(accountId = '123456789012', region = 'us-east-1'): PipelineImages {
  const repository = REPOSITORY(accountId, region);
  return {
    good: `${repository}:4f2c9e1`,
    broken: `${repository}:9b7d3a0`,
    regressed: `${repository}:c81d2e7`,
    destructive: `${repository}:d3e4f5a`,
  };
}

const MIGRATE_OUTPUT = [
  'Operations to perform:',
  '  Apply all migrations: admin, auth, clientevent, contenttypes, order, sessions, user',
  'Running migrations:',
  '  Applying order.0007_orderconfiguration_stripe_tax... OK',
  '  Applying user.0012_member_newsletter_consent... OK',
  '  Applying clientevent.0004_pageview_referrer_index... OK',
];

/** What gunicorn prints when Django's settings refuse to load: the worker dies, then the master. */
const BROKEN_BOOT_LOG = [
  '[1] [INFO] Starting gunicorn 23.0.0',
  '[1] [INFO] Listening at: http://0.0.0.0:8000 (1)',
  '[1] [INFO] Using worker: sync',
  '[7] [INFO] Booting worker with pid: 7',
  '[7] [ERROR] Exception in worker process',
  'Traceback (most recent call last):',
  '  File "/app/StartupWebApp/wsgi.py", line 16, in <module>',
  '    application = get_wsgi_application()',
  '  File "/usr/local/lib/python3.12/site-packages/django/core/wsgi.py", line 12, in get_wsgi_application',
  '    django.setup(set_prefix=False)',
  '  File "/app/StartupWebApp/settings_production.py", line 48, in <module>',
  '    raise ImproperlyConfigured("Set the STRIPE_PUBLISHABLE_KEY environment variable")',
  'django.core.exceptions.ImproperlyConfigured: Set the STRIPE_PUBLISHABLE_KEY environment variable',
  '[7] [INFO] Worker exiting (pid: 7)',
  '[1] [ERROR] Shutting down: Master',
  '[1] [ERROR] Reason: Worker failed to boot.',
];

/** What createsuperuser prints when it worked (Django's own words). */
export const SUPERUSER_CREATED = 'Superuser created successfully.';

/** The line a reader (and the pipeline's own check) looks for in the crashed task's logs. */
export const BROKEN_BOOT_ERROR = 'django.core.exceptions.ImproperlyConfigured';

/** The route the application's load balancer and container checks use (it has no health route), and so the verify
 * job's health-check URL by default. */
export const HEALTH_PATH = '/order/products';

/** The API routes the verify job's smoke URLs check. */
export const SMOKE_PATHS = ['/user/logged-in', '/order/products'] as const;

/** What the regressed release gets wrong: a route other than the health path, answering 500 while every task is healthy. */
export const REGRESSED_ROUTE = {
  path: '/user/logged-in',
  status: 500,
  body: '{"error":"Server Error (500)"}',
} as const;

/** The destructive release's migrations, as Django's describe() words them. */
export const DESTRUCTIVE_MIGRATIONS = [
  { name: 'user.0013_member_phone_e164', operations: ['Add field phone_e164 to member'] },
  { name: 'user.0014_remove_member_legacy_phone', operations: ['Remove field legacy_phone from member'] },
];

export function defineImages(sim: Simulator, images: PipelineImages): void {
  sim.images.define(images.destructive, { startSeconds: 12, migrations: DESTRUCTIVE_MIGRATIONS });
  const migrate = {
    'python manage.py migrate*': { logLines: MIGRATE_OUTPUT, exitCode: 0, runSeconds: 25 },
    'python manage.py createsuperuser --noinput': { logLines: [SUPERUSER_CREATED], exitCode: 0, runSeconds: 8 },
  };
  sim.images.define(images.good, { startSeconds: 12, healthCheckSeconds: 8, commands: migrate });
  sim.images.define(images.regressed, { startSeconds: 12, healthCheckSeconds: 8, commands: migrate });
  sim.images.define(images.broken, {
    startSeconds: 12,
    crashAfterSeconds: 4,
    exitCode: 1,
    logLines: BROKEN_BOOT_LOG,
    commands: migrate,
  });
}
