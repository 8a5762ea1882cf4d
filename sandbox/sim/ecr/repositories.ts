import { AwsError } from '../core/errors.js';
import type { Handler } from '../model.js';

/** ECR repositories, read-only over AWS JSON 1.1 (DescribeRepositories): enough to check that one exists and how. */

export interface Repository {
  name: string;
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  createdAt: number;
}

export class RepositoryStore {
  readonly repositories = new Map<string, Repository>();

  put(name: string, settings: Partial<Omit<Repository, 'name'>> = {}): void {
    this.repositories.set(name, {
      name,
      imageTagMutability: settings.imageTagMutability ?? 'MUTABLE',
      scanOnPush: settings.scanOnPush ?? false,
      createdAt: settings.createdAt ?? Date.now(),
    });
  }
}

export function ecrRepositoriesApi(store: RepositoryStore, region: string, accountId: string): Record<string, Handler> {
  const describe = (r: Repository) => ({
    repositoryArn: `arn:aws:ecr:${region}:${accountId}:repository/${r.name}`,
    registryId: accountId,
    repositoryName: r.name,
    repositoryUri: `${accountId}.dkr.ecr.${region}.amazonaws.com/${r.name}`,
    createdAt: r.createdAt / 1000,
    imageTagMutability: r.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: r.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  });
  return {
    DescribeRepositories(input) {
      const names = ((input as { repositoryNames?: string[] }).repositoryNames ?? []).map(String);
      if (names.length === 0) return { repositories: [...store.repositories.values()].map(describe) };
      const missing = names.find((name) => !store.repositories.has(name));
      if (missing) {
        throw new AwsError(
          'RepositoryNotFoundException',
          `The repository with name '${missing}' does not exist in the registry with id '${accountId}'`,
        );
      }
      return { repositories: names.map((name) => describe(store.repositories.get(name)!)) };
    },
  };
}
