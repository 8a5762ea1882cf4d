import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { runPool } from '../actions/deploy-frontend/parallel.js';
import { startS3Server, type S3Sandbox } from '../sandbox/s3/index.js';
import { runBundle } from '../sandbox/run-bundle.js';
import { ALL_FILES, SITE_FILES, TODAYS_INCLUDE, writeStartupWebAppSite } from '../test/support/startupwebapp-site.js';
import { median, type BenchResult, type BenchRow } from './types.js';

/**
 * deploy-frontend against `aws s3 sync` on the same generated site (2,000 files, ~46 MB) and the same local S3
 * (s3rver behind the sandbox proxy, which counts requests): first deploy, redeploy after touching every file (what a
 * fresh CI checkout looks like), redeploy with one file changed.
 */

const FILES = 2000;
const RUNS = 3;
const KINDS: Array<{ dir: string; ext: string; share: number; size: number; text: boolean }> = [
  { dir: 'pages', ext: 'html', share: 0.1, size: 5_300, text: true },
  { dir: 'js', ext: 'js', share: 0.25, size: 25_000, text: true },
  { dir: 'css', ext: 'css', share: 0.15, size: 10_700, text: true },
  { dir: 'img', ext: 'png', share: 0.3, size: 33_800, text: false },
  { dir: 'img', ext: 'webp', share: 0.1, size: 26_700, text: false },
  { dir: 'fonts', ext: 'woff2', share: 0.1, size: 19_600, text: false },
];

/** Deterministic bytes: a SHA-256 counter stream, hex (text files) or raw. */
function bytes(seed: string, size: number, text: boolean): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (let i = 0; total < size; i++) {
    const digest = createHash('sha256').update(`${seed}:${i}`).digest();
    const chunk = text ? Buffer.from(`/* ${digest.toString('hex')} */\n`) : digest;
    chunks.push(chunk);
    total += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, size);
}

interface Site {
  files: string[];
  bytes: number;
}

export function generateSite(root: string): Site {
  const files: string[] = [];
  let total = 0;
  let n = 0;
  for (const kind of KINDS) {
    const count = Math.round(FILES * kind.share);
    for (let i = 0; i < count && n < FILES; i++, n++) {
      const path = `${kind.dir}/${String(Math.floor(i / 100)).padStart(2, '0')}/${kind.dir}-${i}.${kind.ext}`;
      const size = Math.round(kind.size * (0.5 + ((i * 7919) % 100) / 100));
      const body = bytes(path, size, kind.text);
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), body);
      files.push(path);
      total += body.length;
    }
  }
  return { files, bytes: total };
}

function touchAll(root: string, files: string[], at: Date): void {
  for (const file of files) utimesSync(join(root, file), at, at);
}

interface Run {
  ms: number;
  requests: number;
  puts: number;
}

/** The Debian package's CLI (what the issue measures) if installed, else whatever `aws` is on PATH. */
function awsCli(): { command: string; version: string } | undefined {
  for (const command of ['/usr/bin/aws', 'aws']) {
    const probe = spawnSync(command, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0)
      return { command, version: (probe.stdout || probe.stderr).trim().split(/\s+/)[0] as string };
  }
  return undefined;
}

function measured(s3: S3Sandbox, bucket: string, started: number): Run {
  const mine = s3.requests.filter((r) => r.bucket === bucket);
  return {
    ms: Date.now() - started,
    requests: mine.length,
    puts: mine.filter((r) => r.operation === 'PutObject' || r.operation === 'UploadPart').length,
  };
}

async function ours(
  s3: S3Sandbox,
  bucket: string,
  source: string,
  inputs: Record<string, string | boolean> = {},
): Promise<Run> {
  s3.clearRequests();
  const started = Date.now();
  const result = await runBundle('deploy-frontend', {
    inputs: { source, bucket, ...inputs },
    env: s3.env(),
    timeoutMs: 300_000,
  });
  if (result.exitCode !== 0) throw new Error(`deploy-frontend failed:\n${result.stdout}\n${result.stderr}`);
  const run = measured(s3, bucket, started);
  return { ...run, ms: result.durationMs, puts: run.puts };
}

