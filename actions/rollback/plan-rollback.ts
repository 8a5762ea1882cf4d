import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { InputError } from '../../lib/runner/inputs.js';
import { findService } from '../../lib/ecs/service-api.js';
import { notFoundInput } from '../../lib/runner/inputs.js';
import { deploymentInFlight } from '../../lib/ecs/deployment-state.js';
import { describeTaskDefinition } from '../../lib/ecs/task-definition-api.js';
import { familyOf, revisionOf, shortTaskDefinition, type TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import { listActiveRevisions, readServiceHistory } from './service-history-api.js';
import {
  chronological,
  decideAction,
  explicitTarget,
  failedRevisions,
  isInFlight,
  refusalFor,
  type DeploymentRecord,
  type ExplicitTo,
  type PreviousInput,
  type RollbackAction,
} from './rollback-target.js';
import { chooseBack, olderAlternative, rollbackCandidates, type Candidate, type Candidates } from './candidates.js';
import type { RollbackInputs } from './inputs.js';

/** Everything read before anything changes: the service, both revisions, the history, and the decision. */
export interface RollbackPlan {
  from: TaskDefinitionJson;
  to: TaskDefinitionJson;
  reason: string;
  action: RollbackAction;
  /** ECS deployment ids on the service now, to recognise the one a rollback starts. */
  deploymentIds: Set<string>;
  /** For `previous` and `-N`: what the target was chosen from (summary), and which of them it is. */
  choice?: { candidates: CandidateDefinition[]; leftOut: Candidates['rolledBackFrom']; chosen: number };
}

/** A candidate with its task definition, when it could be described (the summary shows its images). */
export interface CandidateDefinition extends Candidate {
  definition?: TaskDefinitionJson;
}

/** The summary lists at most this many candidates (each is one DescribeTaskDefinition). */
const CANDIDATES_SHOWN = 10;

/** Read-only: a refusal is an InputError thrown before any change. */
/** What planning reports as it goes; the action's log.ts prints it. */
export interface PlanReporter {
  onWarning(message: string, title?: string): void;
}

export async function planRollback(
  ecs: ECSClient,
  inputs: RollbackInputs,
  reporter: PlanReporter,
  signal?: AbortSignal,
): Promise<RollbackPlan> {
  const lookup = await findService(ecs, inputs.cluster, inputs.service);
  if (!lookup.service) throw notFoundInput(lookup.missing!);
  const service = lookup.service;
  refuseOtherControllers(service, inputs.service);
  const current = service.taskDefinition;
  if (!current) throw new Error(`Service '${inputs.service}' has no task definition`);
  const family = familyOf(current);

  const [from, activeRevisions, history] = await Promise.all([
    describeTaskDefinition(ecs, current).then((d) => d.definition),
    listActiveRevisions(ecs, family, { signal }),
    readServiceHistory(ecs, inputs.cluster, inputs.service, { signal }),
  ]);
  const byCandidates = inputs.to.kind === 'previous' || inputs.to.kind === 'back';
  if (history.problem) {
    reporter.onWarning(
      `Could not read the service deployment history (${history.problem}); ` +
        (byCandidates
          ? `choosing among the ACTIVE revisions of ${family}`
          : `rolling back to ${inputs.toText} as asked, without checking whether its deployments failed before`),
      'No deployment history',
    );
  }
  const records = history.records ?? [];
  const known: PreviousInput = { currentTaskDefinitionArn: current, history: history.records, activeRevisions };
  const list = rollbackCandidates(known);

  const target = byCandidates ? candidateTarget(inputs, known, list) : chosenTarget(inputs, current, records, reporter);
  const to = target.ref === current ? from : await describeTarget(ecs, target.ref, known, list);
  const refusal = refusalFor(to, current, olderAlternative(to.taskDefinitionArn ?? target.ref, known, list));
  if (refusal) throw new InputError(refusal);
  const chosen = inputs.to.kind === 'back' ? inputs.to.back : 1;
  const choice = byCandidates
    ? { candidates: await describeCandidates(ecs, list.candidates, [from, to]), leftOut: list.rolledBackFrom, chosen }
    : undefined;

  const rollingOut = deploymentInFlight(service);
  const action = decideAction({
    to: inputs.to,
    targetTaskDefinitionArn: to.taskDefinitionArn ?? target.ref,
    currentTaskDefinitionArn: current,
    inFlight: chronological(records)
      .reverse()
      .find((record) => isInFlight(record)),
    rollingOut: rollingOut?.id ? { id: rollingOut.id, taskDefinitionArn: rollingOut.taskDefinition } : undefined,
    redeploy: target.redeploy,
  });
  return {
    from,
    to,
    reason: target.reason,
    action,
    deploymentIds: new Set((service.deployments ?? []).map((d) => d.id).filter((id): id is string => !!id)),
    choice,
  };
}

interface Target {
  ref: string;
  reason: string;
  redeploy?: boolean;
}

/** UpdateService cannot change the task definition of a CODE_DEPLOY or EXTERNAL service: refuse before reading more. */
function refuseOtherControllers(service: Service, name: string): void {
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller === 'ECS') return;
  throw new InputError(
    `Input 'service': service '${name}' uses the ${controller} deployment controller, whose task definition only ` +
      `${controller === 'CODE_DEPLOY' ? 'CodeDeploy' : 'the external controller'} can change: roll back there`,
  );
}

