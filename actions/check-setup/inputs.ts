import { hideValue, InputError, type Inputs } from '../../lib/runner/inputs.js';
import { SCOPES, type Scope } from './scopes.js';

/** Every input of check-setup, read and validated before any call. Defaults are StartupWebApp's names today. */
export interface CheckSetupInputs {
  scope: Scope;
  aws: AwsSettings;
  github: GithubSettings;
  healthCheckUrl?: string;
}

export interface AwsSettings {
  /** The role this job runs under, whose permissions are simulated; undefined: not checked. */
  roleArn?: string;
  cluster: string;
  service: string;
  /** The family the service runs, and the one run-migration runs. */
  serviceFamily: FamilySettings;
  migrationFamily: FamilySettings;
  targetGroup: string;
  healthCheckPath: string;
  ecrRepository: string;
  requireImmutableTags: boolean;
  bucket: string;
  /** Empty when the caller's variable is not set: reported, not refused. */
  distributionId: string;
}

/** A task definition family, its container and the log group that container writes to. */
export interface FamilySettings {
  family: string;
  container: string;
  logGroup: string;
}

export interface GithubSettings {
  /** owner/name of the repository whose callers are checked. */
  repository: string;
  environment: string;
  deployBranch: string;
  /** Expected values of variables (for fixes, and to compare), `NAME=value`. */
  expectedVariables: Map<string, string>;
  /** The client repository the backend dispatches to; undefined: no dispatch check. */
  dispatchRepository?: string;
  dispatchEventType: string;
  dispatchWorkflow: string;
  /** Reads the repository's workflows, variables, secrets (names) and environment. Never printed. */
  token: string;
  /** The App token or fallback token the backend dispatches with; empty: not checked. Never printed. */
  dispatchToken: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function readCheckSetupInputs(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): CheckSetupInputs {
  if (inputs.raw('scope') === '') throw new InputError(`Input 'scope' is required: one of ${SCOPES.join(', ')}`);
  const scope = inputs.choice('scope', SCOPES, 'github');
  const roleArn = inputs.optionalString('role-arn');
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
    throw new InputError(
      `Input 'role-arn' must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got '${roleArn}'`,
    );
  }
  const distributionId = inputs.string('cloudfront-distribution-id');
  if (distributionId !== '' && !/^[A-Z0-9]{10,20}$/.test(distributionId)) {
    throw new InputError(`Input 'cloudfront-distribution-id' must look like 'E2IQ9KG6S4Y7R3', got '${distributionId}'`);
  }
  const healthCheckUrl = inputs.optionalUrl('health-check-url', ['http', 'https']);
  const path = inputs.string('health-check-path', { default: '/order/products' });
  if (!path.startsWith('/')) throw new InputError(`Input 'health-check-path' must start with '/', got '${path}'`);
  return {
    scope,
    healthCheckUrl,
    aws: {
      roleArn,
      cluster: inputs.string('cluster', { default: 'startupwebapp-cluster' }),
      service: inputs.string('service', { default: 'startupwebapp-service' }),
      serviceFamily: {
        family: inputs.string('service-task-definition', { default: 'startupwebapp-service-task' }),
        container: inputs.string('service-container', { default: 'web' }),
        logGroup: inputs.string('service-log-group', { default: '/ecs/startupwebapp-service' }),
      },
      migrationFamily: {
        family: inputs.string('migration-task-definition', { default: 'startupwebapp-migration-task' }),
        container: inputs.string('migration-container', { default: 'migration' }),
        logGroup: inputs.string('migration-log-group', { default: '/ecs/startupwebapp-migrations' }),
      },
      targetGroup: inputs.string('target-group', { default: 'startupwebapp-tg' }),
      healthCheckPath: path,
      ecrRepository: inputs.string('ecr-repository', { default: 'startupwebapp-backend' }),
      requireImmutableTags: inputs.boolean('require-immutable-tags', false),
      bucket: inputs.string('bucket', { default: 'startupwebapp-frontend-production' }),
      distributionId,
    },
    github: readGithubSettings(inputs, env),
  };
}

function readGithubSettings(inputs: Inputs, env: NodeJS.ProcessEnv): GithubSettings {
  const repository = inputs.string('repository', { default: env.GITHUB_REPOSITORY ?? '' });
  if (!REPOSITORY.test(repository)) {
    throw new InputError(`Input 'repository' must be owner/name (default: GITHUB_REPOSITORY), got '${repository}'`);
  }
  const dispatchRepository = inputs.optionalString('dispatch-repository');
  if (dispatchRepository !== undefined && !REPOSITORY.test(dispatchRepository)) {
    throw new InputError(`Input 'dispatch-repository' must be owner/name, got '${dispatchRepository}'`);
  }
  const token = inputs.raw('github-token');
  const dispatchToken = inputs.raw('dispatch-token');
  hideValue(token);
  hideValue(dispatchToken);
  const expected = new Map(inputs.keyValues('expected-variables').map((pair) => [pair.name, pair.value]));
  return {
    repository,
    environment: inputs.string('environment', { default: 'production' }),
    deployBranch: inputs.string('deploy-branch', { default: 'master' }),
    expectedVariables: expected,
    dispatchRepository,
    dispatchEventType: inputs.string('dispatch-event-type', { default: 'deploy-production' }),
    dispatchWorkflow: inputs.string('dispatch-workflow', { default: '.github/workflows/deploy-production.yml' }),
    token,
    dispatchToken,
  };
}
