import type { AlbListeners } from '../alb/listeners.js';
import { AwsError, invalidParameter, serviceNotActive, serviceNotFound } from '../core/errors.js';
import { epochSeconds, nameFromArn } from '../core/ids.js';
import type { Json } from '../core/json.js';
import { page } from '../core/pagination.js';
import { arnUnder, describeEach } from './batch-describe.js';
import { deploymentCounts, startDeployment } from './deployments.js';
import { continueServiceDeployment } from './staged-deployments.js';
import { describeLaunchSettings } from './launch-settings.js';
import {
  describeServiceDeployment,
  describeServiceDeploymentBrief,
  describeServiceRevision,
  revisionCounts,
} from './service-deployments.js';
import type { Handler, Cluster, Service } from '../model.js';
import type { World } from '../world.js';

/** Services (Create/Describe/Update/List/Delete) and their deployment history. */

const DEFAULT_DEPLOYMENT_CONFIGURATION = {
  deploymentCircuitBreaker: { enable: false, rollback: false },
  maximumPercent: 200,
  minimumHealthyPercent: 100,
};

/**
 * Answers of an emulator that accepts a call without applying it (FaultOptions.unappliedRate): UpdateService answers
 * with the service as it is, no new deployment started.
 */
export function unappliedServiceAnswers(world: World): Record<string, Handler> {
  return {
    UpdateService(input) {
      const service = findService(world.cluster(input.cluster), input.service);
      return { service: describeService(world, service, false) };
    },
  };
}

export function describeService(world: World, service: Service, withTags: boolean): Json {
  const deployments = service.deployments.map((d) => {
    const counts = deploymentCounts(world, d, service);
    return {
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition.arn,
      desiredCount: d.desiredCount,
      pendingCount: counts.pendingCount,
      runningCount: counts.runningCount,
      failedTasks: d.failedTasks,
      createdAt: epochSeconds(d.createdAt),
      updatedAt: epochSeconds(d.updatedAt),
      ...describeLaunchSettings(d),
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
    };
  });
  const live = world.tasksOf(service).filter((t) => t.desiredStatus === 'RUNNING');
  const primary = service.deployments[0];
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.cluster.arn,
    loadBalancers: service.loadBalancers,
    serviceRegistries: service.serviceRegistries,
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: live.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: live.filter((t) => t.lastStatus !== 'RUNNING').length,
    ...describeLaunchSettings(service),
    taskDefinition: service.taskDefinition.arn,
    deploymentConfiguration: service.deploymentConfiguration,
    deployments,
    ...(service.roleArn ? { roleArn: service.roleArn } : {}),
    events: service.events.map((e) => ({ id: e.id, createdAt: epochSeconds(e.createdAt), message: e.message })),
    createdAt: epochSeconds(service.createdAt),
    ...(primary ? { currentServiceDeployment: primary.serviceDeploymentArn } : {}),
    currentServiceRevisions: [...new Set(service.deployments.map((d) => d.revisionArn))].map((arn) =>
      revisionCounts(world, service, arn),
    ),
    placementConstraints: service.placementConstraints,
    placementStrategy: service.placementStrategy,
    ...(service.healthCheckGracePeriodSeconds !== undefined
      ? { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds }
      : {}),
    schedulingStrategy: service.schedulingStrategy,
    deploymentController: service.deploymentController,
    createdBy: service.createdBy,
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags,
    enableExecuteCommand: service.enableExecuteCommand,
    ...(service.availabilityZoneRebalancing
      ? { availabilityZoneRebalancing: service.availabilityZoneRebalancing }
      : {}),
    ...(withTags ? { tags: service.tags } : {}),
  };
}

function findService(cluster: Cluster, ref: unknown): Service {
  if (typeof ref !== 'string' || ref === '') throw invalidParameter('Service can not be blank.');
  const service = cluster.services.get(nameFromArn(ref));
  if (!service) throw serviceNotFound();
  return service;
}

function validateDeploymentConfiguration(config: Json): void {
  const { minimumHealthyPercent: min, maximumPercent: max } = config;
  if (max !== undefined && max < 100) {
    throw invalidParameter(
      'maximumPercent must be at least 100 for a service using the rolling update (ECS) deployment controller.',
    );
  }
  if (min !== undefined && (min < 0 || min > 100))
    throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  // "You must provide this parameter when you use the BLUE_GREEN deployment strategy." (API_DeploymentConfiguration)
  if (config.strategy === 'BLUE_GREEN' && config.bakeTimeInMinutes === undefined)
    throw invalidParameter('bakeTimeInMinutes must be provided when the deployment strategy is BLUE_GREEN.');
  if (min === 100 && max === 100) {
    throw invalidParameter(
      'The maximumPercent must be greater than minimumHealthyPercent or the deployment would never progress.',
    );
  }
}

