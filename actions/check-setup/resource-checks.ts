import { failed, ok, warning, type CheckItem } from './checklist.js';

/** Whether each resource the callers name exists and is set up as the actions expect. Pure: AWS answers come in. */

const AREA = 'AWS';

/** What a read found: the resource, or that it is not there. */
export type Found<T> = { found: true; value: T } | { found: false };

export function checkCluster(name: string, status: Found<string>, region: string): CheckItem {
  const title = `ECS cluster ${name} exists`;
  if (status.found && status.value === 'ACTIVE') return ok(AREA, title);
  return failed(
    AREA,
    title,
    status.found ? `its status is ${status.value}` : `no such cluster in ${region}`,
    `Check the cluster input (default startupwebapp-cluster) and region ${region}; create it with scripts/infra ` +
      `(aws ecs create-cluster --cluster-name ${name} --capacity-providers FARGATE FARGATE_SPOT --region ${region}).`,
  );
}

export interface ServiceData {
  status: string;
  taskDefinition: string;
  deploymentController: string;
  targetGroupArns: string[];
}

export function checkService(
  cluster: string,
  name: string,
  service: Found<ServiceData>,
  expected: { family?: string },
): CheckItem[] {
  const title = `ECS service ${name} exists in ${cluster}`;
  if (!service.found || service.value.status !== 'ACTIVE') {
    return [
      failed(
        AREA,
        title,
        service.found ? `its status is ${service.value.status}` : 'no such service',
        `Check the service input (default startupwebapp-service), or create it (scripts/infra/create-ecs-service.sh of the server repository).`,
      ),
    ];
  }
  const items = [ok(AREA, title)];
  if (service.value.deploymentController !== 'ECS') {
    items.push(
      failed(
        AREA,
        `Service ${name} uses the rolling-update (ECS) deployment controller`,
        `its controller is ${service.value.deploymentController}: deploy-service and rollback cannot change its task definition`,
        `Recreate the service with --deployment-controller type=ECS.`,
      ),
    );
  }
  if (expected.family) {
    const family = /task-definition\/([^:]+):/.exec(service.value.taskDefinition)?.[1];
    const familyTitle = `Service ${name} runs task family ${expected.family}`;
    items.push(
      family === expected.family
        ? ok(AREA, familyTitle, service.value.taskDefinition.split('/').pop())
        : failed(
            AREA,
            familyTitle,
            `it runs ${family ?? service.value.taskDefinition}`,
            `Set the service-task-definition input to ${family} (the family the service runs).`,
          ),
    );
  }
  return items;
}

export function checkLogGroup(name: string, exists: boolean, region: string, family: string): CheckItem {
  const title = `Log group ${name} exists`;
  if (exists) return ok(AREA, title);
  return failed(
    AREA,
    title,
    `${family}'s tasks would stop before they run (awslogs cannot create its stream) and no log line could be shown`,
    `aws logs create-log-group --log-group-name ${name} --region ${region}\n` +
      `aws logs put-retention-policy --log-group-name ${name} --retention-in-days 30 --region ${region}`,
  );
}

export interface TargetGroupData {
  arn: string;
  healthCheckPath?: string;
  port?: number;
}

export function checkTargetGroup(
  name: string,
  group: Found<TargetGroupData>,
  expected: { healthCheckPath: string; serviceTargetGroups?: string[]; region: string },
): CheckItem[] {
  const title = `Target group ${name} exists`;
  if (!group.found) {
    return [
      failed(
        AREA,
        title,
        'no such target group',
        `Check the target-group input (default startupwebapp-tg), or create it (scripts/infra/create-alb.sh).`,
      ),
    ];
  }
  const items = [ok(AREA, title)];
  if (expected.serviceTargetGroups && !expected.serviceTargetGroups.includes(group.value.arn)) {
    items.push(
      failed(
        AREA,
        `The service sends traffic through ${name}`,
        `the service's load balancers name ${expected.serviceTargetGroups.join(', ') || 'no target group'}`,
        `Set the target-group input to the group the service uses.`,
      ),
    );
  }
  const path = group.value.healthCheckPath;
  const pathTitle = `Target group ${name} checks health on ${expected.healthCheckPath}`;
  items.push(
    path === expected.healthCheckPath
      ? ok(AREA, pathTitle)
      : failed(
          AREA,
          pathTitle,
          `its health check path is ${path ?? 'not set'}`,
          `Either pass health-check-path: ${path} to the check and the workflows, or change the group: ` +
            `aws elbv2 modify-target-group --target-group-arn ${group.value.arn} --health-check-path ${expected.healthCheckPath} --region ${expected.region}`,
        ),
  );
  return items;
}

