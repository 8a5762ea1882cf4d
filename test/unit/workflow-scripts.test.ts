import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT as ROOT } from '../../sandbox/run-bundle.js';
import { errorLines, runScript } from '../support/workflow-step.js';

/** The .github/scripts the workflows' jobs run from the suite checkout, with the tools they call (aws, gh, curl) faked. */

const script = (name: string) => join(ROOT, '.github/scripts', name);

/** A directory with one fake tool: `body` is bash run with the tool's arguments; every call is logged. */
function fakeTool(name: string, body: string): { dir: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), `fake-${name}-`));
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  writeFileSync(join(dir, name), `#!/usr/bin/env bash\necho "$*" >> ${JSON.stringify(log)}\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
  return { dir, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

describe('find-image.sh: is the image of this commit already in ECR?', () => {
  const env = {
    REGISTRY: '1.dkr.ecr.us-east-1.amazonaws.com',
    REPOSITORY: 'startupwebapp-backend',
    TAG: 'c'.repeat(40),
  };
  const image = `${env.REGISTRY}/${env.REPOSITORY}:${env.TAG}`;

  test('found: exists=true, nothing is built', () => {
    const aws = fakeTool('aws', `echo '{"imageDetails":[{}]}'`);
    const result = runScript(script('find-image.sh'), env, aws.dir);
    expect([result.status, result.outputs]).toEqual([0, { image, exists: 'true' }]);
    expect(aws.calls()).toEqual([
      `ecr describe-images --repository-name startupwebapp-backend --image-ids imageTag=${env.TAG}`,
    ]);
  });

  test("AWS's not-found answer: exists=false", () => {
    const aws = fakeTool(
      'aws',
      `echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageDigest:'null', imageTag:'x'} does not exist" >&2; exit 254`,
    );
    const result = runScript(script('find-image.sh'), env, aws.dir);
    expect([result.status, result.outputs, errorLines(result.stdout)]).toEqual([0, { image, exists: 'false' }, []]);
  });

  test.each([
    [
      'access denied',
      'AccessDeniedException',
      'User: arn:aws:sts::1:assumed-role/b is not authorized to perform: ecr:DescribeImages',
    ],
    ['throttling', 'ThrottlingException', 'Rate exceeded'],
    ['a wrong repository', 'RepositoryNotFoundException', "The repository with name 'x' does not exist"],
  ])("any other error (%s) fails with AWS's message, and says neither true nor false", (_what, code, message) => {
    const aws = fakeTool(
      'aws',
      `echo "An error occurred (${code}) when calling the DescribeImages operation: ${message}" >&2; exit 254`,
    );
    const result = runScript(script('find-image.sh'), env, aws.dir);
    expect(result.status).toBe(1);
    expect(result.outputs.exists).toBeUndefined();
    expect(errorLines(result.stdout)).toEqual([
      `::error title=ECR describe-images failed::Could not tell whether startupwebapp-backend:${env.TAG} is in ECR: An error occurred (${code}) when calling the DescribeImages operation: ${message}`,
    ]);
  });

  test("AWS's message stays inside the annotation: its line breaks are escaped, not new workflow commands", () => {
    const aws = fakeTool('aws', `printf 'An error occurred (X)\\n::set-output name=exists::true\\n' >&2; exit 254`);
    const result = runScript(script('find-image.sh'), env, aws.dir);
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::'))).toEqual([
      expect.stringMatching(/^::error title=ECR describe-images failed::.*An error occurred \(X\)%0A::set-output/),
    ]);
  });
});

