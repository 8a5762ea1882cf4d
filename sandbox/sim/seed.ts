import type { Engine } from './core/engine.js';
import { createCluster } from './ecs/cluster-handlers.js';
import type { Handler } from './model.js';
import type { World } from './world.js';

/** The StartupWebApp-shaped account: cluster, two task definitions, log groups, and a 2-task service. */

export const SEED = {
  cluster: 'startupwebapp-cluster',
  service: 'startupwebapp-service',
  serviceFamily: 'startupwebapp-service-task',
  migrationFamily: 'startupwebapp-migration-task',
  serviceLogGroup: '/ecs/startupwebapp-service',
  migrationLogGroup: '/ecs/startupwebapp-migrations',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-server:seed',
  subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  securityGroups: ['sg-0a1b2c3d4e5f60003'],
  /** The ALB's target group as scripts/infra/create-alb.sh creates it (deregistration delay left at ELB's 300 s). */
  targetGroup: 'startupwebapp-tg',
  healthCheckPath: '/order/products',
  vpc: 'vpc-0a1b2c3d4e5f60000',
};

export async function seedStartupWebApp(
  world: World,
  ecs: Record<string, Handler>,
  engine: Engine,
  options: { image?: string } = {},
): Promise<void> {
  const { region, accountId } = world.config;
  const image = options.image ?? SEED.image.replace('123456789012', accountId).replace('us-east-1', region);
  const secret = (name: string) =>
    `arn:aws:secretsmanager:${region}:${accountId}:secret:rds/startupwebapp/multi-tenant/master-AbCdEf:${name}::`;
  const secrets = [
    { name: 'DATABASE_PASSWORD', valueFrom: secret('password') },
    { name: 'DATABASE_USER', valueFrom: secret('username') },
    { name: 'DATABASE_HOST', valueFrom: secret('host') },
    { name: 'DJANGO_SECRET_KEY', valueFrom: secret('django_secret_key') },
    { name: 'STRIPE_SECRET_KEY', valueFrom: secret('stripe_secret_key') },
  ];
  const environment = [
    { name: 'DATABASE_NAME', value: 'startupwebapp_prod' },
    { name: 'DATABASE_PORT', value: '5432' },
    { name: 'DJANGO_SETTINGS_MODULE', value: 'StartupWebApp.settings_production' },
    { name: 'AWS_REGION', value: region },
  ];
  const executionRoleArn = `arn:aws:iam::${accountId}:role/ecsTaskExecutionRole-startupwebapp`;
  const taskRoleArn = `arn:aws:iam::${accountId}:role/ecsTaskRole-startupwebapp`;
  const awslogs = (group: string) => ({
    logDriver: 'awslogs',
    options: { 'awslogs-group': group, 'awslogs-region': region, 'awslogs-stream-prefix': 'ecs' },
  });

  createCluster(world, SEED.cluster);
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
        name: 'startupwebapp-server',
        image,
        essential: true,
        portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }],
        environment,
        secrets,
        logConfiguration: awslogs(SEED.serviceLogGroup),
      },
    ],
  });
  await ecs.RegisterTaskDefinition({
    family: SEED.migrationFamily,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '2048',
    executionRoleArn,
    taskRoleArn,
    containerDefinitions: [
      {
        name: 'migration',
        image,
        essential: true,
        command: ['python', 'manage.py', 'migrate', '--noinput'],
        environment,
        secrets,
        logConfiguration: awslogs(SEED.migrationLogGroup),
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
        containerName: 'startupwebapp-server',
        containerPort: 8000,
      },
    ],
    healthCheckGracePeriodSeconds: 120,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      minimumHealthyPercent: 100,
      maximumPercent: 200,
    },
    enableExecuteCommand: false,
    propagateTags: 'SERVICE',
    tags: [{ key: 'app', value: 'startupwebapp' }],
  });
  const service = world.clusters.get(SEED.cluster)!.services.get(SEED.service)!;
  const ok = engine.fastForward(
    () => service.deployments.length === 1 && service.deployments[0].rolloutState === 'COMPLETED',
  );
  if (!ok) throw new Error(`Seeding: ${SEED.service} did not reach a steady state (check the behaviour of ${image})`);
}
