import { AlbListeners } from './alb.js';
import { clustersApi } from './api-clusters.js';
import { servicesApi } from './api-services.js';
import { taskDefinitionsApi } from './api-task-definitions.js';
import { tasksApi } from './api-tasks.js';
import { Behaviours } from './behaviours.js';
import { SimClock } from './clock.js';
import { CloudFrontStub } from './cloudfront.js';
import { Engine } from './engine.js';
import { FaultInjector } from './faults.js';
import { startHttpServer } from './http-server.js';
import { logsApi } from './logs-api.js';
import { LogStore } from './logs-store.js';
import { seedStartupWebApp } from './seed.js';
import { TaskDefinitionStore } from './task-definitions.js';
import type { RecordedRequest, Simulator, SimulatorOptions, TimelineEntry } from './types.js';
import { World } from './world.js';

export type * from './types.js';
export { SEED } from './seed.js';

/** Starts the ECS + CloudWatch Logs + CloudFront simulator on a loopback port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const timeline: TimelineEntry[] = [];
  const requests: RecordedRequest[] = [];
  const clock = new SimClock(options.timeScale ?? 1);
  const behaviours = new Behaviours();
  const logs = new LogStore((group, stream, count, last) =>
    timeline.push({ at: Date.now(), kind: 'logs', subject: `${group} ${stream}`, value: String(count), detail: last }),
  );
  const world = new World(
    { region, accountId },
    clock,
    behaviours,
    new TaskDefinitionStore(`arn:aws:ecs:${region}:${accountId}:`),
    logs,
    timeline,
  );
  const albs = new AlbListeners(world);
  const faults = new FaultInjector();
  const ecs = { ...clustersApi(world), ...taskDefinitionsApi(world), ...servicesApi(world, albs), ...tasksApi(world) };
  const { server, url } = await startHttpServer({
    ecs,
    logs: logsApi(logs, region, accountId),
    cloudfront: new CloudFrontStub(clock),
    faults,
    requests,
  });
  const engine = new Engine(world, options.tickMs ?? 20);
  engine.start();

  return {
    url,
    env: () => ({
      AWS_ENDPOINT_URL_ECS: url,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url,
      AWS_ENDPOINT_URL_CLOUDFRONT: url,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    images: { define: (image, behaviour) => behaviours.define(image, behaviour) },
    faults: { set: (f) => faults.set(f), clear: () => faults.clear() },
    requests,
    calls: (operation) => (operation ? requests.filter((r) => r.operation === operation) : [...requests]),
    timeline,
    albUrl(clusterName, serviceName) {
      const service = world.clusters.get(clusterName)?.services.get(serviceName);
      if (!service?.albPort) throw new Error(`No service ${serviceName} in cluster ${clusterName}`);
      return `http://127.0.0.1:${service.albPort}/health`;
    },
    seedStartupWebApp: (seedOptions) => seedStartupWebApp(world, ecs, engine, seedOptions),
    async stop() {
      engine.stop();
      server.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), albs.closeAll()]);
    },
  };
}