describe('verify-urls.sh: the verify jobs of the backend deploy and the rollback', () => {
  /** A curl that answers each URL with the status in `codes` (000 for any other). */
  const fakeCurl = (codes: Record<string, string>) =>
    fakeTool(
      'curl',
      `url="\${@: -1}"; case "$url" in ${Object.entries(codes)
        .map(([url, code]) => `${JSON.stringify(url)}) echo -n ${code} ;;`)
        .join(' ')} *) echo -n 000 ;; esac`,
    );
  const env = {
    HEALTH_CHECK_URL: 'https://api.example/order/products',
    SMOKE_URLS:
      'https://api.example/order/products 200\nhttps://api.example/user/logged-in 200\n# a comment\n\nhttps://www.example/ 200\n',
    ATTEMPTS: '2',
    RETRY_SECONDS: '0',
  };

  test('every URL answering its status passes; a URL named twice is checked once', () => {
    const curl = fakeCurl({
      'https://api.example/order/products': '200',
      'https://api.example/user/logged-in': '200',
      'https://www.example/': '200',
    });
    const result = runScript(script('verify-urls.sh'), env, curl.dir);
    expect([result.status, errorLines(result.stdout)]).toEqual([0, []]);
    expect(curl.calls()).toHaveLength(3);
    expect(result.summary).toContain('| https://api.example/user/logged-in | 200 | 200 |');
  });

  test('a route answering 500 while the health path answers 200 fails the verify, naming it and what was verified', () => {
    const curl = fakeCurl({
      'https://api.example/order/products': '200',
      'https://www.example/': '200',
      'https://api.example/user/logged-in': '500',
    });
    const result = runScript(script('verify-urls.sh'), { ...env, AFTER: 'The rollback' }, curl.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      '::error title=Smoke check failed::https://api.example/user/logged-in answered 500, expected 200',
      '::error title=Verification failed::The rollback finished but the checks above failed: consider the rollback workflow',
    ]);
    // Tried ATTEMPTS times before giving up.
    expect(curl.calls().filter((c) => c.endsWith('https://api.example/user/logged-in'))).toHaveLength(2);
  });

  test('a malformed line fails naming the input', () => {
    const curl = fakeCurl({ 'https://api.example/order/products': '200' });
    const result = runScript(
      script('verify-urls.sh'),
      { ...env, SMOKE_URLS: 'https://x.example two-hundred' },
      curl.dir,
    );
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)[0]).toBe(
      "::error title=Invalid input::Input 'smoke-urls' lines must be 'URL STATUS'",
    );
  });
});

describe('resolve-frontend-commit.sh: the frontend commit a release ships with, fixed before anything deploys', () => {
  const env = { GH_TOKEN: 't', FRONTEND_REPOSITORY: 'f/r', FRONTEND_REF: 'master', SKIP_FRONTEND: 'false' };
  const sha = 'e'.repeat(40);

  test("a branch is resolved to the commit at its tip through GitHub's API", () => {
    const gh = fakeTool('gh', `echo ${sha}`);
    const result = runScript(script('resolve-frontend-commit.sh'), env, gh.dir);
    expect([result.status, result.outputs]).toEqual([0, { commit: sha }]);
    expect(gh.calls()).toEqual(['api repos/f/r/commits/master --jq .sha']);
  });

  test('a commit SHA is taken as it is, without a call', () => {
    const gh = fakeTool('gh', 'exit 1');
    const result = runScript(script('resolve-frontend-commit.sh'), { ...env, FRONTEND_REF: sha }, gh.dir);
    expect([result.status, result.outputs, gh.calls()]).toEqual([0, { commit: sha }, []]);
  });

  test('skip-frontend records nothing (the new revision carries the current record over)', () => {
    const gh = fakeTool('gh', 'exit 1');
    const result = runScript(script('resolve-frontend-commit.sh'), { ...env, SKIP_FRONTEND: 'true' }, gh.dir);
    expect([result.status, result.outputs, gh.calls()]).toEqual([0, {}, []]);
  });

  test('a branch that does not exist stops the pipeline before anything deploys, naming the input', () => {
    const gh = fakeTool('gh', `echo 'gh: No commit found for SHA: nope (HTTP 422)' >&2; exit 1`);
    const result = runScript(script('resolve-frontend-commit.sh'), { ...env, FRONTEND_REF: 'nope' }, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      expect.stringMatching(
        /^::error title=Frontend ref not found::Could not resolve input 'frontend-ref' \(nope\) to a commit of f\/r \(HTTP 422\)/,
      ),
    ]);
  });
});

