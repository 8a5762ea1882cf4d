import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';

/** The service deployment history calls a staged (blue/green, linear, canary) watch needs. */

/**
 * The newest service deployment of the service created at or after `since` (undefined: none yet). `signal` gives the
 * call up (retries included), as every call here.
 */
export async function newestServiceDeploymentSince(
  ecs: ECSClient,
  cluster: string,
  service: string,
  since: Date,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const out = await ecs.send(
    new ListServiceDeploymentsCommand({ cluster, service, createdAt: { after: since }, maxResults: 20 }),
    sendOptions(signal),
  );
  const newest = [...(out.serviceDeployments ?? [])].sort(
    (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
  )[0];
  return newest?.serviceDeploymentArn;
}

/** The in-flight service deployment of the service (PENDING, IN_PROGRESS), newest first. */
export async function inFlightServiceDeployment(
  ecs: ECSClient,
  cluster: string,
  service: string,
): Promise<string | undefined> {
  const out = await ecs.send(
    new ListServiceDeploymentsCommand({ cluster, service, status: ['PENDING', 'IN_PROGRESS'], maxResults: 20 }),
  );
  return out.serviceDeployments?.[0]?.serviceDeploymentArn;
}

export async function describeServiceDeployment(
  ecs: ECSClient,
  arn: string,
  signal?: AbortSignal,
): Promise<ServiceDeployment | undefined> {
  const out = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
    sendOptions(signal),
  );
  return out.serviceDeployments?.[0];
}

const sendOptions = (signal?: AbortSignal) => (signal ? { abortSignal: signal } : undefined);
