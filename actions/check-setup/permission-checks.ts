import { failed, ok, type CheckItem } from './checklist.js';
import type { PolicyStatement } from './policies.js';
import type { ScopeSpec } from './scopes.js';

/**
 * "Is this role allowed what its action calls?", asked of IAM's policy simulator statement by statement: each
 * statement of the action's documented policy becomes one simulation of its actions on its resources, with the
 * context its conditions test (so `ecs:RunTask` is asked in the cluster the condition names). The documented account
 * and region are replaced by the role's. Pure: the simulator's answers come in.
 */

export const DOCUMENTED_ACCOUNT = '853463362083';
const DOCUMENTED_REGION = 'us-east-1';

export interface SimulationRequest {
  sid: string;
  actions: string[];
  resources: string[];
  context: Array<{ key: string; values: string[] }>;
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: string;
}

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const READ_ONLY = /^[a-z0-9-]+:(Describe|List|Get|BatchGet)/;

export function simulationRequests(
  statements: readonly PolicyStatement[],
  spec: Pick<ScopeSpec, 'readOnly'>,
  where: { account: string; region: string },
): SimulationRequest[] {
  const local = (text: string) =>
    text.replaceAll(DOCUMENTED_ACCOUNT, where.account).replaceAll(`:${DOCUMENTED_REGION}:`, `:${where.region}:`);
  return statements
    .filter((s) => s.Effect === 'Allow')
    .map((s, index) => ({
      sid: s.Sid ?? `statement ${index + 1}`,
      actions: asList(s.Action).filter((action) => !spec.readOnly || READ_ONLY.test(action)),
      resources: asList(s.Resource ?? '*').map(local),
      context: Object.values(s.Condition ?? {}).flatMap((keys) =>
        Object.entries(keys).map(([key, values]) => ({ key, values: asList(values).slice(0, 1).map(local) })),
      ),
    }))
    .filter((request) => request.actions.length > 0);
}

/** The role's account, from its ARN. */
export function accountOf(roleArn: string): string {
  return roleArn.split(':')[4] ?? '';
}

export function checkPermissions(
  roleArn: string,
  spec: Pick<ScopeSpec, 'policy' | 'roleName' | 'readOnly'>,
  results: readonly SimulationResult[],
): CheckItem {
  const role = roleArn.split('/').pop() ?? roleArn;
  const what = spec.readOnly ? `the read-only calls of ${spec.policy}` : `every call ${spec.policy} makes`;
  const title = `Role ${role} is allowed ${what}`;
  const denied = results.filter((r) => r.decision !== 'allowed');
  const actions = [...new Set(results.map((r) => r.action))];
  if (denied.length === 0) return ok('IAM', title, `${actions.length} actions simulated`);
  const lines = denied.map((r) => `${r.action} on ${r.resource} (${r.decision})`);
  return failed(
    'IAM',
    title,
    `denied: ${lines.join('; ')}`,
    `Attach docs/iam/${spec.policy}.json (its account and names set to yours) to the role:\n` +
      `aws iam put-role-policy --role-name ${role} --policy-name ${spec.policy} --policy-document file://docs/iam/${spec.policy}.json`,
  );
}