async function awsSync(
  command: string,
  s3: S3Sandbox,
  bucket: string,
  source: string,
  extraArgs: string[] = [],
): Promise<Run> {
  s3.clearRequests();
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      command,
      ['s3', 'sync', source, `s3://${bucket}`, '--endpoint-url', s3.url, '--only-show-errors', ...extraArgs],
      {
        env: {
          ...process.env,
          ...s3.env(),
          AWS_DEFAULT_REGION: s3.region,
          // the CLI's default streamed trailing checksum is stored verbatim by s3rver (corrupt): use Content-MD5 as we do
          AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
          AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`aws s3 sync exited ${code}: ${stderr}`))));
  });
  return measured(s3, bucket, started);
}

/**
 * The least any client can do for a first upload: every file PUT as a Buffer with Content-MD5, 16 in flight, from
 * a process already running (no start-up, no scan, no plan, no manifest). Shows how fast the server itself goes.
 */
async function plainPutLoop(s3: S3Sandbox, bucket: string, source: string, files: string[]): Promise<Run> {
  const client = s3.client();
  s3.clearRequests();
  const started = Date.now();
  try {
    const result = await runPool(files, 16, async (file) => {
      const body = readFileSync(join(source, file));
      const md5 = createHash('md5').update(body).digest('base64');
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: file, Body: body, ContentMD5: md5 }));
    });
    if (result.failed.length > 0) throw result.failed[0]?.error;
    return measured(s3, bucket, started);
  } finally {
    client.destroy();
  }
}

/** Both tools must land the bytes: check a sample of objects round-trip. */
async function verify(s3: S3Sandbox, bucket: string, source: string, files: string[]): Promise<void> {
  const client = s3.client();
  try {
    for (const file of files.filter((_, i) => i % 97 === 0)) {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: file }));
      const remote = Buffer.from(await out.Body!.transformToByteArray());
      if (!remote.equals(readFileSync(join(source, file)))) throw new Error(`${bucket}/${file}: bytes differ`);
    }
  } finally {
    client.destroy();
  }
}

interface Scenario {
  first: Run;
  touched: Run;
  oneChanged: Run;
}

/** Generates a fresh site and deploys it three ways; answers the runs and the site that was deployed. */
async function scenario(
  s3: S3Sandbox,
  bucket: string,
  deploy: (source: string) => Promise<Run>,
): Promise<Scenario & { site: Site }> {
  const source = mkdtempSync(join(tmpdir(), 'bench-frontend-site-'));
  try {
    const site = generateSite(source);
    const { files } = site;
    await s3.createBucket(bucket);
    const first = await deploy(source);
    await verify(s3, bucket, source, files);
    touchAll(source, files, new Date(Date.now() + 3_600_000));
    const touched = await deploy(source);
    const changed = files[5] as string;
    writeFileSync(
      join(source, changed),
      Buffer.concat([readFileSync(join(source, changed)), Buffer.from('\n// v2\n')]),
    );
    const oneChanged = await deploy(source);
    await verify(s3, bucket, source, files);
    return { first, touched, oneChanged, site };
  } finally {
    rmSync(source, { recursive: true, force: true });
  }
}

