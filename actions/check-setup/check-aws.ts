import { describeAwsError } from '../../lib/aws/aws-errors.js';
import { failed, type CheckItem } from './checklist.js';
import type { AwsSettings } from './inputs.js';
import { accountOf, checkPermissions, simulationRequests } from './permission-checks.js';
import { POLICIES } from './policies.js';
import {
  checkBucket,
  checkCluster,
  checkDistribution,
  checkLogGroup,
  checkRepository,
  checkService,
  checkTargetGroup,
} from './resource-checks.js';
import type { SetupReader } from './aws-api.js';
import type { ScopeSpec } from './scopes.js';
import {
  checkContainer,
  checkLogConfiguration,
  checkNoPlainSecrets,
  checkSecretReference,
  secretReferences,
  type FamilyExpectation,
} from './task-family-checks.js';

/** The AWS half of a scope: reads what the scope's action touches, decides each line, one read at a time. */

export interface AwsCheckContext {
  reader: SetupReader;
  settings: AwsSettings;
  spec: ScopeSpec;
  region: string;
  /** Each line as soon as it is decided (progress in the log). */
  onItem: (item: CheckItem) => void;
}

export async function checkAws(context: AwsCheckContext): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  const add = (...found: CheckItem[]) => {
    for (const item of found) {
      items.push(item);
      context.onItem(item);
    }
  };
  const { reader, settings, spec, region } = context;
  const attempt = async (title: string, work: () => Promise<CheckItem[]>) => {
    try {
      add(...(await work()));
    } catch (error) {
      add(readFailure(title, error, spec));
    }
  };

  await attempt('Permissions', async () => {
    if (!settings.roleArn) {
      return [
        failed(
          'IAM',
          `The role of this job is known`,
          'role-arn is empty: its permissions cannot be simulated',
          `Set the ${spec.roleVariable} variable to the ARN of ${spec.roleName} (the reusable workflow passes it as role-arn).`,
        ),
      ];
    }
    const requests = simulationRequests(POLICIES[spec.policy].Statement, spec, {
      account: accountOf(settings.roleArn),
      region,
    });
    try {
      return [checkPermissions(settings.roleArn, spec, await reader.simulate(settings.roleArn, requests))];
    } catch (error) {
      if (!/NoSuchEntity/.test((error as Error).name)) throw error;
      return [missingRole(settings.roleArn, spec)];
    }
  });

  const resources = new Set(spec.resources);
  let serviceTargetGroups: string[] | undefined;
  if (resources.has('cluster')) {
    await attempt(`ECS cluster ${settings.cluster}`, async () => [
      checkCluster(settings.cluster, await reader.clusterStatus(settings.cluster), region),
    ]);
  }
  if (resources.has('service')) {
    await attempt(`ECS service ${settings.service}`, async () => {
      const service = await reader.service(settings.cluster, settings.service);
      if (service.found) serviceTargetGroups = service.value.targetGroupArns;
      const family = resources.has('service-family') ? settings.serviceFamily.family : undefined;
      return checkService(settings.cluster, settings.service, service, { family });
    });
  }
  const families = [
    ['service-family', settings.serviceFamily],
    ['migration-family', settings.migrationFamily],
  ] as const;
  for (const [resource, family] of families) {
    if (resources.has(resource)) await checkFamily(context, attempt, { ...family, region });
  }
  if (resources.has('target-group')) {
    await attempt(`Target group ${settings.targetGroup}`, async () =>
      checkTargetGroup(settings.targetGroup, await reader.targetGroup(settings.targetGroup), {
        healthCheckPath: settings.healthCheckPath,
        serviceTargetGroups,
        region,
      }),
    );
  }
  if (resources.has('repository')) {
    await attempt(`ECR repository ${settings.ecrRepository}`, async () =>
      checkRepository(settings.ecrRepository, await reader.repository(settings.ecrRepository), {
        requireImmutableTags: settings.requireImmutableTags,
        region,
      }),
    );
  }
  if (resources.has('bucket')) {
    await attempt(`S3 bucket ${settings.bucket}`, async () => [
      checkBucket(settings.bucket, await reader.bucket(settings.bucket), region),
    ]);
  }
  if (resources.has('distribution')) {
    await attempt(`CloudFront distribution ${settings.distributionId}`, async () => {
      const id = settings.distributionId;
      return checkDistribution(id, id === '' ? undefined : await reader.distribution(id), settings.bucket);
    });
  }
  return items;
}

type Attempt = (title: string, work: () => Promise<CheckItem[]>) => Promise<void>;

/** The family's newest revision: container, log configuration, plain secrets, each secret reference; its log group. */
async function checkFamily(context: AwsCheckContext, attempt: Attempt, expected: FamilyExpectation): Promise<void> {
  const { reader } = context;
  let references: ReturnType<typeof secretReferences> = [];
  await attempt(`Task family ${expected.family}`, async () => {
    const family = await reader.family(expected.family);
    if (!family.found) {
      return [
        failed(
          'AWS',
          `Task family ${expected.family} has an ACTIVE revision`,
          'no such task definition family',
          `Register it (scripts/infra/create-ecs-task-definition.sh of the server repository), or set the task-definition input to the family you use.`,
        ),
      ];
    }
    const { item, container } = checkContainer(family.value, expected);
    references = secretReferences(family.value);
    const items = [item];
    if (container) items.push(checkLogConfiguration(container, expected));
    const secretArn = references.find((r) => r.kind === 'secretsmanager')?.id;
    items.push(checkNoPlainSecrets(family.value, expected.family, secretArn));
    return items;
  });
  await attempt(`Log group ${expected.logGroup}`, async () => [
    checkLogGroup(expected.logGroup, await reader.logGroupExists(expected.logGroup), expected.region, expected.family),
  ]);
  for (const reference of references) {
    await attempt(`Secret ${reference.id}`, async () => [
      checkSecretReference(
        expected.family,
        reference,
        reference.kind === 'secretsmanager' ? await reader.secretExists(reference.id) : undefined,
      ),
    ]);
  }
}

function missingRole(roleArn: string, spec: ScopeSpec): CheckItem {
  const name = roleArn.split('/').pop() ?? roleArn;
  return failed(
    'IAM',
    `Role ${name} exists`,
    `IAM has no role ${roleArn}`,
    `Create it with its trust policy (docs/iam/README.md lists which trust-*.json), then attach docs/iam/${spec.policy}.json ` +
      `and docs/iam/check-setup.json:\naws iam create-role --role-name ${name} --assume-role-policy-document file://docs/iam/<trust policy>.json\n` +
      `aws iam put-role-policy --role-name ${name} --policy-name ${spec.policy} --policy-document file://docs/iam/${spec.policy}.json`,
  );
}

/** A read that failed for another reason than "not found": most often the role may not make it. */
function readFailure(title: string, error: unknown, spec: ScopeSpec): CheckItem {
  const text = describeAwsError(error) ?? (error instanceof Error ? error.message : String(error));
  const denied = /AccessDenied|not authorized|UnauthorizedOperation/i.test(text);
  return failed(
    'AWS',
    `${title} can be read`,
    text,
    denied
      ? `Attach docs/iam/check-setup.json to ${spec.roleName} (read-only): aws iam put-role-policy --role-name ${spec.roleName} --policy-name check-setup --policy-document file://docs/iam/check-setup.json`
      : 'Run the check again; if it persists, read the error above (network, throttling, region).',
  );
}
