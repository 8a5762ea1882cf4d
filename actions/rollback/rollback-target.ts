import { InputError } from '../../lib/runner/inputs.js';
import { familyOf, revisionOf, shortTaskDefinition } from '../../lib/ecs/task-definitions.js';

/**
 * Choosing what a rollback goes back to, from the service's deployment history and the family's revisions.
 * Pure: the adapter (service-history-api.ts) reads the data, this decides.
 */

export type RollbackTo =
  | { kind: 'previous' }
  /** `-N`: the N-th candidate back (candidates.ts); `-1` is `previous`. */
  | { kind: 'back'; back: number }
  | { kind: 'revision'; revision: number }
  | { kind: 'family-revision'; family: string; revision: number }
  | { kind: 'arn'; arn: string };

const TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/([A-Za-z0-9_-]{1,255}):([1-9]\d*)$/;
const FAMILY_REVISION = /^([A-Za-z0-9_-]{1,255}):([1-9]\d*)$/;

export function parseRollbackTo(text: string, inputName = 'to'): RollbackTo {
  const value = text.trim();
  if (value === '' || value === 'previous') return { kind: 'previous' };
  const back = /^-([1-9]\d{0,2})$/.exec(value);
  if (back) return { kind: 'back', back: Number(back[1]) };
  if (/^[1-9]\d{0,9}$/.test(value)) return { kind: 'revision', revision: Number(value) };
  const familyRevision = FAMILY_REVISION.exec(value);
  if (familyRevision) {
    return { kind: 'family-revision', family: familyRevision[1] as string, revision: Number(familyRevision[2]) };
  }
  if (TASK_DEFINITION_ARN.test(value)) return { kind: 'arn', arn: value };
  throw new InputError(
    `Input '${inputName}' must be 'previous', -N (revisions back: -1 is previous, -2 the one before), a revision number (42), family:revision (web:42) or a task definition ARN, got '${value}'`,
  );
}

/** One entry of the service deployment history (ListServiceDeployments + the target revision's task definition). */
export interface DeploymentRecord {
  serviceDeploymentArn: string;
  status: string;
  createdAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
  statusReason?: string;
  /** The task definition the deployment rolled out (from its target service revision); undefined if unknown. */
  taskDefinitionArn?: string;
  /** What it replaced (source service revisions), when read. */
  sourceTaskDefinitionArns?: string[];
}

/** Statuses of a deployment that is still changing the service. */
const IN_FLIGHT_STATUSES = ['PENDING', 'IN_PROGRESS'] as const;
/** The target never became good: ECS put the source back (or is doing so, or failed to). */
const ROLLED_BACK_STATUSES = [
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
] as const;

export function isInFlight(record: DeploymentRecord): boolean {
  return (IN_FLIGHT_STATUSES as readonly string[]).includes(record.status);
}

export function wasRolledBack(record: DeploymentRecord): boolean {
  return (ROLLED_BACK_STATUSES as readonly string[]).includes(record.status);
}

/** Oldest first; ties broken by ARN so the order is stable. */
export function chronological(history: readonly DeploymentRecord[]): DeploymentRecord[] {
  const time = (r: DeploymentRecord) => (r.createdAt ?? r.startedAt ?? r.finishedAt)?.getTime() ?? 0;
  return [...history].sort((a, b) => time(a) - time(b) || a.serviceDeploymentArn.localeCompare(b.serviceDeploymentArn));
}

/** Revisions whose deployments were rolled back and that never completed a deployment: never a fallback target. */
export function failedRevisions(history: readonly DeploymentRecord[]): Map<string, DeploymentRecord> {
  const succeeded = new Set(history.filter((r) => r.status === 'SUCCESSFUL').map((r) => r.taskDefinitionArn));
  const failed = new Map<string, DeploymentRecord>();
  for (const record of chronological(history)) {
    if (record.taskDefinitionArn && wasRolledBack(record) && !succeeded.has(record.taskDefinitionArn)) {
      failed.set(record.taskDefinitionArn, record);
    }
  }
  return failed;
}

/** A revision of the family as ListTaskDefinitions (status ACTIVE) reports it. */
export interface FamilyRevision {
  taskDefinitionArn: string;
  revision: number;
}

export interface PreviousInput {
  /** What the service runs (or is rolling out) now: DescribeServices' taskDefinition. */
  currentTaskDefinitionArn: string;
  /** The service deployment history; undefined when it could not be read at all. */
  history: readonly DeploymentRecord[] | undefined;
  /** ACTIVE revisions of the current family. */
  activeRevisions: readonly FamilyRevision[];
}

export type TargetChoice =
  | {
      kind: 'target';
      taskDefinitionArn: string;
      reason: string;
      source: 'history' | 'revisions' | 'current';
      /** The target is the current revision but must be deployed again (ECS's own rollback to it failed). */
      redeploy?: boolean;
    }
  | { kind: 'refuse'; message: string };

/**
 * The newest deployment when ECS rolled it back onto `current` and nothing was deployed since. The Developer Guide
 * keeps a rollback on the rolled-back deployment's own record (ROLLBACK_REQUESTED -> ROLLBACK_IN_PROGRESS ->
 * ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED, no new service revision); should ECS ever record the rollback as a deployment
 * of its own, that newer deployment of the source revision is looked through too.
 */
export function rolledBackByEcs(ordered: readonly DeploymentRecord[], current: string): DeploymentRecord | undefined {
  const newest = ordered[ordered.length - 1];
  const before = ordered[ordered.length - 2];
  const sourcesOf = (record: DeploymentRecord) => record.sourceTaskDefinitionArns ?? [];
  if (newest && wasRolledBack(newest) && newest.taskDefinitionArn !== current) {
    return sourcesOf(newest).length === 0 || sourcesOf(newest).includes(current) ? newest : undefined;
  }
  // A rollback of its own is told from a later deployment only by its target being the rolled-back one's source.
  const ownRollback = newest?.taskDefinitionArn === current && before && wasRolledBack(before);
  return ownRollback && sourcesOf(before).includes(current) ? before : undefined;
}

