/**
 * What each scope checks: one scope per workflow role of the suite (TEAM's role table), plus `github`. The AWS
 * scopes run under that workflow's own role and check the resources its action touches and the permissions the
 * action's policy (docs/iam/<policy>.json) documents.
 */

export const AWS_SCOPES = ['build', 'migrate', 'deploy', 'admin', 'rollback', 'rollback-preview', 'frontend'] as const;
export const SCOPES = [...AWS_SCOPES, 'github'] as const;

export type AwsScope = (typeof AWS_SCOPES)[number];
export type Scope = (typeof SCOPES)[number];

export type Resource =
  | 'cluster'
  | 'service'
  | 'service-family'
  | 'migration-family'
  | 'target-group'
  | 'repository'
  | 'bucket'
  | 'distribution';

export interface ScopeSpec {
  /** The role's name in docs/iam, for fixes. */
  roleName: string;
  /** The repository variable holding its ARN in the examples. */
  roleVariable: string;
  /** docs/iam/<policy>.json: what the action of this workflow calls. */
  policy: 'build-image' | 'run-migration' | 'deploy-service' | 'rollback' | 'deploy-frontend';
  /** Only the read-only actions of the policy (the rollback dry run). */
  readOnly?: boolean;
  resources: readonly Resource[];
}

export const SCOPE_SPECS: Record<AwsScope, ScopeSpec> = {
  build: {
    roleName: 'startupwebapp-github-build',
    roleVariable: 'AWS_BUILD_ROLE_ARN',
    policy: 'build-image',
    resources: ['repository'],
  },
  migrate: {
    roleName: 'startupwebapp-github-migrate',
    roleVariable: 'AWS_MIGRATE_ROLE_ARN',
    policy: 'run-migration',
    resources: ['cluster', 'service', 'migration-family'],
  },
  deploy: {
    roleName: 'startupwebapp-github-deploy',
    roleVariable: 'AWS_DEPLOY_ROLE_ARN',
    policy: 'deploy-service',
    resources: ['cluster', 'service', 'service-family', 'target-group'],
  },
  admin: {
    roleName: 'startupwebapp-github-admin',
    roleVariable: 'AWS_ADMIN_ROLE_ARN',
    policy: 'run-migration',
    resources: ['cluster', 'service', 'migration-family'],
  },
  rollback: {
    roleName: 'startupwebapp-github-rollback',
    roleVariable: 'AWS_ROLLBACK_ROLE_ARN',
    policy: 'rollback',
    resources: ['cluster', 'service', 'service-family', 'target-group'],
  },
  'rollback-preview': {
    roleName: 'startupwebapp-github-rollback-preview',
    roleVariable: 'AWS_ROLLBACK_PREVIEW_ROLE_ARN',
    policy: 'rollback',
    readOnly: true,
    resources: ['cluster', 'service', 'service-family'],
  },
  frontend: {
    roleName: 'startupwebapp-github-frontend',
    roleVariable: 'AWS_FRONTEND_ROLE_ARN',
    policy: 'deploy-frontend',
    resources: ['bucket', 'distribution'],
  },
};

export const isAwsScope = (scope: Scope): scope is AwsScope => scope !== 'github';
