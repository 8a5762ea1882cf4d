import type { Engine } from './core/engine.js';
import { createCluster } from './ecs/cluster-handlers.js';
import type { TargetGroup } from './alb/target-group-store.js';
import type { Json } from './core/json.js';
import type { Handler } from './model.js';
import type { World } from './world.js';
import { parseEcrImage } from './ecr/registry.js';

/**
 * StartupWebApp's account as it runs today (scripts/infra of the server repository): cluster, the service and migration
 * task definitions (containers `web` and `migration`), their log groups, the database secret, and a 2-task service
 * behind target group startupwebapp-tg. The migration family is polluted as the real one is: its newest revision holds
 * DJANGO_SUPERUSER_USERNAME, _EMAIL and _PASSWORD as plain environment values (values of the database secret's
 * superuser_* keys, so `secretValues()` covers them).
 */

export const SEED = {
  cluster: 'startupwebapp-cluster',
  service: 'startupwebapp-service',
  serviceFamily: 'startupwebapp-service-task',
  migrationFamily: 'startupwebapp-migration-task',
  serviceContainer: 'web',
  migrationContainer: 'migration',
  serviceLogGroup: '/ecs/startupwebapp-service',
  migrationLogGroup: '/ecs/startupwebapp-migrations',
  /** ECR repository the images come from. */
  repository: '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend:seed',
  /**
   * Tags in the repository besides `seed`, oldest push first: earlier releases (tagged with their commit, as the backend
   * workflow tags what it pushes), among them the pipeline's good release, which scripts run without defining it.
   */
  releaseTags: ['0c4e7d2', '9b7d3a0', 'c81d2e7', '4f2c9e1'],
  /** The database secret (JSON keys username, password, host, port and superuser_*), with its 6-character suffix. */
  databaseSecretArn:
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds/startupwebapp/multi-tenant/master-AbCdEf',
  subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  securityGroups: ['sg-0a1b2c3d4e5f60003'],
  /** The ALB's target group as scripts/infra/create-alb.sh creates it (deregistration delay left at ELB's 300 s). */
  targetGroup: 'startupwebapp-tg',
  healthCheckPath: '/order/products',
  vpc: 'vpc-0a1b2c3d4e5f60000',
  /** ECR repository name (scan on push, tags mutable: every build also pushes `latest`). */
  ecrRepository: 'startupwebapp-backend',
  /** The client's CloudFront distribution (hard-coded in its workflow) in front of the frontend bucket. */
  distributionId: 'E2IQ9KG6S4Y7R3',
  frontendBucket: 'startupwebapp-frontend-production',
};

export interface SeedOptions {
  image?: string;
  /**
   * Deploy with ECS's own blue/green, linear or canary strategy (merged into the service's deploymentConfiguration,
   * e.g. `{ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 }`): the seed then adds the alternate target group
   * `startupwebapp-tg-green` and the load balancer's advancedConfiguration (listener rules, ECS's ELB role).
   */
  deployment?: Json;
}

