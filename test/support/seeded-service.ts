import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type KeyValuePair,
  type Service,
  type Tag,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Simulator } from '../../sandbox/sim/model.js';
import { SEED } from '../../sandbox/sim/seed.js';
import { toRegisterRequest, type TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import { describeService } from './sim-clients.js';
import { waitFor } from './wait-for.js';

/**
 * Test setup on the seeded StartupWebApp service, done directly with the SDK: the histories (good, bad, in flight)
 * that the deploy-service, rollback and IAM tests then run the bundles against.
 */

/** Registers a new revision of `family` from its latest one: `image` (and extra environment) on its first container. */
export async function registerRevision(
  ecs: ECSClient,
  family: string,
  changes: { image: string; environment?: KeyValuePair[]; tags?: Tag[] },
): Promise<string> {
  const current = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
  const definition = structuredClone(current.taskDefinition) as TaskDefinitionJson;
  const container = definition.containerDefinitions![0]!;
  container.image = changes.image;
  if (changes.environment) container.environment = [...(container.environment ?? []), ...changes.environment];
  const out = await ecs.send(new RegisterTaskDefinitionCommand(toRegisterRequest(definition, changes.tags) as never));
  return out.taskDefinition!.taskDefinitionArn!;
}

/** Points the seeded service at `taskDefinition`; returns the id of the deployment that starts. */
export async function startDeployment(ecs: ECSClient, taskDefinition: string): Promise<string> {
  const out = await ecs.send(
    new UpdateServiceCommand({ cluster: SEED.cluster, service: SEED.service, taskDefinition }),
  );
  return out.service!.deployments!.find((d) => d.status === 'PRIMARY')!.id!;
}

/** Waits until the seeded service has one deployment, COMPLETED (a circuit-breaker rollback ends this way too). */
export function waitUntilSettled(ecs: ECSClient, timeoutMs = 60_000): Promise<Service> {
  return waitFor(async () => {
    const service = await describeService(ecs, SEED.cluster, SEED.service);
    const deployments = service.deployments ?? [];
    return deployments.length === 1 && deployments[0]!.rolloutState === 'COMPLETED' ? service : undefined;
  }, timeoutMs);
}

/** Registers a revision with `image` (and extra environment), deploys it and waits until the service settles. */
export async function deploySettled(
  ecs: ECSClient,
  changes: { image: string; environment?: KeyValuePair[] },
  timeoutMs = 60_000,
): Promise<string> {
  const arn = await registerRevision(ecs, SEED.serviceFamily, changes);
  await startDeployment(ecs, arn);
  await waitUntilSettled(ecs, timeoutMs);
  return arn;
}

/** Sets the seeded target group's deregistration delay as a user would (ModifyTargetGroupAttributes). */
export async function setDeregistrationDelay(sim: Simulator, seconds: number): Promise<void> {
  const elb = new ElasticLoadBalancingV2Client({
    endpoint: sim.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const groups = await elb.send(new DescribeTargetGroupsCommand({ Names: [SEED.targetGroup] }));
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: groups.TargetGroups![0]!.TargetGroupArn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(seconds) }],
      }),
    );
  } finally {
    elb.destroy();
  }
}

/** The ARN of revision `n` of the seeded service's family. */
export function serviceRevisionArn(n: number): string {
  return `arn:aws:ecs:us-east-1:123456789012:task-definition/${SEED.serviceFamily}:${n}`;
}

/** The calls since request `since` that change the service: what a dry run or a refusal must not send. */
export function serviceChangesSince(sim: Simulator, since: number) {
  return sim.requests.slice(since).filter((r) => ['UpdateService', 'StopServiceDeployment'].includes(r.operation));
}
