import { alphanumeric, epochSeconds as seconds } from '../core/ids.js';
import type { Json } from '../core/json.js';
import { launchSettingsOf } from './launch-settings.js';
import { containersOf } from './task-definitions.js';
import { stagedFields } from './staged-state.js';
import type { Deployment, Service, ServiceDeploymentRecord, ServiceRevisionRecord, Task } from '../model.js';
import type { World } from '../world.js';

/** The service deployment history (ListServiceDeployments & co.): one record per requested deployment. */

export function serviceDeploymentArn(world: World, service: Service): string {
  return `${world.arnPrefix}service-deployment/${service.cluster.name}/${service.name}/${alphanumeric(22)}`;
}

export function createRevision(world: World, service: Service, revisionId: string): ServiceRevisionRecord {
  const revision: ServiceRevisionRecord = {
    arn: `${world.arnPrefix}service-revision/${service.cluster.name}/${service.name}/${revisionId}`,
    service,
    taskDefinitionArn: service.taskDefinition.arn,
    ...launchSettingsOf(service),
    loadBalancers: service.loadBalancers,
    serviceRegistries: service.serviceRegistries,
    containerImages: containersOf(service.taskDefinition).map((c) => ({
      containerName: c.name,
      image: c.image,
      imageDigest: `sha256:${'0'.repeat(64)}`,
    })),
    createdAt: Date.now(),
  };
  world.serviceRevisions.set(revision.arn, revision);
  return revision;
}

const defined = (o: Json) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Task counts of one service revision, summed over the service's deployments that run it. */
export function revisionCounts(world: World, service: Service, revisionArn: string): Json {
  const deployments = service.deployments.filter((d) => d.revisionArn === revisionArn);
  const tasks: Task[] = world.tasksOf(service).filter((t) => deployments.some((d) => d.id === t.deploymentId));
  const live = tasks.filter((t) => t.desiredStatus === 'RUNNING');
  return {
    arn: revisionArn,
    requestedTaskCount: deployments.reduce((sum, d) => sum + d.desiredCount, 0),
    runningTaskCount: live.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTaskCount: live.filter((t) => t.lastStatus !== 'RUNNING').length,
  };
}

export function describeServiceDeployment(world: World, record: ServiceDeploymentRecord): Json {
  const base = defined({
    serviceDeploymentArn: record.arn,
    serviceArn: record.service.arn,
    clusterArn: record.service.cluster.arn,
    createdAt: seconds(record.createdAt),
    startedAt: seconds(record.startedAt),
    finishedAt: seconds(record.finishedAt),
    stoppedAt: seconds(record.stoppedAt),
    updatedAt: seconds(record.updatedAt),
    sourceServiceRevisions: record.sourceRevisionArns.map((arn) => revisionCounts(world, record.service, arn)),
    targetServiceRevision: revisionCounts(world, record.service, record.targetRevisionArn),
    status: record.status,
    statusReason: record.statusReason,
    deploymentConfiguration: record.deploymentConfiguration,
    rollback: record.rollback ? { ...record.rollback, startedAt: seconds(record.rollback.startedAt) } : undefined,
    deploymentCircuitBreaker: record.breaker,
  });
  return { ...base, ...stagedFields(record, base) };
}

export function describeServiceDeploymentBrief(record: ServiceDeploymentRecord): Json {
  return defined({
    serviceDeploymentArn: record.arn,
    serviceArn: record.service.arn,
    clusterArn: record.service.cluster.arn,
    startedAt: seconds(record.startedAt),
    createdAt: seconds(record.createdAt),
    finishedAt: seconds(record.finishedAt),
    targetServiceRevisionArn: record.targetRevisionArn,
    status: record.status,
    statusReason: record.statusReason,
  });
}

export function describeServiceRevision(revision: ServiceRevisionRecord): Json {
  return defined({
    serviceRevisionArn: revision.arn,
    serviceArn: revision.service.arn,
    clusterArn: revision.service.cluster.arn,
    taskDefinition: revision.taskDefinitionArn,
    capacityProviderStrategy: revision.capacityProviderStrategy,
    launchType: revision.launchType,
    platformVersion: revision.platformVersion,
    platformFamily: 'Linux',
    loadBalancers: revision.loadBalancers,
    serviceRegistries: revision.serviceRegistries,
    networkConfiguration: revision.networkConfiguration,
    containerImages: revision.containerImages,
    guardDutyEnabled: false,
    createdAt: seconds(revision.createdAt),
  });
}

export function recordOf(world: World, deployment: Deployment): ServiceDeploymentRecord {
  return world.serviceDeployments.get(deployment.serviceDeploymentArn)!;
}
