import { ecsCall } from './ecs-wire.js';

/**
 * Waits, outside any action, until the service has a single COMPLETED deployment: what a person sees before they
 * deploy again after a failed deploy (ECS's circuit breaker finishes its own rollback meanwhile).
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
    const reply = await ecsCall<DescribeServicesReply>(endpoint, 'DescribeServices', { cluster, services: [service] });
    const current = reply.services?.[0];
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
