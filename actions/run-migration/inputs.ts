import { hideValue, InputError, type Inputs, type KeyValue } from '../../lib/runner/inputs.js';
import { parseCommand } from './command-line.js';
import { isTaskDefinitionRef } from '../../lib/ecs/task-definitions.js';
import type { ExplicitLaunch } from './task-run.js';
import { parseSecretReferences, secretsAlsoInEnvironment, type SecretReference } from './secret-references.js';

const DEFAULT_COMMAND = 'python manage.py migrate --noinput';

export interface MigrationInputs {
  cluster: string;
  taskDefinition?: string;
  service?: string;
  launch: ExplicitLaunch;
  image?: string;
  container?: string;
  command: string[];
  environment: KeyValue[];
  /** Secret references added to `container` in the revision this action registers. */
  secrets: SecretReference[];
  /** The family that revision is registered in, when not the task definition's own. */
  family?: string;
  timeoutSeconds: number;
  pollSeconds: number;
  stopOnTimeout: boolean;
  stopOnCancel: boolean;
  streamLogs: boolean;
  /** Check images, secrets and log groups before registering or starting anything. */
  verify: boolean;
  /** report-last-lines: the task's last log lines in the annotation and the summary (false for admin commands). */
  reportLastLines: boolean;
  /** `migrate --plan` first: `off`, `on` (then migrate if the policy lets it), `only` (plan and judge, apply nothing). */
  plan: 'off' | 'on' | 'only';
  /** What a plan that is not additive does: stop (`fail`), apply with a warning (`warn`), apply (`allow`). */
  destructive: 'fail' | 'warn' | 'allow';
  /** DATABASE_NAME of each tenant to plan (one plan task each); empty: the run's own database. */
  planDatabases: string[];
}

/** Reads and validates every input of the action; throws InputError (one line naming the input) on bad input. */
export function readMigrationInputs(inputs: Inputs): MigrationInputs {
  const cluster = inputs.string('cluster', { required: true });
  const taskDefinitionText = inputs.optionalString('task-definition');
  if (taskDefinitionText !== undefined && !isTaskDefinitionRef(taskDefinitionText)) {
    throw new InputError(
      `Input 'task-definition' must be a task definition family, family:revision or ARN, got '${taskDefinitionText}'`,
    );
  }
  const taskDefinition = taskDefinitionText;
  const service = inputs.optionalString('service');
  if (!taskDefinition && !service) {
    throw new InputError(`Input 'task-definition' is required when no 'service' is given to take it from`);
  }
  const image = inputs.optionalString('image');
  if (image !== undefined && /\s/.test(image)) {
    throw new InputError(`Input 'image' must be an image reference without spaces, got '${image}'`);
  }
  const environment = inputs.keyValues('environment');
  const secrets = parseSecretReferences('secrets', inputs.raw('secrets'), hideValue);
  const [both] = secretsAlsoInEnvironment(secrets, environment);
  if (both) {
    throw new InputError(`Input 'secrets' sets ${both}, which input 'environment' sets too: give it one way only`);
  }
  const family = readFamily(inputs, image !== undefined || secrets.length > 0);
  const command = parseCommand('command', inputs.string('command', { default: DEFAULT_COMMAND }));
  return {
    cluster,
    ...(taskDefinition ? { taskDefinition } : {}),
    ...(service ? { service } : {}),
    launch: readLaunch(inputs),
    ...(image ? { image } : {}),
    ...(inputs.optionalString('container') ? { container: inputs.raw('container') } : {}),
    command,
    environment,
    secrets,
    ...(family ? { family } : {}),
    timeoutSeconds: inputs.number('timeout-minutes', { min: 0.01, max: 360, default: 20 }) * 60,
    pollSeconds: inputs.number('poll-interval-seconds', { min: 0.01, max: 300, default: 5 }),
    stopOnTimeout: inputs.boolean('stop-on-timeout', true),
    stopOnCancel: inputs.boolean('stop-on-cancel', true),
    streamLogs: inputs.boolean('stream-logs', true),
    verify: inputs.boolean('verify', true),
    reportLastLines: inputs.boolean('report-last-lines', true),
    ...readPlan(inputs, command),
  };
}

