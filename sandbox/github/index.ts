import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EnvironmentState, GithubRequest, RepositoryState, TokenGrant } from './model.js';

export type { EnvironmentState, GithubRequest, RepositoryState, TokenGrant } from './model.js';

/**
 * A stand-in of the GitHub REST API on loopback, for what check-setup reads with @actions/github (GITHUB_API_URL
 * points here): contents, variables, secrets (names), environments with branch policies, commits, repositories.
 * Only GET is served: any other method is recorded and refused, so a test sees every attempt to change something.
 */

export interface GithubStandIn {
  url: string;
  requests: GithubRequest[];
  repository(fullName: string): RepositoryState;
  grant(token: string, grant: TokenGrant): void;
  stop(): Promise<void>;
}

export async function startGithubStandIn(): Promise<GithubStandIn> {
  const repositories = new Map<string, RepositoryState>();
  const tokens = new Map<string, TokenGrant>();
  const requests: GithubRequest[] = [];
  const repository = (fullName: string): RepositoryState => {
    let repo = repositories.get(fullName.toLowerCase());
    if (!repo) {
      repo = {
        fullName,
        files: new Map(),
        variables: new Map(),
        secrets: new Set(),
        environments: new Map(),
        commits: new Set(),
      };
      repositories.set(fullName.toLowerCase(), repo);
    }
    return repo;
  };

  const server = createServer((req, res) => {
    const entry: GithubRequest = { method: req.method ?? 'GET', path: req.url ?? '/', status: 0 };
    requests.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(text);
    };
    req.resume();
    req.on('end', () => {
      if (entry.method !== 'GET') return send(405, { message: 'The stand-in serves reads only' });
      const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const grant = auth ? tokens.get(auth) : undefined;
      if (!grant) return send(401, { message: 'Bad credentials' });
      answer(new URL(entry.path, 'http://stand-in'), grant, send);
    });
  });

  function answer(
    url: URL,
    grant: TokenGrant,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'repos' || parts.length < 3) return send(404, { message: 'Not Found' });
    const fullName = `${parts[1]}/${parts[2]}`;
    const repo = repositories.get(fullName.toLowerCase());
    const reachable = grant.repositories.some((name) => name.toLowerCase() === fullName.toLowerCase());
    if (!repo || !reachable) return send(404, { message: 'Not Found' });
    const rest = parts.slice(3);
    const scopes = grant.scopes !== undefined ? { 'x-oauth-scopes': grant.scopes } : undefined;
    const notFound = () => send(404, { message: 'Not Found' });
    if (rest.length === 0) {
      const permissions = grant.push === undefined ? {} : { permissions: { pull: true, push: grant.push } };
      return send(200, { full_name: repo.fullName, private: true, ...permissions }, scopes);
    }
    if (rest[0] === 'contents') {
      const path = rest.slice(1).join('/');
      const file = repo.files.get(path);
      if (file !== undefined) {
        return send(200, {
          type: 'file',
          path,
          name: path.split('/').pop(),
          encoding: 'base64',
          content: Buffer.from(file).toString('base64'),
        });
      }
      const children = [...repo.files.keys()].filter(
        (p) => p.startsWith(`${path}/`) && !p.slice(path.length + 1).includes('/'),
      );
      if (children.length === 0) return notFound();
      return send(
        200,
        children.map((p) => ({ type: 'file', path: p, name: p.split('/').pop() })),
      );
    }
    if (rest[0] === 'commits' && rest[1]) {
      return repo.commits.has(rest[1])
        ? send(200, { sha: rest[1] })
        : send(422, { message: `No commit found for SHA: ${rest[1]}` });
    }
    if (rest[0] === 'actions' && rest[1] === 'variables' && rest[2]) {
      const value = repo.variables.get(rest[2]);
      return value === undefined ? notFound() : send(200, { name: rest[2], value });
    }
    if (rest[0] === 'actions' && rest[1] === 'secrets' && rest[2]) {
      return repo.secrets.has(rest[2]) ? send(200, { name: rest[2], created_at: '2026-01-01T00:00:00Z' }) : notFound();
    }
    if (rest[0] === 'environments' && rest[1]) {
      const environment = repo.environments.get(rest[1]);
      if (!environment) return notFound();
      return environmentAnswer(environment, rest[1], rest.slice(2), send, notFound);
    }
    return notFound();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    repository,
    grant: (token, grant) => void tokens.set(token, grant),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function environmentAnswer(
  environment: EnvironmentState,
  name: string,
  rest: string[],
  send: (status: number, body: unknown) => void,
  notFound: () => void,
): void {
  if (rest.length === 0) {
    const custom = environment.branches !== undefined;
    return send(200, {
      name,
      protection_rules: [],
      deployment_branch_policy: custom ? { protected_branches: false, custom_branch_policies: true } : null,
    });
  }
  if (rest[0] === 'deployment-branch-policies') {
    const policies = (environment.branches ?? []).map((branch, i) => ({ id: i + 1, name: branch, type: 'branch' }));
    return send(200, { total_count: policies.length, branch_policies: policies });
  }
  if (rest[0] === 'variables' && rest[1]) {
    const value = environment.variables.get(rest[1]);
    return value === undefined ? notFound() : send(200, { name: rest[1], value });
  }
  if (rest[0] === 'secrets' && rest[1]) {
    return environment.secrets.has(rest[1]) ? send(200, { name: rest[1] }) : notFound();
  }
  return notFound();
}
