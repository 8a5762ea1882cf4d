import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, type Service, type Task } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimulator } from '../../sandbox/sim/index.js';
import type { Simulator, SimulatorOptions } from '../../sandbox/sim/model.js';
import { waitFor } from './wait-for.js';

/** Real SDK clients pointed at a running simulator, and small polling helpers for the tests. */

export const CLUSTER = 'startupwebapp-cluster';
export const SERVICE = 'startupwebapp-service';

export interface SimContext {
  sim: Simulator;
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  cloudfront: CloudFrontClient;
  elb: ElasticLoadBalancingV2Client;
}

export async function startSim(options: SimulatorOptions = {}): Promise<SimContext> {
  const sim = await startSimulator({ timeScale: 0.005, ...options });
  const config = {
    endpoint: sim.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  return {
    sim,
    ecs: new ECSClient(config),
    logs: new CloudWatchLogsClient(config),
    cloudfront: new CloudFrontClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
  };
}

export async function stopSim(context: SimContext | undefined): Promise<void> {
  if (!context) return;
  context.ecs.destroy();
  context.logs.destroy();
  context.cloudfront.destroy();
  context.elb.destroy();
  await context.sim.stop();
}

export async function describeService(ecs: ECSClient, cluster = CLUSTER, service = SERVICE): Promise<Service> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return out.services![0];
}

export async function waitForTaskStopped(ecs: ECSClient, cluster: string, taskArn: string): Promise<Task> {
  return waitFor(async () => {
    const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
    const task = out.tasks![0];
    return task.lastStatus === 'STOPPED' ? task : undefined;
  });
}

/** Registers a new revision of the seeded service family with another image. */
export function serviceRevisionWithImage(image: string) {
  return {
    family: 'startupwebapp-service-task',
    networkMode: 'awsvpc' as const,
    requiresCompatibilities: ['FARGATE' as const],
    cpu: '512',
    memory: '1024',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole-startupwebapp',
    containerDefinitions: [
      {
        name: 'web',
        image,
        essential: true,
        portMappings: [{ containerPort: 8000 }],
        logConfiguration: {
          logDriver: 'awslogs' as const,
          options: {
            'awslogs-group': '/ecs/startupwebapp-service',
            'awslogs-region': 'us-east-1',
            'awslogs-stream-prefix': 'web',
          },
        },
      },
    ],
  };
}