describe('recorded-frontend.sh: which frontend goes back with the revision rolled back to', () => {
  const arn = 'arn:aws:ecs:us-east-1:1:task-definition/startupwebapp-service-task:41';
  const sha = 'f'.repeat(40);
  const env = { FRONTEND: 'matching', TASK_DEFINITION_ARN: arn, DRY_RUN: 'false' };

  test('matching: the commit the deploy recorded on that revision (tag frontend-commit)', () => {
    const aws = fakeTool('aws', `echo ${sha}`);
    const result = runScript(script('recorded-frontend.sh'), env, aws.dir);
    expect([result.status, result.outputs, errorLines(result.stdout)]).toEqual([0, { ref: sha }, []]);
    expect(aws.calls()).toEqual([
      `ecs describe-task-definition --task-definition ${arn} --include TAGS --query tags[?key=='frontend-commit'].value | [0] --output text`,
    ]);
    expect(result.summary).toContain(`redeployed at the matching commit \`${sha}\``);
  });

  test('matching with nothing recorded: the frontend is left as it is, and the run says so', () => {
    const aws = fakeTool('aws', 'echo None');
    const result = runScript(script('recorded-frontend.sh'), env, aws.dir);
    expect([result.status, result.outputs]).toEqual([0, {}]);
    expect(result.stdout).toContain(`::warning title=No frontend recorded::No frontend commit is recorded on ${arn}`);
    expect(result.summary).toContain('the frontend is left as it is');
  });

  test('a dry run says what would be redeployed', () => {
    const aws = fakeTool('aws', `echo ${sha}`);
    const result = runScript(script('recorded-frontend.sh'), { ...env, DRY_RUN: 'true' }, aws.dir);
    expect(result.stdout).toContain(`Frontend: would be redeployed at ${sha}`);
  });

  test('none and an explicit ref read nothing from AWS', () => {
    const aws = fakeTool('aws', 'exit 1');
    const none = runScript(script('recorded-frontend.sh'), { ...env, FRONTEND: 'none' }, aws.dir);
    expect([none.status, none.outputs]).toEqual([0, {}]);
    const ref = runScript(script('recorded-frontend.sh'), { ...env, FRONTEND: 'master' }, aws.dir);
    expect([ref.status, ref.outputs]).toEqual([0, { ref: 'master' }]);
    expect(aws.calls()).toEqual([]);
  });

  test('a refused read fails with the reason rather than guessing', () => {
    const aws = fakeTool('aws', `echo 'An error occurred (AccessDeniedException): not authorized' >&2; exit 254`);
    const result = runScript(script('recorded-frontend.sh'), env, aws.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      expect.stringContaining(
        `::error title=Frontend record not readable::Could not read the tags of ${arn}: An error occurred (AccessDeniedException)`,
      ),
    ]);
  });
});

describe('report-frontend-deploy.sh: the outcome of the frontend deploy attempts, in the summary', () => {
  const env = {
    OUTCOMES: 'failure success skipped',
    SHA: 'a'.repeat(40),
    REF: 'master',
    CORRELATION_ID: 'backend-1-1-0123456789abcdef0123456789abcdef',
    BACKEND_SHA: 'b'.repeat(40),
    BACKEND_RUN_URL: 'https://github.com/o/r/actions/runs/5',
    SERVER_URL: 'https://github.com',
  };

  test('counts the attempts up to the first success and shows what was deployed for which backend run', () => {
    const result = runScript(script('report-frontend-deploy.sh'), env);
    expect(result.status).toBe(0);
    expect(result.summary).toContain('### Frontend deploy succeeded');
    expect(result.summary).toContain('| **Attempts** | 2 of 3 |');
    expect(result.summary).toContain(`| **Backend commit** | \`${env.BACKEND_SHA}\` |`);
    expect(result.summary).toContain('| **Backend run** | https://github.com/o/r/actions/runs/5 |');
  });

  test('three failures are a failed deploy; a backend run URL on another host is not shown', () => {
    const result = runScript(script('report-frontend-deploy.sh'), {
      ...env,
      OUTCOMES: 'failure failure failure',
      BACKEND_RUN_URL: 'https://evil.example/o/r/actions/runs/5',
    });
    expect(result.summary).toContain('### Frontend deploy failed');
    expect(result.summary).toContain('| **Attempts** | 3 of 3 |');
    expect(result.summary).not.toContain('evil.example');
  });
});
