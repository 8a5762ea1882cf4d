import type { Deployment, Service } from '@aws-sdk/client-ecs';

/**
 * What UpdateService claims, checked against what it answered: the service's PRIMARY deployment must be one that was
 * not there before and must carry the task definition asked for. Anything else (an answer from a proxy or emulator
 * that echoes the old state, a concurrent deploy that won the race) would make a caller watch, and report as its own,
 * a deployment it did not start. Pure.
 */

export interface ExpectedDeployment {
  /** The task definition the new deployment must roll out. */
  taskDefinition: string;
  /** Deployment ids on the service before the update. */
  knownDeploymentIds: ReadonlySet<string>;
}

export type NewDeploymentCheck = { ok: true; deployment: Deployment & { id: string } } | { ok: false; problem: string };

export function checkNewDeployment(service: Service | undefined, expected: ExpectedDeployment): NewDeploymentCheck {
  const deployments = service?.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const wanted = shortName(expected.taskDefinition);
  if (!primary?.id) {
    return { ok: false, problem: `its answer has no PRIMARY deployment (expected a new one of ${wanted})` };
  }
  if (expected.knownDeploymentIds.has(primary.id)) {
    return {
      ok: false,
      problem: `its answer shows no new deployment: the PRIMARY deployment ${primary.id} (${shortName(primary.taskDefinition)}) was already on the service`,
    };
  }
  if (primary.taskDefinition !== expected.taskDefinition) {
    return {
      ok: false,
      problem: `its PRIMARY deployment ${primary.id} rolls out ${shortName(primary.taskDefinition)}, not ${wanted}`,
    };
  }
  return { ok: true, deployment: primary as Deployment & { id: string } };
}

/** UpdateService was accepted, but its answer does not show the deployment it should have started. */
export class NoNewDeploymentError extends Error {
  override name = 'NoNewDeploymentError';
  constructor(
    readonly taskDefinition: string,
    readonly problem: string,
  ) {
    super(
      `UpdateService to ${shortName(taskDefinition)} was accepted, but ${problem}: not watching or reporting a deployment this run did not start`,
    );
  }
}

/** Deployment ids on a service (DescribeServices), to recognise a new one later. */
export function deploymentIdsOf(service: Service | undefined): Set<string> {
  return new Set((service?.deployments ?? []).map((d) => d.id).filter((id): id is string => !!id));
}

function shortName(arn: string | undefined): string {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : 'an unknown task definition';
}
