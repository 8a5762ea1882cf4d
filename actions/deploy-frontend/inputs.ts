import { cacheControlRules, compileRules, type CompiledRule } from './cache-rules.js';
import { InputError, inputLines, type Inputs } from '../../lib/runner/inputs.js';
import { excludeRules, makeExcluder, type Excluder } from './site-files.js';

/** What decides, for a deploy and for the pull-request check alike, which files go out with which headers. */
export interface SiteRules {
  source: string;
  cacheControl: CompiledRule[];
  contentType: CompiledRule[];
  /** What is published: the `include` globs (if any) less `exclude` and the default excludes. */
  exclude: Excluder;
  /** A file changed in place under a long-lived name: refuse the deploy, or upload, invalidate and warn. */
  changedImmutable: 'fail' | 'warn';
  /** Delete what the source no longer has, refusing more than `maxDeletes`. */
  deleteRemoved: boolean;
  maxDeletes: number;
  concurrency: number;
}

/**
 * The pull-request check (`check-against`): the site in `source` against the base branch's copy of it, under the same
 * rules as a deploy. Reads no bucket and no AWS setting.
 */
export interface CheckInputs extends SiteRules {
  /** The folder holding the base branch's copy of the site. */
  checkAgainst: string;
}

/** Everything the user asked for, validated before any AWS call. */
export interface FrontendInputs extends SiteRules {
  bucket: string;
  /** '' or ending in '/', NFC, no leading '/'. */
  prefix: string;
  distributionId?: string;
  /** Wait for the invalidation to complete, at most `invalidationTimeoutMs`, reading its status every `pollMs`. */
  waitForInvalidation: boolean;
  invalidationTimeoutMs: number;
  pollMs: number;
  dryRun: boolean;
  /** Small files on the direct PUT path (s3-direct-put-api.ts) rather than PutObjectCommand. */
  directPut: boolean;
  /** Path-style requests (`endpoint/bucket/key`), for S3-compatible endpoints reached by host name. */
  forcePathStyle: boolean;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DISTRIBUTION = /^[A-Z0-9]{6,32}$/;

export function normalizePrefix(raw: string): string {
  const trimmed = raw
    .normalize('NFC')
    .replace(/\\/g, '/')
    .replace(/^\/+|\/+$/g, '');
  if (trimmed.split('/').some((part) => part === '..' || part === '.')) {
    throw new InputError(`Input 'prefix' must not contain '.' or '..' segments, got '${raw}'`);
  }
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** Glob lines: blank lines and `#` comments skipped. */
function globLines(inputs: Inputs, name: string): string[] {
  return inputLines(inputs.raw(name)).map(({ line }) => line);
}

/** The input, else AWS_S3_FORCE_PATH_STYLE (as other S3 tools read it), else false. */
function forcePathStyle(inputs: Inputs, env: NodeJS.ProcessEnv): boolean {
  if (inputs.raw('force-path-style') !== '') return inputs.boolean('force-path-style', false);
  const fromEnv = (env.AWS_S3_FORCE_PATH_STYLE ?? '').trim().toLowerCase();
  if (fromEnv === '' || fromEnv === 'false' || fromEnv === '0') return false;
  if (fromEnv === 'true' || fromEnv === '1') return true;
  throw new InputError(
    `Environment variable AWS_S3_FORCE_PATH_STYLE must be 'true' or 'false', got '${env.AWS_S3_FORCE_PATH_STYLE}'`,
  );
}

function readSiteRules(inputs: Inputs): SiteRules {
  return {
    source: inputs.string('source', { default: '.' }),
    cacheControl: cacheControlRules(inputs.rules('cache-control')),
    contentType: compileRules('content-type', inputs.rules('content-type')),
    exclude: makeExcluder(excludeRules(globLines(inputs, 'exclude')), globLines(inputs, 'include')),
    changedImmutable: inputs.choice('changed-immutable', ['fail', 'warn'] as const, 'fail'),
    deleteRemoved: inputs.boolean('delete', false),
    maxDeletes: inputs.number('max-deletes', { min: 0, max: 1_000_000, default: 100, integer: true }),
    concurrency: inputs.number('concurrency', { min: 1, max: 256, default: 16, integer: true }),
  };
}

/** `check-against` is set: this run is the pull-request check, not a deploy. */
export function isCheckOnly(inputs: Inputs): boolean {
  return inputs.raw('check-against').trim() !== '';
}

export function readCheckInputs(inputs: Inputs): CheckInputs {
  return { ...readSiteRules(inputs), checkAgainst: inputs.string('check-against', { required: true }) };
}

export function readFrontendInputs(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): FrontendInputs {
  const bucket = inputs.string('bucket', { required: true });
  if (!BUCKET.test(bucket)) throw new InputError(`Input 'bucket' must be an S3 bucket name, got '${bucket}'`);
  const distributionId = inputs.optionalString('cloudfront-distribution-id');
  if (distributionId !== undefined && !DISTRIBUTION.test(distributionId)) {
    throw new InputError(`Input 'cloudfront-distribution-id' must look like 'E2QWRUHAPOMQZL', got '${distributionId}'`);
  }
  return {
    ...readSiteRules(inputs),
    bucket,
    prefix: normalizePrefix(inputs.string('prefix')),
    distributionId,
    waitForInvalidation: inputs.boolean('wait-for-invalidation', false),
    invalidationTimeoutMs: inputs.number('invalidation-timeout-minutes', { min: 0.1, max: 60, default: 5 }) * 60_000,
    pollMs: inputs.number('poll-interval-seconds', { min: 0.05, max: 300, default: 10 }) * 1000,
    dryRun: inputs.boolean('dry-run', false),
    directPut: inputs.boolean('direct-put', true),
    forcePathStyle: forcePathStyle(inputs, env),
  };
}
