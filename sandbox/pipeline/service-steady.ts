/**
 * Waits, outside any action, until the service has a single COMPLETED deployment: what a person sees before they
 * dispatch the rollback workflow after a failed deploy (ECS's circuit breaker finishes its own rollback meanwhile).
 * One plain DescribeServices over the simulator's AWS JSON wire: the SDK would warn about the Node version this
 * process runs on, in the middle of the pipeline's output.
 */

interface Deployment {
  rolloutState?: string;
  runningCount?: number;
  desiredCount?: number;
}

interface DescribeServicesReply {
  services?: Array<{ taskDefinition?: string; deployments?: Deployment[] }>;
}

export async function waitForSteadyService(
  endpoint: string,
  cluster: string,
  service: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeServices',
      },
      body: JSON.stringify({ cluster, services: [service] }),
    });
    if (!response.ok) throw new Error(`DescribeServices answered ${response.status}: ${await response.text()}`);
    const current = ((await response.json()) as DescribeServicesReply).services?.[0];
    const deployments = current?.deployments ?? [];
    const only = deployments[0];
    if (deployments.length === 1 && only?.rolloutState === 'COMPLETED') {
      const revision = current?.taskDefinition?.split('/').pop();
      return `${service} is steady again on ${revision} (${only.runningCount}/${only.desiredCount} running)`;
    }
    if (Date.now() > deadline) {
      return `${service} still had ${deployments.length} deployments after ${Math.round(timeoutMs / 1000)} s`;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