/** `plan`, `destructive` and `plan-databases`: the plan is Django's migrate's, so the command must be migrate. */
function readPlan(inputs: Inputs, command: string[]): Pick<MigrationInputs, 'plan' | 'destructive' | 'planDatabases'> {
  const planText = (inputs.optionalString('plan') ?? 'false').toLowerCase();
  const plans = { false: 'off', true: 'on', only: 'only' } as const;
  if (!(planText in plans)) {
    throw new InputError(`Input 'plan' must be one of true, false, only, got '${inputs.raw('plan')}'`);
  }
  const plan = plans[planText as keyof typeof plans];
  const destructive = (inputs.optionalString('destructive') ?? 'fail').toLowerCase();
  if (destructive !== 'fail' && destructive !== 'warn' && destructive !== 'allow') {
    throw new InputError(`Input 'destructive' must be one of fail, warn, allow, got '${inputs.raw('destructive')}'`);
  }
  const planDatabases = inputs.list('plan-databases');
  const bad = planDatabases.find((name) => !/^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/.test(name));
  if (bad !== undefined) throw new InputError(`Input 'plan-databases' must list database names, got '${bad}'`);
  if (plan !== 'off') {
    const manage = command.findIndex((word) => word.endsWith('manage.py'));
    if (manage < 0 || command[manage + 1] !== 'migrate') {
      throw new InputError(`Input 'plan' applies to Django's migrate command, not to '${command.join(' ')}'`);
    }
    if (plan === 'on' && planDatabases.length > 1) {
      throw new InputError(
        `Input 'plan-databases' lists several databases: use 'plan: only' (this run migrates one database)`,
      );
    }
  } else if (planDatabases.length > 0) {
    throw new InputError(`Input 'plan-databases' applies with 'plan: true' or 'plan: only'`);
  }
  return { plan, destructive, planDatabases };
}

/** `family`: only for a revision this action registers (with `image` or `secrets`). */
function readFamily(inputs: Inputs, registers: boolean): string | undefined {
  const family = inputs.optionalString('family');
  if (family === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw new InputError(
      `Input 'family' must be a task definition family name (letters, digits, _ and -), got '${family}'`,
    );
  }
  if (!registers) {
    throw new InputError(`Input 'family' applies to a revision this action registers: give 'image' or 'secrets' too`);
  }
  return family;
}

function readLaunch(inputs: Inputs): ExplicitLaunch {
  const subnets = validList(inputs, 'subnets', /^subnet-[A-Za-z0-9]+$/, 'subnet-0abc123');
  const securityGroups = validList(inputs, 'security-groups', /^sg-[A-Za-z0-9]+$/, 'sg-0abc123');
  const publicIp = inputs.raw('assign-public-ip').toUpperCase();
  if (publicIp !== '' && publicIp !== 'ENABLED' && publicIp !== 'DISABLED') {
    throw new InputError(
      `Input 'assign-public-ip' must be one of ENABLED, DISABLED, got '${inputs.raw('assign-public-ip')}'`,
    );
  }
  const launchType = inputs.raw('launch-type').toUpperCase();
  const launchTypes = ['FARGATE', 'EC2', 'EXTERNAL', 'MANAGED_INSTANCES'];
  if (launchType !== '' && !launchTypes.includes(launchType)) {
    throw new InputError(
      `Input 'launch-type' must be one of ${launchTypes.join(', ')}, got '${inputs.raw('launch-type')}'`,
    );
  }
  const platformVersion = inputs.optionalString('platform-version');
  if (platformVersion && !/^(LATEST|\d+\.\d+\.\d+)$/.test(platformVersion)) {
    throw new InputError(`Input 'platform-version' must be LATEST or a version like 1.4.0, got '${platformVersion}'`);
  }
  return {
    subnets,
    securityGroups,
    ...(publicIp ? { assignPublicIp: publicIp as 'ENABLED' | 'DISABLED' } : {}),
    ...(launchType ? { launchType } : {}),
    ...(platformVersion ? { platformVersion } : {}),
  };
}

function validList(inputs: Inputs, name: string, pattern: RegExp, example: string): string[] {
  const items = inputs.list(name);
  const bad = items.find((item) => !pattern.test(item));
  if (bad !== undefined) throw new InputError(`Input '${name}' must list IDs like '${example}', got '${bad}'`);
  return items;
}
