import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * From what the sandbox recorded to what IAM authorises: the IAM actions an AWS operation needs, the actions a
 * policy allows, and the comparison of the two (what a policy misses, what it grants that nothing used).
 */

export const IAM_DIR = resolve(import.meta.dirname, '../../docs/iam');

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { Federated?: string };
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

export function readPolicy(file: string): PolicyDocument {
  return JSON.parse(readFileSync(join(IAM_DIR, file), 'utf8')) as PolicyDocument;
}

/** A role of docs/iam/roles.json: one per workflow (or per job kind), as docs/workflows.md creates them. */
export interface RoleSpec {
  trust: string;
  policies: string[];
  input: string;
  variable: string;
  repository: string;
  usedBy: string;
}

/** The roles of docs/iam/roles.json, by role name. */
export function readRoles(): Record<string, RoleSpec> {
  return (JSON.parse(readFileSync(join(IAM_DIR, 'roles.json'), 'utf8')) as { roles: Record<string, RoleSpec> }).roles;
}

/** Every IAM action a role's attached permission policies allow, each once, sorted. */
export function roleAllowedActions(role: RoleSpec): string[] {
  return [...new Set(role.policies.flatMap((file) => allowedActions(readPolicy(file))))].sort();
}

/** The IAM actions a policy allows, e.g. `ecs:DescribeServices`, each once, sorted. */
export function allowedActions(policy: PolicyDocument): string[] {
  return [...new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => asList(s.Action)))].sort();
}

/**
 * S3 REST operations (as sandbox/s3/operations.ts names them) and the IAM actions that authorise them. Several
 * operations share one action (HEAD needs what GET needs; every multipart step but the abort is s3:PutObject);
 * CopyObject reads the source and writes the destination.
 */
export const S3_OPERATION_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  ListObjectsV2: ['s3:ListBucket'],
  ListObjects: ['s3:ListBucket'],
  HeadBucket: ['s3:ListBucket'],
  GetObject: ['s3:GetObject'],
  HeadObject: ['s3:GetObject'],
  PutObject: ['s3:PutObject'],
  PostObject: ['s3:PutObject'],
  CreateMultipartUpload: ['s3:PutObject'],
  UploadPart: ['s3:PutObject'],
  CompleteMultipartUpload: ['s3:PutObject'],
  AbortMultipartUpload: ['s3:AbortMultipartUpload'],
  CopyObject: ['s3:GetObject', 's3:PutObject'],
  DeleteObject: ['s3:DeleteObject'],
  DeleteObjects: ['s3:DeleteObject'],
  ListBuckets: ['s3:ListAllMyBuckets'],
  CreateBucket: ['s3:CreateBucket'],
  DeleteBucket: ['s3:DeleteBucket'],
};

/** Services whose IAM action names are their API operation names (the sandbox records them as `ecs:RunTask`). */
const ONE_TO_ONE = new Set([
  'ecs',
  'logs',
  'ecr',
  'secretsmanager',
  'ssm',
  'cloudfront',
  'elasticloadbalancing',
  'iam',
]);

export interface ImpliedContext {
  /** Whether the task definition RunTask names carries a task or execution role (RunTask passes them). */
  taskDefinitionHasRoles?: (taskDefinition: string) => boolean;
}

/**
 * The IAM actions one request the sandbox recorded needs. `operation` is `<service>:<Operation>` (`ecs:RunTask`,
 * `s3:PutObject`); `input` (the recorded request, for ECS) adds what IAM checks besides the action itself:
 * iam:PassRole for the roles a task definition registers or a task runs with, ecs:TagResource for tags on creation.
 * An operation with no known mapping throws: a new call must be mapped before it can be judged.
 */
export function iamActionsOf(operation: string, input?: unknown, context: ImpliedContext = {}): string[] {
  const [service, name] = operation.split(':') as [string, string | undefined];
  if (!name) throw new Error(`Not a recorded operation: '${operation}'`);
  if (service === 's3') {
    const actions = S3_OPERATION_ACTIONS[name];
    if (!actions) throw new Error(`No IAM action is known for the S3 operation '${name}'`);
    return [...actions];
  }
  if (!ONE_TO_ONE.has(service)) throw new Error(`No IAM mapping for the service of '${operation}'`);
  return [operation, ...impliedActions(operation, input, context)];
}

function impliedActions(operation: string, input: unknown, context: ImpliedContext): string[] {
  const request = (input ?? {}) as {
    taskRoleArn?: string;
    executionRoleArn?: string;
    taskDefinition?: string;
    overrides?: { taskRoleArn?: string; executionRoleArn?: string };
    tags?: unknown[];
  };
  const implied: string[] = [];
  const tagsOnCreate = Array.isArray(request.tags) && request.tags.length > 0;
  if (operation === 'ecs:RegisterTaskDefinition') {
    if (request.taskRoleArn || request.executionRoleArn) implied.push('iam:PassRole');
    if (tagsOnCreate) implied.push('ecs:TagResource');
  }
  if (operation === 'ecs:RunTask') {
    const overridden = request.overrides?.taskRoleArn || request.overrides?.executionRoleArn;
    const definitionRoles = request.taskDefinition && context.taskDefinitionHasRoles?.(request.taskDefinition);
    if (overridden || definitionRoles) implied.push('iam:PassRole');
    if (tagsOnCreate) implied.push('ecs:TagResource');
  }
  return implied;
}

export interface PolicyCoverage {
  /** Called, but not allowed by the policy: the action would fail with AccessDenied. */
  missing: string[];
  /** Allowed, but neither called nor explained in the allow-list: an over-grant. */
  unused: string[];
  /** Allow-list entries that are called after all, or that the policy does not grant: the list is out of date. */
  staleAllowances: string[];
}

/** Compares what a policy allows with what was called; `notReachable` explains allowed actions the sandbox cannot show. */
export function comparePolicy(
  allowed: readonly string[],
  called: Iterable<string>,
  notReachable: Readonly<Record<string, string>> = {},
): PolicyCoverage {
  const calledSet = new Set(called);
  const allowedSet = new Set(allowed);
  const explained = Object.keys(notReachable);
  return {
    missing: [...calledSet].filter((action) => !allowedSet.has(action)).sort(),
    unused: [...allowedSet].filter((action) => !calledSet.has(action) && !explained.includes(action)).sort(),
    staleAllowances: explained.filter((action) => calledSet.has(action) || !allowedSet.has(action)).sort(),
  };
}
