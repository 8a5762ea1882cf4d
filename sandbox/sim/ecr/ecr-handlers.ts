import { AwsError } from '../core/errors.js';
import type { Json } from '../core/json.js';
import { pageAfter } from '../core/pagination.js';
import { epochSeconds } from '../core/ids.js';
import type { Handler } from '../model.js';
import type { ImageRegistry, StoredImage } from './image-registry.js';

/** The ECR operations a deploy check needs (JSON 1.1, target prefix AmazonEC2ContainerRegistry_V20150921). */

const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

function repositoryOf(registry: ImageRegistry, input: Json) {
  const name = String(input.repositoryName ?? '');
  const registryId = String(input.registryId ?? registry.accountId);
  const repository = registryId === registry.accountId ? registry.repositories.get(name) : undefined;
  if (!repository) {
    throw new AwsError(
      'RepositoryNotFoundException',
      `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
    );
  }
  return { name, registryId, repository };
}

function lookup(images: StoredImage[], id: Json): StoredImage | undefined {
  const byDigest = id.imageDigest ? images.find((i) => i.digest === id.imageDigest) : undefined;
  const byTag = id.imageTag ? images.find((i) => i.tags.includes(String(id.imageTag))) : undefined;
  if (id.imageDigest && id.imageTag) return byDigest && byDigest === byTag ? byDigest : undefined;
  return byDigest ?? byTag;
}

export function ecrApi(registry: ImageRegistry): Record<string, Handler> {
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
    DescribeImages(input) {
      const { name, registryId, repository } = repositoryOf(registry, input);
      const ids: Json[] | undefined = input.imageIds;
      if (ids && input.maxResults !== undefined) {
        throw new AwsError('InvalidParameterException', 'maxResults cannot be used together with imageIds.');
      }
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
      const limit = Math.min(Math.max(Number(input.maxResults ?? 100), 1), 1000);
      const { page, nextToken } = pageAfter(images, input.nextToken, limit);
      return {
        imageDetails: page.map((image) => detail(registryId, name, image)),
        ...(nextToken ? { nextToken } : {}),
      };
    },
    BatchGetImage(input) {
      const { name, registryId, repository } = repositoryOf(registry, input);
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
