/** Container image references, as far as ECR is concerned. Pure. */

export interface EcrImageRef {
  /** The account that owns the registry. */
  registryId: string;
  region: string;
  repository: string;
  /** Exactly one of tag and digest; a reference with neither means the tag `latest`. */
  tag?: string;
  digest?: string;
  /** `arn:aws:ecr:<region>:<account>:repository/<name>`: what an IAM policy grants ecr:DescribeImages on. */
  repositoryArn: string;
}

const REGISTRY_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(\.cn)?$/;

/** The ECR parts of `image` when it lives in a private ECR registry; undefined for any other image. */
export function privateEcrImage(image: string): EcrImageRef | undefined {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const host = REGISTRY_HOST.exec(image.slice(0, slash));
  if (!host) return undefined;
  const [, registryId, region, china] = host as unknown as [string, string, string, string | undefined];
  let path = image.slice(slash + 1);
  let tag: string | undefined;
  let digest: string | undefined;
  const at = path.indexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
  } else {
    const colon = path.lastIndexOf(':');
    if (colon >= 0) {
      tag = path.slice(colon + 1);
      path = path.slice(0, colon);
    }
  }
  if (path === '') return undefined;
  const partition = china ? 'aws-cn' : 'aws';
  return {
    registryId,
    region,
    repository: path,
    ...(digest ? { digest } : { tag: tag || 'latest' }),
    repositoryArn: `arn:${partition}:ecr:${region}:${registryId}:repository/${path}`,
  };
}

/** `startupwebapp-backend:4f2c9e1` or `startupwebapp-backend@sha256:…`, for messages. */
export function shortImage(ref: EcrImageRef): string {
  return ref.digest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag}`;
}