function medians(runs: Scenario[]): Scenario {
  const pick = (key: keyof Scenario): Run => ({
    ms: median(runs.map((r) => r[key].ms)),
    requests: median(runs.map((r) => r[key].requests)),
    puts: median(runs.map((r) => r[key].puts)),
  });
  return { first: pick('first'), touched: pick('touched'), oneChanged: pick('oneChanged') };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function benchFrontend(): Promise<BenchResult> {
  const s3 = await startS3Server();
  try {
    const runs: Array<Scenario & { site: Site }> = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await scenario(s3, `bench-ours-${i}`, (source) => ours(s3, `bench-ours-${i}`, source)));
    }
    const { files, bytes: totalBytes } = runs[0]!.site;
    const mine = medians(runs);

    const cli = awsCli();
    const cliRuns: Scenario[] = [];
    for (let i = 0; cli && i < RUNS; i++) {
      const bucket = `bench-aws-cli-${i}`;
      cliRuns.push(await scenario(s3, bucket, (source) => awsSync(cli.command, s3, bucket, source)));
    }
    const theirs = cli ? medians(cliRuns) : undefined;
    const loops: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const bucket = `bench-put-loop-${i}`;
      const source = mkdtempSync(join(tmpdir(), 'bench-frontend-site-'));
      const site = generateSite(source);
      await s3.createBucket(bucket);
      loops.push(await plainPutLoop(s3, bucket, source, site.files));
      rmSync(source, { recursive: true, force: true });
    }
    const loop = { ms: median(loops.map((r) => r.ms)), requests: median(loops.map((r) => r.requests)) };
    const baselineName = cli ? `aws s3 sync (${cli.version}, median of ${RUNS} runs)` : 'aws s3 sync (not installed)';
    const loopName = `plain parallel PutObject loop in-process (SDK v3, 16 in flight, Buffer + Content-MD5), median of ${RUNS} runs: the server's own limit`;

    const row = (
      metric: string,
      ourValue: number,
      theirValue: number | undefined,
      format: (n: number) => string | number,
      goal?: { text: string; met: (ratio: number, ours: number) => boolean },
    ): BenchRow => {
      const ratio = theirValue !== undefined && ourValue > 0 ? theirValue / ourValue : undefined;
      return {
        metric,
        ours: format(ourValue),
        baseline: theirValue === undefined ? 'not installed' : format(theirValue),
        baselineName,
        ratio: theirValue === undefined ? undefined : ourValue === 0 ? undefined : ratio,
        goal: goal?.text,
        met: goal && ratio !== undefined ? goal.met(ratio, ourValue) : undefined,
      };
    };
    const count = (n: number) => n;
    return {
      name: 'deploy-frontend: static site to S3',
      method:
        `Generated site: ${files.length} files, ${(totalBytes / 1e6).toFixed(1)} MB (HTML, JS, CSS, PNG, WebP, WOFF2), ` +
        `s3rver 3.7.1 behind the sandbox proxy on 127.0.0.1, 2-core machine. Ours: the committed bundle under Node 24, ` +
        `default inputs (concurrency 16), median of ${RUNS} runs, each on a fresh bucket. ` +
        `"Touched" = every mtime moved forward, content unchanged (a fresh CI checkout). Ratio = baseline / ours ` +
        `(higher is better for us). Bytes of sampled objects verified after each scenario.`,
      rows: [
        row('first deploy, wall', mine.first.ms, theirs?.first.ms, seconds, {
          text: '>= 2x faster',
          met: (r) => r >= 2,
        }),
        {
          metric: 'first deploy, wall, against the server limit',
          ours: seconds(mine.first.ms),
          baseline: seconds(loop.ms),
          baselineName: loopName,
          ratio: loop.ms / mine.first.ms,
        },
        row('first deploy, S3 requests', mine.first.requests, theirs?.first.requests, count),
        row('redeploy after touching every file, wall', mine.touched.ms, theirs?.touched.ms, seconds, {
          text: '>= 10x faster',
          met: (r) => r >= 10,
        }),
        row('redeploy after touching every file, PUTs', mine.touched.puts, theirs?.touched.puts, count, {
          text: '0 PUTs',
          met: (_r, n) => n === 0,
        }),
        row('redeploy after touching every file, S3 requests', mine.touched.requests, theirs?.touched.requests, count),
        row('redeploy with one file changed, wall', mine.oneChanged.ms, theirs?.oneChanged.ms, seconds),
        row('redeploy with one file changed, PUTs', mine.oneChanged.puts, theirs?.oneChanged.puts, count),
        row(
          'redeploy with one file changed, S3 requests',
          mine.oneChanged.requests,
          theirs?.oneChanged.requests,
          count,
        ),
      ],
    };
  } finally {
    await s3.stop();
  }
}

