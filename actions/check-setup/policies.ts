import buildImage from '../../docs/iam/build-image.json' with { type: 'json' };
import deploy from '../../docs/iam/deploy-service.json' with { type: 'json' };
import frontend from '../../docs/iam/deploy-frontend.json' with { type: 'json' };
import rollback from '../../docs/iam/rollback.json' with { type: 'json' };
import migration from '../../docs/iam/run-migration.json' with { type: 'json' };
import type { ScopeSpec } from './scopes.js';

/**
 * The documented policies, bundled at build time: what each action calls is what its policy allows (test/e2e/iam
 * checks that against the calls the sandbox records), so a role that holds these statements can run the action.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

// JSON imports type each statement from its own literal: the documents are read as the IAM shape they are.
export const POLICIES = {
  'build-image': buildImage,
  'run-migration': migration,
  'deploy-service': deploy,
  rollback,
  'deploy-frontend': frontend,
} as unknown as Record<ScopeSpec['policy'], { Statement: PolicyStatement[] }>;