/** The reference to describe for an explicit `to`, or a refusal when it names another family. */
export type ExplicitTo = Exclude<RollbackTo, { kind: 'previous' } | { kind: 'back' }>;

export function explicitTarget(to: ExplicitTo, currentTaskDefinitionArn: string): string {
  const family = familyOf(currentTaskDefinitionArn);
  const ref =
    to.kind === 'revision'
      ? `${family}:${to.revision}`
      : to.kind === 'family-revision'
        ? `${to.family}:${to.revision}`
        : to.arn;
  const targetFamily = familyOf(ref);
  if (targetFamily !== family) {
    throw new InputError(
      `Input 'to' names ${shortTaskDefinition(ref)}, of family ${targetFamily}, but the service runs ${shortTaskDefinition(currentTaskDefinitionArn)}: ` +
        `a rollback stays in family ${family} (use deploy-service to switch families)`,
    );
  }
  return ref;
}

/** Why a described target cannot be deployed, or undefined when it can. `alternative`: what to offer instead. */
export function refusalFor(
  target: { taskDefinitionArn?: string; family?: string; status?: string },
  currentTaskDefinitionArn: string,
  alternative: string | undefined,
  inputName = 'to',
): string | undefined {
  const family = familyOf(currentTaskDefinitionArn);
  const arn = target.taskDefinitionArn ?? '?';
  if ((target.family ?? familyOf(arn)) !== family) {
    return `Input '${inputName}' resolves to ${label(arn)}, of another family than the service's ${shortTaskDefinition(currentTaskDefinitionArn)}: refusing to switch families`;
  }
  if (target.status && target.status !== 'ACTIVE') {
    return alternative
      ? `${label(arn)} is ${target.status} (deregistered): ECS cannot deploy it. The newest ACTIVE alternative is ${label(alternative)}: set input '${inputName}' to ${revisionOf(alternative)}`
      : `${label(arn)} is ${target.status} (deregistered): ECS cannot deploy it, and ${family} has no ACTIVE revision older than ${label(arn)} to roll back to (name another revision)`;
  }
  return undefined;
}

/** What the action does, decided before anything is changed. */
export type RollbackAction =
  | { kind: 'noop'; reason: string }
  /** ECS rolls the in-flight deployment back to its source: exactly what was asked for. */
  | { kind: 'stop-deployment'; serviceDeploymentArn: string; reason: string }
  | { kind: 'update-service'; taskDefinitionArn: string; reason: string };

export interface ActionInput {
  to: RollbackTo;
  targetTaskDefinitionArn: string;
  currentTaskDefinitionArn: string;
  /** The service deployment in progress, with its source revision(s), when there is one. */
  inFlight?: DeploymentRecord;
  /** An ECS (DescribeServices) deployment rolling out while the history shows none, e.g. history unavailable. */
  rollingOut?: { id: string; taskDefinitionArn?: string };
  /** Deploy the target again even when it is the current revision (see TargetChoice.redeploy). */
  redeploy?: boolean;
}

export function decideAction(input: ActionInput): RollbackAction {
  const target = input.targetTaskDefinitionArn;
  const targetLabel = shortTaskDefinition(target);
  const inFlight = input.inFlight;
  // `previous` (and -1, the same choice): ECS's own rollback of the in-flight deployment is exactly what was asked for.
  if (inFlight && (input.to.kind === 'previous' || (input.to.kind === 'back' && input.to.back === 1))) {
    const sources = [...new Set(inFlight.sourceTaskDefinitionArns ?? [])];
    if (sources.length === 1 && sources[0] === target && inFlight.taskDefinitionArn !== target) {
      return {
        kind: 'stop-deployment',
        serviceDeploymentArn: inFlight.serviceDeploymentArn,
        reason: `deployment ${deploymentIdOf(inFlight.serviceDeploymentArn)} of ${label(inFlight.taskDefinitionArn)} is ${inFlight.status}; ECS rolls it back to ${targetLabel}`,
      };
    }
  }
  if (target === input.currentTaskDefinitionArn && input.redeploy) {
    return {
      kind: 'update-service',
      taskDefinitionArn: target,
      reason: `ECS's own rollback to ${targetLabel} failed; a new deployment of ${targetLabel} retries it`,
    };
  }
  if (target === input.currentTaskDefinitionArn) {
    const deploying = inFlight ?? input.rollingOut;
    const note = deploying
      ? `; deployment ${deploymentIdOf('serviceDeploymentArn' in deploying ? deploying.serviceDeploymentArn : deploying.id)} to it is already in progress`
      : '';
    return { kind: 'noop', reason: `the service already runs ${targetLabel}${note}` };
  }
  return {
    kind: 'update-service',
    taskDefinitionArn: target,
    reason: inFlight
      ? `deployment ${deploymentIdOf(inFlight.serviceDeploymentArn)} is ${inFlight.status}; updating the service to ${targetLabel} replaces it`
      : `no deployment is in progress; a new deployment of ${targetLabel} replaces ${shortTaskDefinition(input.currentTaskDefinitionArn)}`,
  };
}

/** `arn:aws:ecs:r:1:service-deployment/cluster/service/abc` -> `abc`; ecs-svc ids pass through. */
export function deploymentIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function label(arn: string | undefined): string {
  return arn ? shortTaskDefinition(arn) : 'an unknown revision';
}
