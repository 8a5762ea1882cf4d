import {
  isCheckOnly,
  normalizePrefix,
  readCheckInputs,
  readFrontendInputs,
} from '../../../actions/deploy-frontend/inputs.js';
import { Inputs } from '../../../lib/runner/inputs.js';

const inputs = (values: Record<string, string>) => new Inputs((name) => values[name] ?? '');

describe('deploy-frontend settings', () => {
  it('applies the documented defaults', () => {
    const settings = readFrontendInputs(inputs({ bucket: 'startupwebapp-frontend-production' }));
    expect(settings).toMatchObject({
      source: '.',
      prefix: '',
      deleteRemoved: false,
      maxDeletes: 100,
      concurrency: 16,
      dryRun: false,
      directPut: true,
      distributionId: undefined,
    });
    expect(settings.cacheControl.map((r) => `${r.pattern}: ${r.value}`)).toEqual([
      '**/*.html: no-cache, must-revalidate',
      'content-hashed names: public, max-age=31536000, immutable',
      '**/*.{js,css}: public, max-age=0, must-revalidate',
      '**: public, max-age=3600',
    ]);
    expect(settings.exclude.excludes).toContain('node_modules/**');
    expect(settings.exclude.folder('node_modules')).toBe(true);
  });

  it('normalises the prefix to no leading slash and one trailing slash', () => {
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix('/site/v2/')).toBe('site/v2/');
    expect(normalizePrefix('site')).toBe('site/');
    expect(() => normalizePrefix('a/../b')).toThrow(/^Input 'prefix' must not contain/);
  });

  it.each([
    [{}, /^Input 'bucket' is required and was not given$/],
    [{ bucket: 'Bad_Bucket' }, /^Input 'bucket' must be an S3 bucket name, got 'Bad_Bucket'$/],
    [{ bucket: 'ok-bucket', 'max-deletes': '-1' }, /^Input 'max-deletes' must be a whole number between 0 and/],
    [{ bucket: 'ok-bucket', concurrency: '0' }, /^Input 'concurrency' must be a whole number between 1 and 256/],
    [{ bucket: 'ok-bucket', delete: 'yes' }, /^Input 'delete' must be 'true' or 'false', got 'yes'$/],
    [{ bucket: 'ok-bucket', 'direct-put': 'off' }, /^Input 'direct-put' must be 'true' or 'false', got 'off'$/],
    [
      { bucket: 'ok-bucket', 'cache-control': 'no colon here' },
      /^Input 'cache-control' line 1 must be 'PATTERN: VALUE'/,
    ],
    [
      { bucket: 'ok-bucket', exclude: '*.map\n*.{js' },
      /^Input 'exclude' has an invalid pattern '\*\.\{js': Unclosed '\{'/,
    ],
    [{ bucket: 'ok-bucket', exclude: '!drafts/[z-a]' }, /^Input 'exclude' has an invalid pattern 'drafts\/\[z-a\]': /],
    [
      { bucket: 'ok-bucket', 'cloudfront-distribution-id': 'my dist' },
      /^Input 'cloudfront-distribution-id' must look like/,
    ],
  ])('rejects %j with one line naming the input', (values, message) => {
    expect(() => readFrontendInputs(inputs(values as Record<string, string>))).toThrow(message);
  });
});

describe('deploy-frontend inputs added by issue 12', () => {
  const base = { bucket: 'startupwebapp-frontend-production' };

  it('defaults: refuse in-place changes of long-lived names, no waiting, 5 minutes, 10 s, no path style', () => {
    expect(readFrontendInputs(inputs(base), {})).toMatchObject({
      changedImmutable: 'fail',
      waitForInvalidation: false,
      invalidationTimeoutMs: 300_000,
      pollMs: 10_000,
      forcePathStyle: false,
    });
  });

  it('reads include lines, skipping blanks and comments', () => {
    const read = readFrontendInputs(inputs({ ...base, include: 'js/**\n\n# pages\nabout\n' }), {});
    expect(read.exclude.only).toEqual(['js/**', 'about']);
  });

  it('takes force-path-style from the input, else AWS_S3_FORCE_PATH_STYLE', () => {
    expect(readFrontendInputs(inputs(base), { AWS_S3_FORCE_PATH_STYLE: 'true' }).forcePathStyle).toBe(true);
    expect(readFrontendInputs(inputs(base), { AWS_S3_FORCE_PATH_STYLE: 'false' }).forcePathStyle).toBe(false);
    const input = inputs({ ...base, 'force-path-style': 'false' });
    expect(readFrontendInputs(input, { AWS_S3_FORCE_PATH_STYLE: 'true' }).forcePathStyle).toBe(false);
    expect(() => readFrontendInputs(inputs(base), { AWS_S3_FORCE_PATH_STYLE: 'yes please' })).toThrow(
      /^Environment variable AWS_S3_FORCE_PATH_STYLE must be 'true' or 'false'/,
    );
  });

  it.each([
    ['changed-immutable', 'ignore', /^Input 'changed-immutable' must be one of fail, warn/],
    ['wait-for-invalidation', 'yes', /^Input 'wait-for-invalidation' must be 'true' or 'false'/],
    ['invalidation-timeout-minutes', '90', /^Input 'invalidation-timeout-minutes' must be a number between 0.1 and 60/],
    ['poll-interval-seconds', '0', /^Input 'poll-interval-seconds' must be a number between 0.05 and 300/],
    ['include', 'js/{a', /^Input 'include' has an invalid pattern/],
  ])('refuses a bad %s in one line', (name, value, message) => {
    expect(() => readFrontendInputs(inputs({ ...base, [name]: value }), {})).toThrow(message);
  });
});

describe('the pull-request check (check-against)', () => {
  it('is chosen by check-against, and reads the same rules as a deploy without a bucket or any AWS setting', () => {
    const values = { 'check-against': 'base', source: 'site', include: 'js/**', 'cache-control': '*.map: no-store' };
    expect(isCheckOnly(inputs(values))).toBe(true);
    expect(isCheckOnly(inputs({ bucket: 'b-1', 'check-against': '  ' }))).toBe(false);
    const read = readCheckInputs(inputs(values));
    expect(read).toMatchObject({
      source: 'site',
      checkAgainst: 'base',
      changedImmutable: 'fail',
      deleteRemoved: false,
      maxDeletes: 100,
      concurrency: 16,
    });
    expect(read.exclude.only).toEqual(['js/**']);
    expect(read.cacheControl.map((r) => r.pattern)).toEqual(
      readFrontendInputs(inputs({ ...values, bucket: 'b-1' })).cacheControl.map((r) => r.pattern),
    );
  });

  it('refuses a bad rule with the same one-line error as a deploy', () => {
    expect(() => readCheckInputs(inputs({ 'check-against': 'base', 'changed-immutable': 'ignore' }))).toThrow(
      /^Input 'changed-immutable' must be one of fail, warn/,
    );
  });
});
