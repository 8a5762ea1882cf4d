import { readdirSync, readFileSync } from 'node:fs';
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { toRegisterRequest, type TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import { plainSecretNames } from '../../actions/check-setup/task-family-checks.js';
import { join } from 'node:path';
import { POLICIES } from '../../actions/check-setup/policies.js';
import { DOCUMENTED_ACCOUNT } from '../../actions/check-setup/permission-checks.js';
import { AWS_SCOPES, SCOPE_SPECS, type AwsScope } from '../../actions/check-setup/scopes.js';
import { callersOf } from '../../actions/check-setup/github-checks.js';
import type { GithubStandIn } from '../../sandbox/github/index.js';
import { SEED, type Simulator } from '../../sandbox/sim/index.js';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';
import { IAM_DIR } from './iam-actions.js';

/**
 * StartupWebApp once it has adopted the suite, on top of the sandbox seeded as today's account: one role per workflow
 * holding its action's documented policy (account set to the sandbox's) and check-setup.json; on the GitHub stand-in,
 * the two repositories with the suite's example callers (pinned to a commit the suite repository has), every variable
 * and secret they read, and the production environment limited to master.
 */

export const SERVER_REPO = 'bartgottschalk/startup_web_app_server_side';
export const CLIENT_REPO = 'bartgottschalk/startup_web_app_client_side';
export const SUITE_REPO = 'bartgottschalk/startupwebapp-deploy-actions';
export const SUITE_SHA = '5f1c0ffee5f1c0ffee5f1c0ffee5f1c0ffee5f1c';
export const SANDBOX_ACCOUNT = '123456789012';
export const TOKENS = { server: 'server-read-token', client: 'client-read-token', dispatch: 'dispatch-app-token' };

const local = (text: string) => text.replaceAll(DOCUMENTED_ACCOUNT, SANDBOX_ACCOUNT);

export function roleArn(scope: AwsScope): string {
  return `arn:aws:iam::${SANDBOX_ACCOUNT}:role/${SCOPE_SPECS[scope].roleName}`;
}

/** The role of a scope with its policy, optionally without one action (a role lacking one permission). */
export function putScopeRole(sim: Simulator, scope: AwsScope, options: { without?: string } = {}): void {
  const spec = SCOPE_SPECS[scope];
  const policy = JSON.parse(local(JSON.stringify(POLICIES[spec.policy]))) as { Statement: Array<{ Action: unknown }> };
  if (options.without) {
    policy.Statement = policy.Statement.map((s) => ({
      ...s,
      Action: (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a) => a !== options.without),
    })).filter((s) => (s.Action as unknown[]).length > 0);
  }
  const own = JSON.parse(local(readFileSync(join(IAM_DIR, 'check-setup.json'), 'utf8'))) as { Statement: unknown };
  sim.account.putRole(spec.roleName, { [spec.policy]: policy, 'check-setup': own });
}

export function putSuiteRoles(sim: Simulator): void {
  for (const scope of AWS_SCOPES) putScopeRole(sim, scope);
}

/** The example callers of one side, pinned to SUITE_SHA. */
export function exampleCallers(side: 'backend' | 'frontend'): Array<{ path: string; text: string }> {
  const dir = join(REPO_ROOT, 'examples', side);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => ({
      path: `.github/workflows/${name}`,
      text: readFileSync(join(dir, name), 'utf8').replaceAll('0'.repeat(40), SUITE_SHA),
    }));
}

export function seedGithub(github: GithubStandIn): void {
  const suite = github.repository(SUITE_REPO);
  suite.commits.add(SUITE_SHA);
  for (const [name, side] of [
    [SERVER_REPO, 'backend'],
    [CLIENT_REPO, 'frontend'],
  ] as const) {
    const repo = github.repository(name);
    const callers = exampleCallers(side);
    for (const file of callers) repo.files.set(file.path, file.text);
    for (const caller of callersOf(callers)) {
      for (const variable of caller.variables) repo.variables.set(variable, variableValue(variable));
      for (const secret of caller.secrets) repo.secrets.add(secret);
    }
    repo.environments.set('production', { branches: ['master'], variables: new Map(), secrets: new Set() });
  }
  github.grant(TOKENS.server, { repositories: [SERVER_REPO, SUITE_REPO] });
  github.grant(TOKENS.client, { repositories: [CLIENT_REPO, SUITE_REPO] });
  github.grant(TOKENS.dispatch, { repositories: [CLIENT_REPO], push: true });
}

/** What the adopter sets: the distribution id, role ARNs by their role name, the rest made up. */
export function variableValue(name: string): string {
  if (name === 'CLOUDFRONT_DISTRIBUTION_ID') return 'E2IQ9KG6S4Y7R3';
  const scope = AWS_SCOPES.find((s) => SCOPE_SPECS[s].roleVariable === name);
  if (scope) return roleArn(scope);
  if (name.endsWith('_ROLE_ARN')) return roleArn('deploy');
  return `value-of-${name.toLowerCase()}`;
}

/**
 * What check-setup's fix for a polluted family does: a new revision whose secret-looking plain values are moved to
 * secrets on the database secret (DJANGO_SUPERUSER_PASSWORD → its `superuser_password` key). Nothing when clean.
 */
export async function cleanFamily(ecs: ECSClient, family: string): Promise<void> {
  const current = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
  const definition = structuredClone(current.taskDefinition) as TaskDefinitionJson;
  const plain = plainSecretNames({ label: family, containers: definition.containerDefinitions ?? [] });
  if (plain.length === 0) return;
  for (const container of definition.containerDefinitions ?? []) {
    const moved = plain.filter((p) => p.container === container.name).map((p) => p.name);
    container.environment = (container.environment ?? []).filter((v) => !moved.includes(v.name ?? ''));
    const key = (name: string) => name.replace(/^DJANGO_/, '').toLowerCase();
    container.secrets = [
      ...(container.secrets ?? []),
      ...moved.map((name) => ({ name, valueFrom: `${SEED.databaseSecretArn}:${key(name)}::` })),
    ];
  }
  await ecs.send(new RegisterTaskDefinitionCommand(toRegisterRequest(definition) as never));
}