export async function seedStartupWebApp(
  world: World,
  ecs: Record<string, Handler>,
  engine: Engine,
  options: SeedOptions = {},
): Promise<void> {
  const { region, accountId } = world.config;
  const local = (text: string) => text.replace('123456789012', accountId).replace('us-east-1', region);
  const image = options.image ?? local(SEED.image);
  const secretArn = local(SEED.databaseSecretArn);
  if (!world.secrets.has(secretArn)) world.secrets.putSecret(secretArn, sandboxDatabaseSecret());
  const secrets = ['password', 'username', 'host', 'port'].map((key) => ({
    name: `DATABASE_${key === 'username' ? 'USER' : key.toUpperCase()}`,
    valueFrom: `${secretArn}:${key}::`,
  }));
  const environment = [
    { name: 'DJANGO_SETTINGS_MODULE', value: 'StartupWebApp.settings_production' },
    { name: 'AWS_REGION', value: region },
    { name: 'DB_SECRET_NAME', value: 'rds/startupwebapp/multi-tenant/master' },
  ];
  const executionRoleArn = `arn:aws:iam::${accountId}:role/ecsTaskExecutionRole-startupwebapp`;
  const taskRoleArn = `arn:aws:iam::${accountId}:role/ecsTaskRole-startupwebapp`;
  const awslogs = (group: string, prefix: string) => ({
    logDriver: 'awslogs',
    options: { 'awslogs-group': group, 'awslogs-region': region, 'awslogs-stream-prefix': prefix },
  });

  pushReleases(world, local(SEED.repository), image);
  createCluster(world, SEED.cluster);
  world.distributions.set(SEED.distributionId, {
    id: SEED.distributionId,
    origins: [`${SEED.frontendBucket}.s3.${region}.amazonaws.com`],
    enabled: true,
  });
  for (const group of [SEED.serviceLogGroup, SEED.migrationLogGroup]) {
    if (!world.logs.groups.has(group)) world.logs.createGroup(group, Date.now());
  }
  await ecs.RegisterTaskDefinition({
    family: SEED.serviceFamily,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    executionRoleArn,
    taskRoleArn,
    containerDefinitions: [
      {
        name: SEED.serviceContainer,
        image,
        essential: true,
        command: [
          'gunicorn',
          'StartupWebApp.wsgi:application',
          '--bind',
          '0.0.0.0:8000',
          '--workers',
          '3',
          '--timeout',
          '30',
          '--access-logfile',
          '-',
          '--error-logfile',
          '-',
        ],
        portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }],
        environment: [
          ...environment,
          { name: 'DATABASE_NAME', value: 'startupwebapp_prod' },
          { name: 'ENVIRONMENT_DOMAIN', value: 'https://startupwebapp.mosaicmeshai.com' },
        ],
        secrets,
        logConfiguration: awslogs(SEED.serviceLogGroup, 'web'),
        healthCheck: {
          command: ['CMD-SHELL', 'curl -f http://localhost:8000/order/products/ || exit 1'],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 60,
        },
      },
    ],
  });
  // No DATABASE_NAME: Django then uses startupwebapp_prod, and a run picks its tenant by setting it. Today's
  // run-admin-command.yml registered the superuser details as plain values, and every revision since copies them.
  const vault = sandboxDatabaseSecret();
  const pollutedEnvironment = [
    ...environment,
    { name: 'DJANGO_SUPERUSER_USERNAME', value: vault.superuser_username },
    { name: 'DJANGO_SUPERUSER_EMAIL', value: vault.superuser_email },
    { name: 'DJANGO_SUPERUSER_PASSWORD', value: vault.superuser_password },
  ];
  await ecs.RegisterTaskDefinition({
    family: SEED.migrationFamily,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn,
    taskRoleArn,
    containerDefinitions: [
      {
        name: SEED.migrationContainer,
        image,
        essential: true,
        command: ['python', 'manage.py', 'migrate'],
        environment: pollutedEnvironment,
        secrets,
        logConfiguration: awslogs(SEED.migrationLogGroup, 'migration'),
      },
    ],
  });
  const targetGroup = world.targetGroups.create({
    name: SEED.targetGroup,
    port: 8000,
    protocol: 'HTTP',
    vpcId: SEED.vpc,
    targetType: 'ip',
    healthCheck: {
      path: SEED.healthCheckPath,
      intervalSeconds: 30,
      timeoutSeconds: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
      matcher: '200',
    },
    loadBalancerArns: [
      `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/app/startupwebapp-alb/50dc6c495c0c9188`,
    ],
  });
  const staged = options.deployment ? stagedLoadBalancer(world, targetGroup, region, accountId) : undefined;
  await ecs.CreateService({
    cluster: SEED.cluster,
    serviceName: SEED.service,
    taskDefinition: SEED.serviceFamily,
    desiredCount: 2,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    networkConfiguration: {
      awsvpcConfiguration: { subnets: SEED.subnets, securityGroups: SEED.securityGroups, assignPublicIp: 'DISABLED' },
    },
    loadBalancers: [
      {
        targetGroupArn: targetGroup.arn,
        containerName: SEED.serviceContainer,
        containerPort: 8000,
        ...(staged ? { advancedConfiguration: staged } : {}),
      },
    ],
    healthCheckGracePeriodSeconds: 120,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      ...withoutHooks(options.deployment),
    },
    enableExecuteCommand: true,
    propagateTags: 'SERVICE',
    tags: [{ key: 'app', value: 'startupwebapp' }],
  });
  const service = world.clusters.get(SEED.cluster)!.services.get(SEED.service)!;
  const ok = engine.fastForward(
    () => service.deployments.length === 1 && service.deployments[0].rolloutState === 'COMPLETED',
  );
  if (!ok) throw new Error(`Seeding: ${SEED.service} did not reach a steady state (check the behaviour of ${image})`);
  // Lifecycle hooks would pause the first deployment too: they are set once the service is steady.
  const hooks = options.deployment?.lifecycleHooks;
  if (hooks) {
    await ecs.UpdateService({
      cluster: SEED.cluster,
      service: SEED.service,
      deploymentConfiguration: { lifecycleHooks: hooks },
    });
  }
}