/**
 * Today's allow-list in `aws s3 sync` terms (the client repository's deploy-production.yml): everything excluded,
 * then the site included (the CLI's `*` also crosses '/').
 */
const TODAYS_SYNC_ARGS = [
  '--delete',
  '--exclude',
  '*',
  ...TODAYS_INCLUDE.flatMap((glob) => ['--include', glob.replace(/\*\*$/, '*')]),
];

/**
 * The StartupWebApp client repository's shape (100 files, 1.8 MB, 82 of them the site): first deploy and a redeploy
 * of a fresh checkout, ours with today's allow-list as `include` and `delete`, against `aws s3 sync` with the same
 * allow-list and `--delete` (which, like today's workflow, still has to fix the pages' headers afterwards).
 */
export async function benchFrontendStartupWebApp(): Promise<BenchResult> {
  const s3 = await startS3Server();
  const cli = awsCli();
  const include = { include: TODAYS_INCLUDE.join('\n'), delete: true };
  const runTwice = async (bucket: string, deploy: (source: string) => Promise<Run>) => {
    await s3.createBucket(bucket);
    const checkouts = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'bench-swa-')));
    try {
      for (const dir of checkouts) writeStartupWebAppSite(dir);
      const first = await deploy(checkouts[0]!);
      const redeploy = await deploy(checkouts[1]!);
      return { first, redeploy };
    } finally {
      for (const dir of checkouts) rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const mine: Array<{ first: Run; redeploy: Run }> = [];
    const theirs: Array<{ first: Run; redeploy: Run }> = [];
    for (let i = 0; i < RUNS; i++) {
      mine.push(await runTwice(`bench-swa-ours-${i}`, (source) => ours(s3, `bench-swa-ours-${i}`, source, include)));
      if (cli) {
        const bucket = `bench-swa-cli-${i}`;
        theirs.push(await runTwice(bucket, (source) => awsSync(cli.command, s3, bucket, source, TODAYS_SYNC_ARGS)));
      }
    }
    const med = (runs: Array<{ first: Run; redeploy: Run }>, key: 'first' | 'redeploy', field: keyof Run) =>
      runs.length ? median(runs.map((run) => run[key][field])) : undefined;
    const baselineName = cli
      ? `aws s3 sync with today's allow-list and --delete (${cli.version}, median of ${RUNS} runs)`
      : 'aws s3 sync (not installed)';
    const row = (metric: string, key: 'first' | 'redeploy', field: keyof Run): BenchRow => {
      const ourValue = med(mine, key, field) as number;
      const theirValue = med(theirs, key, field);
      return {
        metric,
        ours: field === 'ms' ? seconds(ourValue) : ourValue,
        baseline: theirValue === undefined ? 'not installed' : field === 'ms' ? seconds(theirValue) : theirValue,
        baselineName,
        ratio: theirValue !== undefined && ourValue > 0 ? theirValue / ourValue : undefined,
      };
    };
    return {
      name: 'deploy-frontend: the StartupWebApp client site',
      method:
        `The client repository's shape written by bench/test support (${ALL_FILES.length} files, 1.8 MB, ` +
        `${SITE_FILES.length} published: 22 extensionless pages, fragments, versioned js/css, png/jpg), s3rver behind ` +
        `the sandbox proxy on 127.0.0.1. Ours: the committed bundle with today's allow-list as include and delete; ` +
        `redeploy = a fresh checkout (new mtimes, same bytes). Median of ${RUNS} runs, each on a fresh bucket.`,
      rows: [
        row('first deploy, wall', 'first', 'ms'),
        row('first deploy, S3 requests', 'first', 'requests'),
        row('redeploy of a fresh checkout, wall', 'redeploy', 'ms'),
        row('redeploy of a fresh checkout, PUTs', 'redeploy', 'puts'),
        row('redeploy of a fresh checkout, S3 requests', 'redeploy', 'requests'),
      ],
    };
  } finally {
    await s3.stop();
  }
}
