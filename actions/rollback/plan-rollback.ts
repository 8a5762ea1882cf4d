import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { InputError } from '../shared/inputs.js';
import * as report from '../shared/report.js';
import { findService } from '../shared/deployment-watch.js';
import { deploymentInFlight } from '../shared/deployment-state.js';
import { describeTaskDefinition } from '../shared/task-definition-api.js';
import { familyOf, revisionOf, shortTaskDefinition, type TaskDefinitionJson } from '../shared/task-definitions.js';
import { listActiveRevisions, readServiceHistory } from '../shared/service-history.js';
import {
  choosePrevious,
  chronological,
  decideAction,
  explicitTarget,
  failedRevisions,
  isInFlight,
  newestActiveAlternative,
  refusalFor,
  type FamilyRevision,
  type RollbackAction,
} from '../shared/rollback-target.js';
import type { RollbackInputs } from './inputs.js';

/** Everything read before anything changes: the service, both revisions, the history, and the decision. */
export interface RollbackPlan {
  service: Service;
  from: TaskDefinitionJson;
  to: TaskDefinitionJson;
  reason: string;
  action: RollbackAction;
  /** ECS deployment ids on the service now, to recognise the one a rollback starts. */
  deploymentIds: Set<string>;
}

/** Read-only: a refusal is an InputError thrown before any change. */
export async function planRollback(
  ecs: ECSClient,
  inputs: RollbackInputs,
  signal?: AbortSignal,
): Promise<RollbackPlan> {
  const service = (await findService(ecs, inputs.cluster, inputs.service)) as Service;
  const current = service.taskDefinition;
  if (!current) throw new Error(`Service '${inputs.service}' has no task definition`);
  const family = familyOf(current);

  const [from, activeRevisions, history] = await Promise.all([
    describeTaskDefinition(ecs, current).then((d) => d.definition),
    listActiveRevisions(ecs, family, { signal }),
    readServiceHistory(ecs, inputs.cluster, inputs.service, { signal }),
  ]);
  if (history.problem) {
    report.warn(
      `Could not read the service deployment history (${history.problem}); choosing among the ACTIVE revisions of ${family}`,
      'No deployment history',
    );
  }

  let targetRef: string;
  let reason: string;
  if (inputs.to.kind === 'previous') {
    const choice = choosePrevious({ currentTaskDefinitionArn: current, history: history.records, activeRevisions });
    if (choice.kind === 'refuse') throw new InputError(choice.message);
    targetRef = choice.taskDefinitionArn;
    reason = `to: previous — ${choice.reason}.`;
  } else {
    targetRef = explicitTarget(inputs.to, current);
    reason = `to: ${inputs.toText} — the revision asked for.`;
    const failedBefore = [...failedRevisions(history.records ?? [])].find(
      ([arn]) => familyOf(arn) === family && revisionOf(arn) === revisionOf(targetRef),
    );
    if (failedBefore) {
      const [arn, record] = failedBefore;
      const note = `${shortTaskDefinition(arn)} was deployed before and that deployment ended ${record.status}${record.statusReason ? ` (${record.statusReason})` : ''}`;
      report.warn(`${note}; rolling back to it anyway, as asked`, 'Target failed before');
      reason += ` Note: ${note}.`;
    }
  }

  const to = targetRef === current ? from : await describeTarget(ecs, targetRef, current, activeRevisions);
  const refusal = refusalFor(to, current, activeRevisions);
  if (refusal) throw new InputError(refusal);

  const inFlight = chronological(history.records ?? [])
    .reverse()
    .find((record) => isInFlight(record));
  const rollingOut = deploymentInFlight(service);
  const action = decideAction({
    to: inputs.to,
    targetTaskDefinitionArn: to.taskDefinitionArn ?? targetRef,
    currentTaskDefinitionArn: current,
    inFlight,
    rollingOut: rollingOut?.id ? { id: rollingOut.id, taskDefinitionArn: rollingOut.taskDefinition } : undefined,
  });
  return {
    service,
    from,
    to,
    reason,
    action,
    deploymentIds: new Set((service.deployments ?? []).map((d) => d.id).filter((id): id is string => !!id)),
  };
}

/** Describes the target; a revision that does not exist is a refusal naming what does. */
async function describeTarget(
  ecs: ECSClient,
  ref: string,
  current: string,
  activeRevisions: readonly FamilyRevision[],
): Promise<TaskDefinitionJson> {
  try {
    return (await describeTaskDefinition(ecs, ref)).definition;
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'ClientException' && name !== 'InvalidParameterException') throw error;
    const alternative = newestActiveAlternative(ref, current, activeRevisions);
    throw new InputError(
      `Input 'to': task definition ${shortTaskDefinition(ref)} does not exist` +
        (alternative ? ` (the newest ACTIVE revision to roll back to is ${shortTaskDefinition(alternative)})` : ''),
    );
  }
}