function withoutHooks(deployment: Json | undefined): Json {
  const { lifecycleHooks: _hooks, ...rest } = deployment ?? {};
  return rest;
}

/** The alternate target group (same health check) and the advancedConfiguration naming it, for blue/green. */
function stagedLoadBalancer(world: World, blue: TargetGroup, region: string, accountId: string): Json {
  const green = world.targetGroups.create({
    name: `${SEED.targetGroup}-green`,
    port: blue.port,
    protocol: blue.protocol,
    vpcId: blue.vpcId,
    targetType: blue.targetType,
    healthCheck: { ...blue.healthCheck },
    loadBalancerArns: [...blue.loadBalancerArns],
  });
  const listener = `arn:aws:elasticloadbalancing:${region}:${accountId}:listener-rule/app/startupwebapp-alb/50dc6c495c0c9188`;
  return {
    alternateTargetGroupArn: green.arn,
    productionListenerRule: `${listener}/9f2b3c4d5e6f7a8b/0a1b2c3d4e5f6a7b`,
    testListenerRule: `${listener}/1c2d3e4f5a6b7c8d/1b2c3d4e5f6a7b8c`,
    roleArn: `arn:aws:iam::${accountId}:role/ecsInfrastructureRoleForLoadBalancers`,
  };
}

/**
 * The repository as today (scan on push, mutable tags): earlier releases an hour apart, then the image the service runs
 * (when it is ECR's).
 */
function pushReleases(world: World, repository: string, image: string): void {
  world.ecr.putRepository(SEED.ecrRepository, { imageTagMutability: 'MUTABLE', scanOnPush: true });
  const now = Date.now();
  const pushes = [...SEED.releaseTags.map((tag) => `${repository}:${tag}`), image];
  pushes.forEach((release, index) => {
    const ref = parseEcrImage(release);
    if (ref && world.ecr.owns(ref)) {
      world.ecr.push(release, { pushedAt: now - (pushes.length - 1 - index) * 3_600_000 });
    }
  });
}

/** The values behind the database secret: made up, and never served by any API of the sandbox. */
function sandboxDatabaseSecret() {
  return {
    username: 'startupwebapp_admin',
    password: 'sandbox-db-password-7f3a9c',
    host: 'startupwebapp-multi-tenant-prod.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com',
    port: '5432',
    superuser_username: 'sandbox-admin',
    superuser_email: 'admin@sandbox.invalid',
    superuser_password: 'sandbox-superuser-password-2d8e41',
  };
}