/** `previous` and `-N`: the N-th candidate back (candidates.ts), or a refusal naming what there is. */
function candidateTarget(inputs: RollbackInputs, known: PreviousInput, list: Candidates): Target {
  const choice = chooseBack(known, inputs.to.kind === 'back' ? inputs.to.back : 1, list);
  if (choice.kind === 'refuse') throw new InputError(choice.message);
  return {
    ref: choice.taskDefinitionArn,
    reason: `to: ${inputs.toText} — ${choice.reason}.`,
    redeploy: choice.redeploy,
  };
}

/** The candidates shown in the summary, described in parallel; one that cannot be described is shown without images. */
async function describeCandidates(
  ecs: ECSClient,
  candidates: readonly Candidate[],
  known: readonly TaskDefinitionJson[],
): Promise<CandidateDefinition[]> {
  const byArn = new Map(known.map((d) => [d.taskDefinitionArn, d]));
  return Promise.all(
    candidates.slice(0, CANDIDATES_SHOWN).map(async (candidate) => {
      const definition =
        byArn.get(candidate.taskDefinitionArn) ??
        (await describeTaskDefinition(ecs, candidate.taskDefinitionArn).then(
          (d) => d.definition,
          () => undefined,
        ));
      return { ...candidate, definition };
    }),
  );
}

/** A revision named in `to`; one whose deployment was rolled back before is allowed, with a warning. */
function chosenTarget(
  inputs: RollbackInputs,
  current: string,
  records: readonly DeploymentRecord[],
  reporter: PlanReporter,
): Target {
  const ref = explicitTarget(inputs.to as ExplicitTo, current);
  let reason = `to: ${inputs.toText} — the revision asked for.`;
  const failedBefore = [...failedRevisions(records)].find(
    ([arn]) => familyOf(arn) === familyOf(current) && revisionOf(arn) === revisionOf(ref),
  );
  if (failedBefore) {
    const [arn, record] = failedBefore;
    const note = `${shortTaskDefinition(arn)} was deployed before and that deployment ended ${record.status}${record.statusReason ? ` (${record.statusReason})` : ''}`;
    reporter.onWarning(`${note}; rolling back to it anyway, as asked`, 'Target failed before');
    reason += ` Note: ${note}.`;
  }
  return { ref, reason };
}

/** Describes the target; a revision that does not exist is a refusal naming what does. */
async function describeTarget(
  ecs: ECSClient,
  ref: string,
  known: PreviousInput,
  list: Candidates,
): Promise<TaskDefinitionJson> {
  try {
    return (await describeTaskDefinition(ecs, ref)).definition;
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'ClientException' && name !== 'InvalidParameterException') throw error;
    const alternative = olderAlternative(ref, known, list);
    throw new InputError(
      `Input 'to': task definition ${shortTaskDefinition(ref)} does not exist` +
        (alternative ? ` (the newest ACTIVE revision to roll back to is ${shortTaskDefinition(alternative)})` : ''),
    );
  }
}
