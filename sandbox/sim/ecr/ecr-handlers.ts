import { AwsError } from '../core/errors.js';
import type { Json } from '../core/json.js';
import { pageAfter } from '../core/pagination.js';
import { epochSeconds } from '../core/ids.js';
import type { Handler } from '../model.js';
import type { EcrRegistry, Repository, StoredImage } from './registry.js';

/**
 * The ECR operations the suite makes (JSON 1.1, target prefix AmazonEC2ContainerRegistry_V20150921), all answered
 * from the one registry: DescribeRepositories (check-setup), DescribeImages and BatchGetImage (the verify pre-checks).
 */

const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const repositoryNotFound = (name: string, registryId: string) =>
  new AwsError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
  );

/** `maxResults` (1 to 1000, default 100) cannot be combined with a list of what to describe. */
function limitOf(input: Json, listed: unknown[] | undefined, what: string): number {
  if (listed && input.maxResults !== undefined) {
    throw new AwsError('InvalidParameterException', `maxResults cannot be used together with ${what}.`);
  }
  return Math.min(Math.max(Number(input.maxResults ?? 100), 1), 1000);
}

function lookup(images: StoredImage[], id: Json): StoredImage | undefined {
  const byDigest = id.imageDigest ? images.find((i) => i.digest === id.imageDigest) : undefined;
  const byTag = id.imageTag ? images.find((i) => i.tags.includes(String(id.imageTag))) : undefined;
  if (id.imageDigest && id.imageTag) return byDigest && byDigest === byTag ? byDigest : undefined;
  return byDigest ?? byTag;
}

export function ecrApi(registry: EcrRegistry): Record<string, Handler> {
  const { accountId, region } = registry;
  const registryIdOf = (input: Json) => String(input.registryId ?? accountId);
  const repositoryOf = (input: Json, name = String(input.repositoryName ?? '')) => {
    const registryId = registryIdOf(input);
    const repository = registryId === accountId ? registry.repositories.get(name) : undefined;
    if (!repository) throw repositoryNotFound(name, registryId);
    return { name, registryId, repository };
  };
  const describeRepository = (r: Repository) => ({
    repositoryArn: `arn:aws:ecr:${region}:${accountId}:repository/${r.name}`,
    registryId: accountId,
    repositoryName: r.name,
    repositoryUri: `${accountId}.dkr.ecr.${region}.amazonaws.com/${r.name}`,
    createdAt: epochSeconds(r.createdAt),
    imageTagMutability: r.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: r.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  });
  const detail = (registryId: string, name: string, image: StoredImage) => ({
    registryId,
    repositoryName: name,
    imageDigest: image.digest,
    ...(image.tags.length > 0 ? { imageTags: [...image.tags] } : {}),
    imageSizeInBytes: image.sizeBytes,
    imagePushedAt: epochSeconds(image.pushedAt),
    imageManifestMediaType: MANIFEST,
    artifactMediaType: 'application/vnd.docker.container.image.v1+json',
  });
  return {
    DescribeRepositories(input) {
      const names: string[] | undefined = input.repositoryNames?.map(String);
      const limit = limitOf(input, names, 'repositoryNames');
      if (names) return { repositories: names.map((name) => describeRepository(repositoryOf(input, name).repository)) };
      const owned = registryIdOf(input) === accountId ? [...registry.repositories.values()] : [];
      const { page, nextToken } = pageAfter(owned, input.nextToken, limit);
      return { repositories: page.map(describeRepository), ...(nextToken ? { nextToken } : {}) };
    },
    DescribeImages(input) {
      const { name, registryId, repository } = repositoryOf(input);
      const ids: Json[] | undefined = input.imageIds;
      const limit = limitOf(input, ids, 'imageIds');
      if (ids) {
        const found: StoredImage[] = [];
        for (const id of ids) {
          const image = lookup(repository.images, id);
          if (!image) {
            const shown = `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;
            throw new AwsError(
              'ImageNotFoundException',
              `The image with imageId ${shown} does not exist within the repository with name '${name}' in the registry with id '${registryId}'`,
            );
          }
          found.push(image);
        }
        return { imageDetails: found.map((image) => detail(registryId, name, image)) };
      }
      const status = input.filter?.tagStatus ?? 'ANY';
      const images = repository.images.filter(
        (i) => status === 'ANY' || (status === 'TAGGED' ? i.tags.length > 0 : i.tags.length === 0),
      );
      const { page, nextToken } = pageAfter(images, input.nextToken, limit);
      return {
        imageDetails: page.map((image) => detail(registryId, name, image)),
        ...(nextToken ? { nextToken } : {}),
      };
    },
    BatchGetImage(input) {
      const { name, registryId, repository } = repositoryOf(input);
      const images: Json[] = [];
      const failures: Json[] = [];
      for (const id of (input.imageIds ?? []) as Json[]) {
        const image = lookup(repository.images, id);
        if (image) {
          images.push({
            registryId,
            repositoryName: name,
            imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
            imageManifest: JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST }),
            imageManifestMediaType: MANIFEST,
          });
        } else {
          failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
        }
      }
      return { images, failures };
    },
  };
}
