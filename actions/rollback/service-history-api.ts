import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  type ECSClient,
  type ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';
import {
  isInFlight,
  wasRolledBack,
  chronological,
  type DeploymentRecord,
  type FamilyRevision,
} from './rollback-target.js';
import { familyOf, revisionOf } from '../../lib/ecs/task-definitions.js';
import { errorText } from '../../lib/runner/error-text.js';

/** Reads what rollback-target.ts decides from: the service deployment history and the family's ACTIVE revisions. */

export interface ServiceHistory {
  /**
   * Undefined when the history could not be read: no permission, a partition without the API, or any failure of its
   * calls (a 5xx after the SDK's retries, an answer that is not JSON, throttling past the retries). `problem` says why.
   */
  records: DeploymentRecord[] | undefined;
  problem?: string;
}

const BATCH = 20; // DescribeServiceDeployments / DescribeServiceRevisions take at most 20 ARNs
const PAGE = 100; // ListServiceDeployments' largest page

/**
 * ECS keeps 90 days of service deployments (those created since 25 October 2024). At most `maxPages` pages are read.
 * The API reference does not state the order; listed newest first, those pages hold the newest deployments, which is
 * all a choice needs. Listed oldest first, a truncated read would miss the newest, so it counts as no history.
 */
export async function readServiceHistory(
  ecs: ECSClient,
  cluster: string,
  service: string,
  options: { maxPages?: number; signal?: AbortSignal } = {},
): Promise<ServiceHistory> {
  // The history only informs the choice: whatever keeps it from being read, the caller goes on without it and says why.
  try {
    return await readHistory(ecs, cluster, service, options);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { records: undefined, problem: errorText(error) };
  }
}

async function readHistory(
  ecs: ECSClient,
  cluster: string,
  service: string,
  options: { maxPages?: number; signal?: AbortSignal },
): Promise<ServiceHistory> {
  const send = options.signal ? { abortSignal: options.signal } : undefined;
  const maxPages = options.maxPages ?? 10;
  let pages = 0;
  const briefs: ServiceDeploymentBrief[] = [];
  let nextToken: string | undefined;
  do {
    pages++;
    const response = await ecs.send(
      new ListServiceDeploymentsCommand({ cluster, service, maxResults: PAGE, nextToken }),
      send,
    );
    briefs.push(...(response.serviceDeployments ?? []));
    nextToken = response.nextToken;
  } while (nextToken && pages < maxPages);
  if (nextToken && listedOldestFirst(briefs)) {
    const problem = `more than ${maxPages * PAGE} deployments, listed oldest first: the newest are not among those read`;
    return { records: undefined, problem };
  }

  const records: DeploymentRecord[] = briefs
    .filter((brief) => brief.serviceDeploymentArn)
    .map((brief) => ({
      serviceDeploymentArn: brief.serviceDeploymentArn as string,
      status: brief.status ?? 'UNKNOWN',
      createdAt: brief.createdAt,
      startedAt: brief.startedAt,
      finishedAt: brief.finishedAt,
      statusReason: brief.statusReason,
    }));
  const targetRevisionOf = new Map(briefs.map((b) => [b.serviceDeploymentArn, b.targetServiceRevisionArn]));

  // Sources matter only for what is in flight (what ECS would roll back to) and for a rolled-back deployment among
  // the newest two (onto what did ECS roll it back? see rolledBackByEcs).
  const ordered = chronological(records);
  const detailed = ordered.filter((r, i) => isInFlight(r) || (i >= ordered.length - 2 && wasRolledBack(r)));
  const sourceRevisionsOf = new Map<string, string[]>();
  for (const batch of chunks(
    detailed.map((r) => r.serviceDeploymentArn),
    BATCH,
  )) {
    const response = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }), send);
    for (const deployment of response.serviceDeployments ?? []) {
      const arn = deployment.serviceDeploymentArn;
      if (!arn) continue;
      sourceRevisionsOf.set(
        arn,
        (deployment.sourceServiceRevisions ?? []).map((s) => s.arn).filter((a): a is string => Boolean(a)),
      );
      if (!targetRevisionOf.get(arn) && deployment.targetServiceRevision?.arn) {
        targetRevisionOf.set(arn, deployment.targetServiceRevision.arn);
      }
    }
  }

  const revisionArns = new Set<string>();
  for (const arn of targetRevisionOf.values()) if (arn) revisionArns.add(arn);
  for (const arns of sourceRevisionsOf.values()) for (const arn of arns) revisionArns.add(arn);
  const taskDefinitionOf = new Map<string, string>();
  for (const batch of chunks([...revisionArns], BATCH)) {
    const response = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: batch }), send);
    for (const revision of response.serviceRevisions ?? []) {
      if (revision.serviceRevisionArn && revision.taskDefinition) {
        taskDefinitionOf.set(revision.serviceRevisionArn, revision.taskDefinition);
      }
    }
  }

  for (const record of records) {
    const target = targetRevisionOf.get(record.serviceDeploymentArn);
    if (target) record.taskDefinitionArn = taskDefinitionOf.get(target);
    const sources = sourceRevisionsOf.get(record.serviceDeploymentArn);
    if (sources) {
      record.sourceTaskDefinitionArns = sources.map((s) => taskDefinitionOf.get(s)).filter((a): a is string => !!a);
    }
  }
  return { records };
}

function listedOldestFirst(briefs: readonly ServiceDeploymentBrief[]): boolean {
  const first = briefs[0]?.createdAt?.getTime();
  const last = briefs[briefs.length - 1]?.createdAt?.getTime();
  return first !== undefined && last !== undefined && first < last;
}

/** The family's ACTIVE revisions, newest first (ListTaskDefinitions' familyPrefix also matches longer families). */
export async function listActiveRevisions(
  ecs: ECSClient,
  family: string,
  options: { maxPages?: number; signal?: AbortSignal } = {},
): Promise<FamilyRevision[]> {
  const revisions: FamilyRevision[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 10); page++) {
    const response = await ecs.send(
      new ListTaskDefinitionsCommand({
        familyPrefix: family,
        status: 'ACTIVE',
        sort: 'DESC',
        maxResults: 100,
        nextToken,
      }),
      options.signal ? { abortSignal: options.signal } : undefined,
    );
    for (const arn of response.taskDefinitionArns ?? []) {
      const revision = revisionOf(arn);
      if (familyOf(arn) === family && revision !== undefined) revisions.push({ taskDefinitionArn: arn, revision });
    }
    nextToken = response.nextToken;
    if (!nextToken) break;
  }
  return revisions.sort((a, b) => b.revision - a.revision);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
