import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { EcrImageRef } from './image-refs.js';

/** What the suite reads from ECR: whether an image is in its repository, and the repository's newest tags. */

export type ImageLookup = { found: true; digest?: string } | { found: false; missing: 'repository' | 'image' };

/** One DescribeImages for the tag or digest; a missing repository or image is an answer, other errors are thrown. */
export async function findImage(ecr: ECRClient, ref: EcrImageRef): Promise<ImageLookup> {
  try {
    const response = await ecr.send(
      new DescribeImagesCommand({
        registryId: ref.registryId,
        repositoryName: ref.repository,
        imageIds: [ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag }],
      }),
    );
    return { found: true, digest: response.imageDetails?.[0]?.imageDigest };
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'RepositoryNotFoundException') return { found: false, missing: 'repository' };
    if (name === 'ImageNotFoundException') return { found: false, missing: 'image' };
    throw error;
  }
}

/** The newest tags of the repository, from one page of up to 1000 tagged images (cheap: one call). */
export async function newestTags(ecr: ECRClient, ref: EcrImageRef, count: number): Promise<string[]> {
  const response = await ecr.send(
    new DescribeImagesCommand({
      registryId: ref.registryId,
      repositoryName: ref.repository,
      filter: { tagStatus: 'TAGGED' },
      maxResults: 1000,
    }),
  );
  return (response.imageDetails ?? [])
    .filter((image) => image.imagePushedAt)
    .sort((a, b) => b.imagePushedAt!.getTime() - a.imagePushedAt!.getTime())
    .flatMap((image) => image.imageTags ?? [])
    .slice(0, count);
}
