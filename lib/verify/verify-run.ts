import type { RegionalClients } from '../aws/clients.js';
import { findImage, newestTags } from '../ecr/images-api.js';
import { logGroupExists } from '../logs/logs-api.js';
import { missingParameters, secretExists } from '../secrets/secrets-api.js';
import { errorText } from '../runner/error-text.js';
import type { Check, VerifyPlan } from './verify-plan.js';

/**
 * Runs the checks of a plan, all at once, read-only. Each ends as found, missing, denied (the role may not read it:
 * a policy written before these checks; the permission to add is named) or unknown (another error); nothing is thrown.
 */

export type CheckResult =
  | { check: Check; outcome: 'found' }
  | {
      check: Check;
      outcome: 'missing';
      what: 'repository' | 'image' | 'secret' | 'parameter' | 'log group';
      newestTags?: string[];
    }
  | { check: Check; outcome: 'denied'; permission: string; resource: string }
  | { check: Check; outcome: 'unknown'; error: string };

export interface Verification {
  results: CheckResult[];
  notChecked: VerifyPlan['notChecked'];
}

const NEWEST_TAGS = 5;

export async function runChecks(plan: VerifyPlan, clients: RegionalClients): Promise<Verification> {
  const parameters = plan.checks.filter((c) => c.kind === 'secret' && c.ref.store === 'ssm');
  const others = plan.checks.filter((c) => !parameters.includes(c));
  const results = await Promise.all([
    ...others.map((check) => runOne(check, clients)),
    ...byRegion(parameters).map((group) => checkParameters(group, clients)),
  ]);
  return { results: results.flat(), notChecked: plan.notChecked };
}

async function runOne(check: Check, clients: RegionalClients): Promise<CheckResult> {
  const { permission, resource } = permissionFor(check);
  try {
    if (check.kind === 'image') {
      const ecr = clients.ecr(check.ref.region);
      const lookup = await findImage(ecr, check.ref);
      if (lookup.found) return { check, outcome: 'found' };
      if (lookup.missing === 'repository') return { check, outcome: 'missing', what: 'repository' };
      const tags = await newestTags(ecr, check.ref, NEWEST_TAGS).catch(() => undefined);
      return { check, outcome: 'missing', what: 'image', ...(tags ? { newestTags: tags } : {}) };
    }
    if (check.kind === 'log-group') {
      const found = await logGroupExists(clients.logs(check.region), check.group);
      return found ? { check, outcome: 'found' } : { check, outcome: 'missing', what: 'log group' };
    }
    if (check.ref.store !== 'secretsmanager') throw new Error('SSM parameters are checked in batches');
    const found = await secretExists(clients.secretsManager(check.ref.region), check.ref.secretId);
    return found ? { check, outcome: 'found' } : { check, outcome: 'missing', what: 'secret' };
  } catch (error) {
    return failed(check, error, permission, resource);
  }
}

async function checkParameters(checks: Check[], clients: RegionalClients): Promise<CheckResult[]> {
  const names = checks.map((c) => (c.kind === 'secret' && c.ref.store === 'ssm' ? c.ref.parameter : ''));
  try {
    const missing = new Set(await missingParameters(clients.ssm(regionOf(checks[0]!)), names));
    return checks.map((check, i) =>
      missing.has(names[i]!) ? { check, outcome: 'missing', what: 'parameter' } : { check, outcome: 'found' },
    );
  } catch (error) {
    return checks.map((check) => {
      const { permission, resource } = permissionFor(check);
      return failed(check, error, permission, resource);
    });
  }
}

function failed(check: Check, error: unknown, permission: string, resource: string): CheckResult {
  if (isAccessDenied(error)) return { check, outcome: 'denied', permission, resource };
  return { check, outcome: 'unknown', error: errorText(error) };
}

export function isAccessDenied(error: unknown): boolean {
  const name = (error as Error)?.name ?? '';
  const message = (error as Error)?.message ?? '';
  return (
    /^(AccessDenied|AccessDeniedException|UnauthorizedOperation)$/.test(name) ||
    /not authorized to perform/.test(message)
  );
}

/** The IAM action a check needs, and the resource to grant it on. */
export function permissionFor(check: Check): { permission: string; resource: string } {
  if (check.kind === 'image') return { permission: 'ecr:DescribeImages', resource: check.ref.repositoryArn };
  if (check.kind === 'log-group') {
    return { permission: 'logs:DescribeLogGroups', resource: `arn:aws:logs:${check.region}:<account>:log-group:*` };
  }
  if (check.ref.store === 'secretsmanager') {
    return { permission: 'secretsmanager:DescribeSecret', resource: check.ref.resourceArn };
  }
  return {
    permission: 'ssm:GetParameters',
    resource:
      check.ref.resourceArn ??
      `arn:aws:ssm:${check.ref.region}:<account>:parameter/${check.ref.parameter.replace(/^\//, '')}`,
  };
}

function regionOf(check: Check): string {
  return check.kind === 'image' ? check.ref.region : check.kind === 'log-group' ? check.region : check.ref.region;
}

function byRegion(checks: Check[]): Check[][] {
  const groups = new Map<string, Check[]>();
  for (const check of checks) groups.set(regionOf(check), [...(groups.get(regionOf(check)) ?? []), check]);
  return [...groups.values()];
}
