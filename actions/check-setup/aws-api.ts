import { CloudFrontClient, GetDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { withNamedCalls } from '../../lib/aws/aws-errors.js';
import type { AwsClientConfig } from '../../lib/aws/config.js';
import type { SimulationRequest, SimulationResult } from './permission-checks.js';
import type { DistributionData, Found, ServiceData, TargetGroupData } from './resource-checks.js';
import type { FamilyData } from './task-family-checks.js';

/**
 * Every AWS call of check-setup, each a read (Describe, Get, Head, or IAM's policy simulator, which changes
 * nothing). A "not found" answer is a result; any other error (AccessDenied, throttling…) is thrown for the caller
 * to report.
 */

export class SetupReader {
  private readonly ecs: ECSClient;
  private readonly logs: CloudWatchLogsClient;

  constructor(private readonly config: AwsClientConfig) {
    this.ecs = withNamedCalls(new ECSClient({ ...config }));
    this.logs = withNamedCalls(new CloudWatchLogsClient({ ...config }));
  }

  async clusterStatus(name: string): Promise<Found<string>> {
    const out = await this.ecs.send(new DescribeClustersCommand({ clusters: [name] }));
    const cluster = out.clusters?.[0];
    return cluster ? { found: true, value: cluster.status ?? 'UNKNOWN' } : { found: false };
  }

  async service(cluster: string, name: string): Promise<Found<ServiceData>> {
    const out = await this.ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
    const service = out.services?.[0];
    if (!service) return { found: false };
    return {
      found: true,
      value: {
        status: service.status ?? 'UNKNOWN',
        taskDefinition: service.taskDefinition ?? '',
        deploymentController: service.deploymentController?.type ?? 'ECS',
        targetGroupArns: (service.loadBalancers ?? []).flatMap((lb) => (lb.targetGroupArn ? [lb.targetGroupArn] : [])),
      },
    };
  }

  /** The newest ACTIVE revision of a family (what the actions derive from). */
  async family(name: string): Promise<Found<FamilyData>> {
    try {
      const out = await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: name }));
      const definition = out.taskDefinition;
      if (!definition) return { found: false };
      return {
        found: true,
        value: {
          label: `${definition.family}:${definition.revision}`,
          containers: (definition.containerDefinitions ?? []) as FamilyData['containers'],
        },
      };
    } catch (error) {
      if (named('ClientException')(error)) return { found: false };
      throw error;
    }
  }

  async logGroupExists(name: string): Promise<boolean> {
    const out = await this.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }));
    return (out.logGroups ?? []).some((group) => group.logGroupName === name);
  }

  async targetGroup(name: string): Promise<Found<TargetGroupData>> {
    const elb = withNamedCalls(new ElasticLoadBalancingV2Client({ ...this.config }));
    return readOnce<TargetGroupData>(elb, named('TargetGroupNotFoundException'), async () => {
      const out = await elb.send(new DescribeTargetGroupsCommand({ Names: [name] }));
      const group = out.TargetGroups?.[0];
      if (!group?.TargetGroupArn) return { found: false };
      return {
        found: true,
        value: { arn: group.TargetGroupArn, healthCheckPath: group.HealthCheckPath, port: group.Port },
      };
    });
  }

  async repository(name: string): Promise<Found<{ imageTagMutability: string }>> {
    const ecr = withNamedCalls(new ECRClient({ ...this.config }));
    return readOnce<{ imageTagMutability: string }>(ecr, named('RepositoryNotFoundException'), async () => {
      const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
      const repository = out.repositories?.[0];
      if (!repository) return { found: false };
      return { found: true, value: { imageTagMutability: repository.imageTagMutability ?? 'MUTABLE' } };
    });
  }

  async secretExists(secretId: string): Promise<boolean> {
    const secrets = withNamedCalls(new SecretsManagerClient({ ...this.config }));
    const secret = await readOnce(secrets, named('ResourceNotFoundException'), async () => {
      await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
      return { found: true, value: true };
    });
    return secret.found;
  }

  async bucket(name: string): Promise<Found<true>> {
    const s3 = withNamedCalls(new S3Client({ ...this.config }));
    // HeadBucket has no body, so no error code: a missing bucket is its 404.
    const missing = (error: unknown) =>
      (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
    return readOnce(s3, missing, async () => {
      await s3.send(new HeadBucketCommand({ Bucket: name }));
      return { found: true, value: true };
    });
  }

  async distribution(id: string): Promise<Found<DistributionData>> {
    const cloudfront = withNamedCalls(new CloudFrontClient({ ...this.config }));
    return readOnce(cloudfront, named('NoSuchDistribution'), async () => {
      const out = await cloudfront.send(new GetDistributionCommand({ Id: id }));
      const config = out.Distribution?.DistributionConfig;
      return {
        found: true,
        value: {
          enabled: config?.Enabled ?? false,
          origins: (config?.Origins?.Items ?? []).map((origin) => origin.DomainName ?? ''),
        },
      };
    });
  }

  /** One policy simulation per request, against the role's identity policies. */
  async simulate(roleArn: string, requests: readonly SimulationRequest[]): Promise<SimulationResult[]> {
    const iam = withNamedCalls(new IAMClient({ ...this.config }));
    try {
      const results: SimulationResult[] = [];
      for (const request of requests) {
        let marker: string | undefined;
        do {
          const out = await iam.send(
            new SimulatePrincipalPolicyCommand({
              PolicySourceArn: roleArn,
              ActionNames: request.actions,
              ResourceArns: request.resources,
              ContextEntries: request.context.map(({ key, values }) => ({
                ContextKeyName: key,
                ContextKeyValues: values,
                ContextKeyType: 'string',
              })),
              Marker: marker,
            }),
          );
          for (const result of out.EvaluationResults ?? []) {
            results.push({
              action: result.EvalActionName ?? '?',
              resource: result.EvalResourceName ?? '*',
              decision: result.EvalDecision ?? 'implicitDeny',
            });
          }
          marker = out.IsTruncated ? out.Marker : undefined;
        } while (marker);
      }
      return results;
    } finally {
      iam.destroy();
    }
  }

  destroy(): void {
    this.ecs.destroy();
    this.logs.destroy();
  }
}

/** An error AWS answers under this name (its error code). */
function named(name: string): (error: unknown) => boolean {
  return (error) => (error as Error | undefined)?.name === name;
}

/**
 * One read on a client made for it, closed once read: the answer as `read` maps it, or `{ found: false }` when the
 * error says there is no such thing (`isMissing`); any other error is thrown.
 */
async function readOnce<T>(
  client: { destroy(): void },
  isMissing: (error: unknown) => boolean,
  read: () => Promise<Found<T>>,
): Promise<Found<T>> {
  try {
    return await read();
  } catch (error) {
    if (isMissing(error)) return { found: false };
    throw error;
  } finally {
    client.destroy();
  }
}
