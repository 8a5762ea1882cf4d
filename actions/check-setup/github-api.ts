import { getOctokit } from '@actions/github';

/**
 * Every GitHub call of check-setup, each a GET through @actions/github (its base URL is the runner's GITHUB_API_URL).
 * A 404 is an answer ("not set", "not there"); any other failure is thrown as a GithubReadError for the caller to word.
 */

export class GithubReadError extends Error {
  override name = 'GithubReadError';
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

type Octokit = ReturnType<typeof getOctokit>;

export interface RepositoryAnswer {
  found: boolean;
  /** For user tokens: whether the token may push (contents: write); undefined when the answer does not say. */
  push?: boolean;
  /** For classic tokens: their OAuth scopes. */
  scopes?: string;
}

export class GithubReader {
  private readonly octokit: Octokit;

  constructor(token: string) {
    this.octokit = getOctokit(token, { request: { retries: 0 } });
  }

  private async get(
    route: string,
    params: Record<string, string>,
  ): Promise<{ status: number; data: unknown; headers: Record<string, unknown> } | undefined> {
    try {
      const answer = await this.octokit.request(`GET ${route}`, params);
      return { status: answer.status, data: answer.data, headers: answer.headers as Record<string, unknown> };
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404) return undefined;
      throw new GithubReadError(
        status,
        `GET ${fill(route, params)}: ${status ?? ''} ${(error as Error).message}`.trim(),
      );
    }
  }

  async repository(repo: string): Promise<RepositoryAnswer> {
    const answer = await this.get('/repos/{owner}/{repo}', split(repo));
    if (!answer) return { found: false };
    const permissions = (answer.data as { permissions?: { push?: boolean } }).permissions;
    const scopes = answer.headers['x-oauth-scopes'];
    return {
      found: true,
      push: permissions?.push,
      scopes: typeof scopes === 'string' ? scopes : undefined,
    };
  }

  /** The text of a file on the default branch; undefined when there is none. */
  async file(repo: string, path: string): Promise<string | undefined> {
    const answer = await this.get('/repos/{owner}/{repo}/contents/{path}', { ...split(repo), path });
    const data = answer?.data as { type?: string; content?: string; encoding?: string } | undefined;
    if (!data || data.type !== 'file' || typeof data.content !== 'string') return undefined;
    return Buffer.from(data.content, 'base64').toString('utf8');
  }

  /** The workflow files (`.yml`/`.yaml`) under .github/workflows, with their text. */
  async workflows(repo: string): Promise<Array<{ path: string; text: string }>> {
    const answer = await this.get('/repos/{owner}/{repo}/contents/{path}', {
      ...split(repo),
      path: '.github/workflows',
    });
    const entries = Array.isArray(answer?.data) ? (answer.data as Array<{ type?: string; path?: string }>) : [];
    const files: Array<{ path: string; text: string }> = [];
    for (const entry of entries) {
      if (entry.type !== 'file' || !entry.path || !/\.ya?ml$/.test(entry.path)) continue;
      const text = await this.file(repo, entry.path);
      if (text !== undefined) files.push({ path: entry.path, text });
    }
    return files;
  }

  /** A repository variable's value, else the environment's; undefined when neither is set. */
  async variable(
    repo: string,
    name: string,
    environment: string,
  ): Promise<{ where: string; value: string } | undefined> {
    const own = await this.get('/repos/{owner}/{repo}/actions/variables/{name}', { ...split(repo), name });
    if (own) return { where: 'repository', value: String((own.data as { value?: unknown }).value ?? '') };
    const env = await this.get('/repos/{owner}/{repo}/environments/{environment}/variables/{name}', {
      ...split(repo),
      environment,
      name,
    });
    return env
      ? { where: `environment ${environment}`, value: String((env.data as { value?: unknown }).value ?? '') }
      : undefined;
  }

  /** Where a secret is set (names only: GitHub never answers a value); undefined when nowhere. */
  async secret(repo: string, name: string, environment: string): Promise<string | undefined> {
    if (await this.get('/repos/{owner}/{repo}/actions/secrets/{name}', { ...split(repo), name })) return 'repository';
    const env = await this.get('/repos/{owner}/{repo}/environments/{environment}/secrets/{name}', {
      ...split(repo),
      environment,
      name,
    });
    return env ? `environment ${environment}` : undefined;
  }

  /** The environment's branch rule: undefined when the environment does not exist, `any` when it has none. */
  async environmentBranches(repo: string, environment: string): Promise<string[] | 'any' | 'protected' | undefined> {
    const answer = await this.get('/repos/{owner}/{repo}/environments/{environment}', { ...split(repo), environment });
    if (!answer) return undefined;
    const policy = (
      answer.data as {
        deployment_branch_policy?: { protected_branches?: boolean; custom_branch_policies?: boolean } | null;
      }
    ).deployment_branch_policy;
    if (!policy) return 'any';
    if (policy.protected_branches) return 'protected';
    const branches = await this.get('/repos/{owner}/{repo}/environments/{environment}/deployment-branch-policies', {
      ...split(repo),
      environment,
    });
    const list =
      (branches?.data as { branch_policies?: Array<{ name?: string; type?: string }> } | undefined)?.branch_policies ??
      [];
    return list.filter((p) => (p.type ?? 'branch') === 'branch').map((p) => p.name ?? '');
  }

  async commitExists(repo: string, sha: string): Promise<boolean> {
    try {
      return (await this.get('/repos/{owner}/{repo}/commits/{ref}', { ...split(repo), ref: sha })) !== undefined;
    } catch (error) {
      if (error instanceof GithubReadError && error.status === 422) return false;
      throw error;
    }
  }
}

function split(repo: string): { owner: string; repo: string } {
  const [owner = '', name = ''] = repo.split('/');
  return { owner, repo: name };
}

function fill(route: string, params: Record<string, string>): string {
  return route.replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? key);
}
