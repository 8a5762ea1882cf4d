import { createHash } from 'node:crypto';

/**
 * The account's private ECR registry in one region, the one store behind every ECR call: repositories (their settings,
 * as DescribeRepositories shows them) holding images by digest, each with its tags. A tag names at most one image in a
 * repository (pushing it again moves it). A task pulls an image of this registry only if it is here; images of any
 * other registry (public.ecr.aws, Docker Hub, another account) are not modelled and always pull.
 */

export interface StoredImage {
  digest: string;
  tags: string[];
  /** Real epoch ms. */
  pushedAt: number;
  sizeBytes: number;
}

export interface RepositorySettings {
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
}

export interface Repository extends RepositorySettings {
  name: string;
  /** Real epoch ms. */
  createdAt: number;
  images: StoredImage[];
}

export interface ImageRef {
  registryId: string;
  region: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const PRIVATE_ECR =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._/-]+?)(?:@(sha256:[a-f0-9]{64})|:([A-Za-z0-9_.-]{1,128}))?$/;

/** The parts of a private ECR image reference; undefined for any other image. A reference without tag means latest. */
export function parseEcrImage(image: string): ImageRef | undefined {
  const match = PRIVATE_ECR.exec(image);
  if (!match) return undefined;
  const [, registryId, region, repository, digest, tag] = match as unknown as string[];
  return { registryId, region, repository, ...(digest ? { digest } : { tag: tag ?? 'latest' }) };
}

export class EcrRegistry {
  readonly repositories = new Map<string, Repository>();

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  /** Whether `ref` belongs to this registry (so its images must be here to be pulled). */
  owns(ref: ImageRef): boolean {
    return ref.registryId === this.accountId && ref.region === this.region;
  }

  /**
   * The repository named `name`, created with `settings` (ECR's defaults: mutable tags, no scan on push) if absent;
   * `settings` given for an existing one change it, as put-image-tag-mutability and put-image-scanning-configuration do.
   */
  putRepository(name: string, settings: Partial<RepositorySettings> & { createdAt?: number } = {}): Repository {
    let repository = this.repositories.get(name);
    if (!repository) {
      repository = {
        name,
        imageTagMutability: 'MUTABLE',
        scanOnPush: false,
        createdAt: settings.createdAt ?? Date.now(),
        images: [],
      };
      this.repositories.set(name, repository);
    }
    if (settings.imageTagMutability) repository.imageTagMutability = settings.imageTagMutability;
    if (settings.scanOnPush !== undefined) repository.scanOnPush = settings.scanOnPush;
    return repository;
  }

  /** Deletes the repository with its images (`delete-repository --force`). */
  deleteRepository(name: string): void {
    this.repositories.delete(name);
  }

  /**
   * Pushes `image` (a private ECR reference of this registry, its repository created if absent) and returns its
   * digest; the tag moves to it.
   */
  push(image: string, options: { digest?: string; pushedAt?: number } = {}): string {
    const ref = parseEcrImage(image);
    if (!ref || !this.owns(ref))
      throw new Error(`Not an image of registry ${this.accountId} in ${this.region}: ${image}`);
    const repository = this.putRepository(ref.repository);
    const digest = ref.digest ?? options.digest ?? `sha256:${createHash('sha256').update(image).digest('hex')}`;
    for (const stored of repository.images) if (ref.tag) stored.tags = stored.tags.filter((t) => t !== ref.tag);
    let stored = repository.images.find((i) => i.digest === digest);
    if (!stored) {
      stored = { digest, tags: [], pushedAt: options.pushedAt ?? Date.now(), sizeBytes: 187_000_000 };
      repository.images.push(stored);
    }
    if (ref.tag) stored.tags.push(ref.tag);
    return digest;
  }

  /** Removes a tag (or, for a digest reference, the image), as a lifecycle policy or `batch-delete-image` does. */
  remove(image: string): void {
    const ref = parseEcrImage(image);
    const repository = ref && this.repositories.get(ref.repository);
    if (!ref || !repository) return;
    if (ref.digest) repository.images = repository.images.filter((i) => i.digest !== ref.digest);
    else for (const stored of repository.images) stored.tags = stored.tags.filter((t) => t !== ref.tag);
  }

  /** The stored image a reference names, if this registry has it. */
  find(ref: ImageRef): StoredImage | undefined {
    const images = this.repositories.get(ref.repository)?.images ?? [];
    return ref.digest ? images.find((i) => i.digest === ref.digest) : images.find((i) => i.tags.includes(ref.tag!));
  }

  /** Whether a task can pull `image`: anything outside this registry can; inside, only what is stored. */
  pullable(image: string): boolean {
    const ref = parseEcrImage(image);
    return !ref || !this.owns(ref) || this.find(ref) !== undefined;
  }
}
