import { nameFromArn } from '../core/ids.js';
import { arnUnder, describeEach } from './batch-describe.js';
import type { Handler, Cluster } from '../model.js';
import type { World } from '../world.js';

/** CreateCluster, DescribeClusters, ListClusters. */

function describeCluster(world: World, cluster: Cluster) {
  const tasks = [...world.tasks.values()].filter((t) => t.cluster === cluster && t.lastStatus !== 'STOPPED');
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus !== 'RUNNING').length,
    activeServicesCount: [...cluster.services.values()].filter((s) => s.status === 'ACTIVE').length,
    statistics: [],
    tags: cluster.tags,
    settings: cluster.settings,
    capacityProviders: cluster.capacityProviders,
    defaultCapacityProviderStrategy: [],
  };
}

export function createCluster(
  world: World,
  name: string,
  extra: { tags?: unknown[]; settings?: unknown[]; capacityProviders?: string[] } = {},
): Cluster {
  const existing = world.clusters.get(name);
  if (existing) return existing;
  const cluster: Cluster = {
    name,
    arn: `${world.arnPrefix}cluster/${name}`,
    createdAt: Date.now(),
    tags: (extra.tags ?? []) as Cluster['tags'],
    settings: (extra.settings ?? [{ name: 'containerInsights', value: 'disabled' }]) as Cluster['settings'],
    capacityProviders: extra.capacityProviders ?? ['FARGATE', 'FARGATE_SPOT'],
    services: new Map(),
  };
  world.clusters.set(name, cluster);
  return cluster;
}

export function clustersApi(world: World): Record<string, Handler> {
  return {
    CreateCluster(input) {
      const cluster = createCluster(world, input.clusterName ?? 'default', input);
      return { cluster: describeCluster(world, cluster) };
    },
    DescribeClusters(input) {
      const refs: string[] = input.clusters?.length ? input.clusters : ['default'];
      const { described: clusters, failures } = describeEach(
        refs,
        (ref) => world.clusters.get(nameFromArn(ref)),
        (cluster) => describeCluster(world, cluster),
        arnUnder(`${world.arnPrefix}cluster/`),
      );
      return { clusters, failures };
    },
    ListClusters() {
      return { clusterArns: [...world.clusters.values()].map((c) => c.arn) };
    },
  };
}
