import { cacheControlRules, compileRules, type CompiledRule } from './cache-rules.js';
import { InputError, type Inputs } from '../../lib/runner/inputs.js';
import { excludeRules, makeExcluder, type Excluder } from './site-files.js';

/** Everything the user asked for, validated before any AWS call. */
export interface FrontendInputs {
  source: string;
  bucket: string;
  /** '' or ending in '/', NFC, no leading '/'. */
  prefix: string;
  cacheControl: CompiledRule[];
  contentType: CompiledRule[];
  exclude: Excluder;
  deleteRemoved: boolean;
  maxDeletes: number;
  distributionId?: string;
  concurrency: number;
  dryRun: boolean;
  /** Small files on the direct PUT path (s3-direct-put-api.ts) rather than PutObjectCommand. */
  directPut: boolean;
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

export function readFrontendInputs(inputs: Inputs): FrontendInputs {
  const bucket = inputs.string('bucket', { required: true });
  if (!BUCKET.test(bucket)) throw new InputError(`Input 'bucket' must be an S3 bucket name, got '${bucket}'`);
  const distributionId = inputs.optionalString('cloudfront-distribution-id');
  if (distributionId !== undefined && !DISTRIBUTION.test(distributionId)) {
    throw new InputError(`Input 'cloudfront-distribution-id' must look like 'E2QWRUHAPOMQZL', got '${distributionId}'`);
  }
  return {
    source: inputs.string('source', { default: '.' }),
    bucket,
    prefix: normalizePrefix(inputs.string('prefix')),
    cacheControl: cacheControlRules(inputs.rules('cache-control')),
    contentType: compileRules('content-type', inputs.rules('content-type')),
    exclude: makeExcluder(
      excludeRules(
        inputs
          .raw('exclude')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith('#')),
      ),
    ),
    deleteRemoved: inputs.boolean('delete', false),
    maxDeletes: inputs.number('max-deletes', { min: 0, max: 1_000_000, default: 100, integer: true }),
    distributionId,
    concurrency: inputs.number('concurrency', { min: 1, max: 256, default: 16, integer: true }),
    dryRun: inputs.boolean('dry-run', false),
    directPut: inputs.boolean('direct-put', true),
  };
}
