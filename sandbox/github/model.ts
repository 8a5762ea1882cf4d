/** What the GitHub REST stand-in holds: repositories with files, variables, secrets, environments and commits. */

export interface EnvironmentState {
  /** Branch names a deployment may come from (custom branch policies); undefined: any branch. */
  branches?: string[];
  variables: Map<string, string>;
  secrets: Set<string>;
}

export interface RepositoryState {
  fullName: string;
  files: Map<string, string>;
  variables: Map<string, string>;
  /** Secret names only: the stand-in never holds a value. */
  secrets: Set<string>;
  environments: Map<string, EnvironmentState>;
  commits: Set<string>;
}

/** A token: which repositories it reaches and, for user tokens, whether it may push (what `permissions` says). */
export interface TokenGrant {
  repositories: string[];
  push?: boolean;
  /** Classic tokens answer their scopes in `x-oauth-scopes`. */
  scopes?: string;
}

export interface GithubRequest {
  method: string;
  path: string;
  status: number;
}