export function validateNetwork(td: Json, networkConfiguration: Json | undefined): void {
  if (td.networkMode === 'awsvpc' && !networkConfiguration?.awsvpcConfiguration) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
}

export function servicesApi(world: World, albs: AlbListeners): Record<string, Handler> {
  return {
    async CreateService(input) {
      const cluster = world.cluster(input.cluster);
      const name = input.serviceName;
      if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(name))
        throw invalidParameter('Invalid service name.');
      const existing = cluster.services.get(name);
      if (existing && existing.status === 'ACTIVE') throw invalidParameter('Creation of service was not idempotent.');
      if (typeof input.taskDefinition !== 'string') throw invalidParameter('TaskDefinition can not be blank.');
      const td = world.taskDefinitions.runnable(input.taskDefinition);
      validateNetwork(td.raw, input.networkConfiguration);
      const deploymentConfiguration = { ...DEFAULT_DEPLOYMENT_CONFIGURATION, ...(input.deploymentConfiguration ?? {}) };
      validateDeploymentConfiguration(deploymentConfiguration);
      const service: Service = {
        name,
        arn: `${world.arnPrefix}service/${cluster.name}/${name}`,
        cluster,
        status: 'ACTIVE',
        taskDefinition: td,
        desiredCount: input.desiredCount ?? 0,
        launchType: input.capacityProviderStrategy?.length ? undefined : (input.launchType ?? 'EC2'),
        capacityProviderStrategy: input.capacityProviderStrategy,
        platformVersion: input.platformVersion ?? (input.launchType === 'FARGATE' ? 'LATEST' : undefined),
        networkConfiguration: input.networkConfiguration,
        loadBalancers: input.loadBalancers ?? [],
        serviceRegistries: input.serviceRegistries ?? [],
        deploymentConfiguration,
        deploymentController: input.deploymentController ?? { type: 'ECS' },
        deployments: [],
        events: [],
        createdAt: Date.now(),
        createdBy: world.callerArn,
        roleArn: input.role,
        healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds,
        schedulingStrategy: input.schedulingStrategy ?? 'REPLICA',
        enableECSManagedTags: input.enableECSManagedTags ?? false,
        propagateTags: input.propagateTags ?? 'NONE',
        enableExecuteCommand: input.enableExecuteCommand ?? false,
        placementConstraints: input.placementConstraints ?? [],
        placementStrategy: input.placementStrategy ?? [],
        tags: input.tags ?? [],
        availabilityZoneRebalancing: input.availabilityZoneRebalancing,
      };
      service.albPort = await albs.open(service);
      cluster.services.set(name, service);
      startDeployment(world, service);
      return { service: describeService(world, service, false) };
    },
    DescribeServices(input) {
      const cluster = world.cluster(input.cluster);
      if (!Array.isArray(input.services) || input.services.length === 0)
        throw invalidParameter('Services cannot be empty.');
      if (input.services.length > 10)
        throw invalidParameter('Too many services were provided. Maximum of 10 services are allowed.');
      const withTags = Array.isArray(input.include) && input.include.includes('TAGS');
      const { described: services, failures } = describeEach(
        input.services as string[],
        (ref) => cluster.services.get(nameFromArn(ref)),
        (service) => describeService(world, service, withTags),
        arnUnder(`${world.arnPrefix}service/${cluster.name}/`),
      );
      return { services, failures };
    },
    UpdateService(input) {
      const cluster = world.cluster(input.cluster);
      const service = findService(cluster, input.service);
      if (service.status !== 'ACTIVE') throw serviceNotActive();
      const td =
        input.taskDefinition !== undefined
          ? world.taskDefinitions.runnable(input.taskDefinition)
          : service.taskDefinition;
      if (input.networkConfiguration) validateNetwork(td.raw, input.networkConfiguration);
      if (input.deploymentConfiguration) {
        const merged = { ...service.deploymentConfiguration, ...input.deploymentConfiguration };
        validateDeploymentConfiguration(merged);
        service.deploymentConfiguration = merged;
      }
      let configurationChanged = td !== service.taskDefinition;
      for (const key of [
        'networkConfiguration',
        'platformVersion',
        'capacityProviderStrategy',
        'loadBalancers',
      ] as const) {
        if (input[key] !== undefined) {
          (service as unknown as Json)[key] = input[key];
          configurationChanged = true;
        }
      }
      if (input.enableExecuteCommand !== undefined) service.enableExecuteCommand = input.enableExecuteCommand;
      if (input.healthCheckGracePeriodSeconds !== undefined)
        service.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
      if (input.desiredCount !== undefined) {
        if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0)
          throw invalidParameter('desiredCount must be a non-negative integer.');
        service.desiredCount = input.desiredCount;
        const primary = service.deployments[0];
        if (primary) primary.desiredCount = input.desiredCount;
      }
      service.taskDefinition = td;
      if (configurationChanged || input.forceNewDeployment) startDeployment(world, service);
      return { service: describeService(world, service, false) };
    },
    ListServices(input) {
      const cluster = world.cluster(input.cluster);
      const arns = [...cluster.services.values()]
        .filter((s) => s.status === 'ACTIVE' && (!input.launchType || s.launchType === input.launchType))
        .map((s) => s.arn);
      const { page: serviceArns, nextToken } = page(arns, input);
      return { serviceArns, ...(nextToken ? { nextToken } : {}) };
    },
    DeleteService(input) {
      const cluster = world.cluster(input.cluster);
      const service = findService(cluster, input.service);
      if (service.desiredCount > 0 && !input.force) {
        throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
      }
      service.status = 'DRAINING';
      service.desiredCount = 0;
      return { service: describeService(world, service, false) };
    },
    ListServiceDeployments(input) {
      const cluster = world.cluster(input.cluster);
      const service = findService(cluster, input.service);
      const statuses: string[] | undefined = input.status?.length ? input.status : undefined;
      const after = input.createdAt?.after !== undefined ? input.createdAt.after * 1000 : undefined;
      const before = input.createdAt?.before !== undefined ? input.createdAt.before * 1000 : undefined;
      const records = [...world.serviceDeployments.values()]
        .filter((r) => r.service === service)
        .filter((r) => !statuses || statuses.includes(r.status))
        .filter((r) => (after === undefined || r.createdAt >= after) && (before === undefined || r.createdAt <= before))
        .reverse();
      const { page: result, nextToken } = page(records, input, 100);
      return { serviceDeployments: result.map(describeServiceDeploymentBrief), ...(nextToken ? { nextToken } : {}) };
    },
    DescribeServiceDeployments(input) {
      const { described: serviceDeployments, failures } = describeByArns(
        input,
        'serviceDeploymentArns',
        world.serviceDeployments,
        (record) => describeServiceDeployment(world, record),
      );
      return { serviceDeployments, failures };
    },
    DescribeServiceRevisions(input) {
      const { described: serviceRevisions, failures } = describeByArns(
        input,
        'serviceRevisionArns',
        world.serviceRevisions,
        describeServiceRevision,
      );
      return { serviceRevisions, failures };
    },
    ContinueServiceDeployment(input) {
      continueServiceDeployment(world, String(input.serviceDeploymentArn ?? ''), input.hookId, input.action);
      return { serviceDeploymentArn: input.serviceDeploymentArn };
    },
    StopServiceDeployment(input) {
      const record = world.serviceDeployments.get(String(input.serviceDeploymentArn ?? ''));
      if (!record) throw new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
      // Stopping one that is already stopping or rolling back lets that carry on (Developer Guide).
      if (['STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'].includes(record.status)) {
        return { serviceDeploymentArn: record.arn };
      }
      if (!['PENDING', 'IN_PROGRESS'].includes(record.status)) {
        throw new AwsError(
          'ConflictException',
          `The service deployment is in ${record.status} status and can't be stopped.`,
        );
      }
      const stopType = input.stopType ?? 'ROLLBACK';
      if (stopType !== 'ROLLBACK' && stopType !== 'ABORT')
        throw invalidParameter('stopType must be ROLLBACK or ABORT.');
      record.status = stopType === 'ROLLBACK' ? 'ROLLBACK_REQUESTED' : 'STOP_REQUESTED';
      record.updatedAt = Date.now();
      record.service.pendingStop = { record, stopType };
      return { serviceDeploymentArn: record.arn };
    },
  };
}

/** A Describe* that takes ARNs only, at least one (`field` of the input): each described, or MISSING. */
function describeByArns<T>(input: Json, field: string, records: Map<string, T>, describe: (record: T) => Json) {
  const arns: string[] = input[field] ?? [];
  if (arns.length === 0) throw invalidParameter(`${field} can not be empty.`);
  return describeEach(arns, (arn) => records.get(arn), describe);
}
