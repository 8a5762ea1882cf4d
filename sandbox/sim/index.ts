import { Elbv2Api } from './alb/elbv2-handlers.js';
import { AlbListeners } from './alb/listeners.js';
import { TargetGroupStore } from './alb/target-group-store.js';
import { CloudFrontStub } from './cloudfront/invalidation-handlers.js';
import { SimClock } from './core/clock.js';
import { Engine } from './core/engine.js';
import { reconcileAll } from './ecs/deployments.js';
import { stepTasks } from './ecs/task-lifecycle.js';
import { FaultInjector } from './core/faults.js';
import { AccessPolicy } from './core/access.js';
import { ecrApi } from './ecr/ecr-handlers.js';
import { parseEcrImage } from './ecr/registry.js';
import { secretsManagerApi, ssmApi } from './secrets/secrets-handlers.js';
import { startHttpServer } from './core/http-server.js';
import { Behaviours } from './ecs/behaviours.js';
import { clustersApi } from './ecs/cluster-handlers.js';
import { servicesApi, unappliedServiceAnswers } from './ecs/service-handlers.js';
import { taskDefinitionsApi } from './ecs/task-definition-handlers.js';
import { TaskDefinitionStore } from './ecs/task-definitions.js';
import { tasksApi } from './ecs/task-handlers.js';
import { LogStore } from './logs/log-store.js';
import { logsApi } from './logs/logs-handlers.js';
import type { RecordedRequest, Simulator, SimulatorOptions, TimelineEntry } from './model.js';
import { seedStartupWebApp } from './seed.js';
import { World } from './world.js';
import { IamStandIn } from './iam/iam-handlers.js';
import type { PolicyDocument } from './iam/policy-evaluation.js';

export type {
  CommandBehaviour,
  FaultOptions,
  ImageBehaviour,
  RecordedRequest,
  Simulator,
  SimulatorOptions,
  TimelineEntry,
} from './model.js';
export { SEED } from './seed.js';

/** Starts the ECS + CloudWatch Logs + CloudFront + ELB v2 simulator on a loopback port. */
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
  const targetGroups = new TargetGroupStore(
    region,
    accountId,
    () => clock.now(),
    (group, target) =>
      timeline.push({
        at: Date.now(),
        kind: 'target',
        subject: `${group.name} ${target.id}:${target.port}`,
        value: target.state,
        ...(target.owner.tag ? { detail: target.owner.tag } : {}),
      }),
  );
  const world = new World(
    { region, accountId },
    clock,
    behaviours,
    new TaskDefinitionStore(`arn:aws:ecs:${region}:${accountId}:`),
    logs,
    timeline,
    targetGroups,
  );
  const albs = new AlbListeners(world);
  const faults = new FaultInjector();
  const access = new AccessPolicy(`arn:aws:sts::${accountId}:assumed-role/startupwebapp-github-deploy/GitHubActions`);
  const startedAt = Date.now();
  const ecs = { ...clustersApi(world), ...taskDefinitionsApi(world), ...servicesApi(world, albs), ...tasksApi(world) };
  const iam = new IamStandIn(accountId);
  const { server, url } = await startHttpServer({
    ecs,
    logs: logsApi(logs, region, accountId),
    ecr: ecrApi(world.ecr),
    secretsmanager: secretsManagerApi(world.secrets, startedAt),
    ssm: ssmApi(world.secrets, startedAt),
    access,
    unapplied: unappliedServiceAnswers(world),
    cloudfront: new CloudFrontStub(clock, world.distributions),
    query: [new Elbv2Api(targetGroups), iam],
    faults,
    requests,
  });
  // One step: due task steps first, then the target groups' health checks and drains, then every service's scheduler.
  const step = () => {
    stepTasks(world);
    targetGroups.step();
    reconcileAll(world);
  };
  const engine = new Engine(step, clock, options.tickMs ?? 20);
  engine.start();

  return {
    url,
    env: () => ({
      AWS_ENDPOINT_URL_ECS: url,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url,
      AWS_ENDPOINT_URL_CLOUDFRONT: url,
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: url,
      AWS_ENDPOINT_URL_ECR: url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
      AWS_ENDPOINT_URL_IAM: url,
      AWS_ENDPOINT_URL_SSM: url,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    images: {
      define: (image, behaviour) => {
        behaviours.define(image, behaviour);
        // A test that scripts an image of the account's registry means it exists, unless it scripts a failed pull.
        const ref = parseEcrImage(image);
        if (ref && world.ecr.owns(ref) && behaviour.pull !== 'fail') world.ecr.push(image);
      },
      release: (image) => behaviours.release(image),
    },
    faults: { set: (f) => faults.set(f), clear: () => faults.clear() },
    requests,
    calls: (operation) => (operation ? requests.filter((r) => r.operation === operation) : [...requests]),
    timeline,
    albUrl(clusterName, serviceName) {
      const service = world.clusters.get(clusterName)?.services.get(serviceName);
      if (!service?.albPort) throw new Error(`No service ${serviceName} in cluster ${clusterName}`);
      return `http://127.0.0.1:${service.albPort}${albs.healthPath(service)}`;
    },
    ecr: {
      push: (image, pushOptions) => world.ecr.push(image, pushOptions),
      remove: (image) => world.ecr.remove(image),
      tags: (repository) =>
        [...(world.ecr.repositories.get(repository)?.images ?? [])]
          .sort((a, b) => b.pushedAt - a.pushedAt)
          .flatMap((i) => i.tags),
    },
    putParameter: (arn, value) => world.secrets.putParameter(arn, value),
    access: { deny: (...actions) => access.deny(actions), allowAll: () => access.allowAll() },
    seedStartupWebApp: (seedOptions) => seedStartupWebApp(world, ecs, engine, seedOptions),
    secretValues: () => world.secrets.values(),
    account: {
      putRole: (name, policies) => iam.putRole(name, policies as Record<string, PolicyDocument>),
      deleteRole: (name) => iam.deleteRole(name),
      putRepository: (name, settings) => void world.ecr.putRepository(name, settings),
      deleteRepository: (name) => world.ecr.deleteRepository(name),
      putDistribution: (distribution) => void world.distributions.set(distribution.id, distribution),
      deleteDistribution: (id) => void world.distributions.delete(id),
      deleteLogGroup: (name) => void world.logs.groups.delete(name),
      deleteSecret: (arn) => world.secrets.deleteSecret(arn),
    },
    migrations: {
      applied: (database) => [...world.appliedIn(database)],
      markApplied: (database, names) => names.forEach((name) => world.appliedIn(database).add(name)),
    },
    async stop() {
      engine.stop();
      server.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), albs.closeAll()]);
    },
  };
}