export function checkRepository(
  name: string,
  repository: Found<{ imageTagMutability: string }>,
  expected: { requireImmutableTags: boolean; region: string },
): CheckItem[] {
  const title = `ECR repository ${name} exists`;
  if (!repository.found) {
    return [
      failed(
        AREA,
        title,
        'no such repository',
        `aws ecr create-repository --repository-name ${name} --image-scanning-configuration scanOnPush=true --image-tag-mutability IMMUTABLE --region ${expected.region}`,
      ),
    ];
  }
  const mutability = repository.value.imageTagMutability;
  const tagsTitle = `ECR repository ${name} has immutable tags`;
  const fix =
    `aws ecr put-image-tag-mutability --repository-name ${name} --image-tag-mutability IMMUTABLE --region ${expected.region}` +
    ` (first stop pushing :latest: with immutable tags a second push of it fails)`;
  const detail = `tags are ${mutability}: a pushed tag can be overwritten, so a deployed SHA tag may not be the image that was tested`;
  const tags =
    mutability === 'IMMUTABLE'
      ? ok(AREA, tagsTitle)
      : expected.requireImmutableTags
        ? failed(AREA, tagsTitle, detail, fix)
        : warning(AREA, tagsTitle, detail, fix);
  return [ok(AREA, title), tags];
}

export function checkBucket(name: string, exists: Found<true>, region: string): CheckItem {
  const title = `S3 bucket ${name} exists`;
  if (exists.found) return ok(AREA, title);
  return failed(
    AREA,
    title,
    'no such bucket (or it belongs to another account)',
    `Check the bucket input (default startupwebapp-frontend-production), or create it with scripts/infra/create-frontend-hosting.sh (region ${region}).`,
  );
}

export interface DistributionData {
  enabled: boolean;
  origins: string[];
}

export function checkDistribution(
  id: string,
  distribution: Found<DistributionData> | undefined,
  bucket: string,
  variable = 'CLOUDFRONT_DISTRIBUTION_ID',
): CheckItem[] {
  if (id === '') {
    return [
      failed(
        AREA,
        'A CloudFront distribution id is given',
        `cloudfront-distribution-id is empty: the caller's ${variable} variable is not set`,
        `gh variable set ${variable} --body <distribution id> (today's: E2IQ9KG6S4Y7R3, from aws cloudfront list-distributions)`,
      ),
    ];
  }
  const title = `CloudFront distribution ${id} exists`;
  if (!distribution?.found) {
    return [
      failed(
        AREA,
        title,
        'no such distribution',
        `Set the ${variable} variable to the id aws cloudfront list-distributions --query "DistributionList.Items[].[Id,Origins.Items[0].DomainName]" shows for ${bucket}.`,
      ),
    ];
  }
  const items = [ok(AREA, title)];
  const originTitle = `Distribution ${id} serves bucket ${bucket}`;
  const onBucket = distribution.value.origins.some((domain) => domain.startsWith(`${bucket}.s3`));
  items.push(
    onBucket
      ? ok(AREA, originTitle)
      : failed(
          AREA,
          originTitle,
          `its origins are ${distribution.value.origins.join(', ') || 'none'}: invalidating it would not refresh the site`,
          `Set the ${variable} variable to the distribution in front of ${bucket}, or pass the bucket it serves.`,
        ),
  );
  if (!distribution.value.enabled) {
    items.push(warning(AREA, `Distribution ${id} is enabled`, 'it is disabled: the site is not served through it'));
  }
  return items;
}
