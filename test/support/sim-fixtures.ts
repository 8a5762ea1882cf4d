import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import type { Simulator, SimulatorOptions } from '../../sandbox/sim/model.js';
import { CLUSTER, SERVICE, describeService, startSim, stopSim, type SimContext } from './sim-clients.js';
import { waitFor } from './wait-for.js';

/** The setup and the waits the sandbox tests share: a seeded simulator, a deployment, its end states. */

export interface SeededSim extends SimContext {
  /** The task definition the seeded service ran before the test changed anything. */
  readonly stableArn: string;
}

/**
 * Registers jest hooks that start a simulator seeded like StartupWebApp's account before each test (or once for the
 * file) and stop it after; the returned object reads the one currently running.
 */
export function useSeededSim(
  scope: 'each' | 'all',
  seed?: Parameters<Simulator['seedStartupWebApp']>[0],
  options: SimulatorOptions = {},
): SeededSim {
  let context: SimContext | undefined;
  let stableArn: string | undefined;
  const start = async () => {
    context = await startSim(options);
    await context.sim.seedStartupWebApp(seed);
    stableArn = (await describeService(context.ecs)).taskDefinition!;
  };
  const stop = async () => {
    await stopSim(context);
    context = undefined;
  };
  if (scope === 'each') {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterAll(stop);
  }
  const current = () => {
    if (!context) throw new Error('useSeededSim: the simulator runs only inside the tests of its describe block');
    return context;
  };
  return {
    get sim() {
      return current().sim;
    },
    get ecs() {
      return current().ecs;
    },
    get logs() {
      return current().logs;
    },
    get cloudfront() {
      return current().cloudfront;
    },
    get elb() {
      return current().elb;
    },
    get stableArn() {
      current();
      return stableArn!;
    },
  };
}

/** Registers `registration` and points the seeded service at it, as a deploy does. */
export async function deployRevision(
  ctx: SimContext,
  registration: RegisterTaskDefinitionCommandInput,
  deploymentConfiguration?: DeploymentConfiguration,
) {
  const registered = await ctx.ecs.send(new RegisterTaskDefinitionCommand(registration));
  const arn = registered.taskDefinition!.taskDefinitionArn!;
  const update = await ctx.ecs.send(
    new UpdateServiceCommand({
      cluster: CLUSTER,
      service: SERVICE,
      taskDefinition: arn,
      ...(deploymentConfiguration ? { deploymentConfiguration } : {}),
    }),
  );
  return { arn, update, deploymentId: update.service!.deployments![0].id! };
}

/** Waits until the service is down to one deployment and it is COMPLETED; `onPoll` sees every description. */
export function waitForRolloutCompleted(ecs: ECSClient, onPoll?: (service: Service) => void): Promise<Service> {
  return waitFor(async () => {
    const service = await describeService(ecs);
    onPoll?.(service);
    const deployments = service.deployments!;
    return deployments.length === 1 && deployments[0].rolloutState === 'COMPLETED' ? service : undefined;
  });
}

/** Waits until the deployment `deploymentId` of the service is FAILED; answers the whole service. */
export function waitForDeploymentFailed(ecs: ECSClient, deploymentId: string): Promise<Service> {
  return waitFor(async () => {
    const service = await describeService(ecs);
    return service.deployments!.some((d) => d.id === deploymentId && d.rolloutState === 'FAILED') ? service : undefined;
  });
}

/** Waits until the service deployment (history record) `arn` has `status`. */
export function waitForServiceDeploymentStatus(
  ecs: ECSClient,
  arn: string,
  status: ServiceDeploymentStatus,
): Promise<ServiceDeployment> {
  return waitFor(async () => {
    const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
    const record = out.serviceDeployments![0];
    return record.status === status ? record : undefined;
  });
}

/** The seeded service's service deployments that are IN_PROGRESS. */
export async function inProgressServiceDeployments(ecs: ECSClient) {
  const listed = await ecs.send(
    new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE, status: ['IN_PROGRESS'] }),
  );
  return listed.serviceDeployments!;
}
