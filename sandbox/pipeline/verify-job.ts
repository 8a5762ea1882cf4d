import { appendFileSync } from 'node:fs';

/**
 * The backend deploy workflow's `verify` job (.github/workflows/deploy-backend.yml), as a script the pipeline runs the
 * way the runner runs a step: the caller's health-check URL must answer 200 and each smoke URL its expected status
 * (a URL and status named twice is checked once), each tried a few times; results go to the job summary, failures
 * become error annotations, and any failure exits 1.
 * The job itself is bash with curl and jq; this is the same check in Node, so the sandbox needs nothing else installed.
 * Run directly by Node 24 (type stripping): no imports besides Node's own.
 */

const input = (name: string) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
const healthCheckUrl = input('health-check-url');
const smokeUrls = input('smoke-urls');
const attempts = Number(input('attempts') || '3');
const retryMs = Number(input('retry-seconds') || '5') * 1000;
const summaryFile = process.env.GITHUB_STEP_SUMMARY;

const summary = (line: string) => {
  if (summaryFile) appendFileSync(summaryFile, `${line}\n`);
};
const escape = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const error = (title: string, message: string) => console.log(`::error title=${title}::${escape(message)}`);

/** The status `url` answers, 0 when it answers nothing within 10 s. */
async function get(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

let failed = false;

async function check(url: string, expected: number): Promise<void> {
  let status = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    status = await get(url);
    if (status === expected) break;
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
  const got = String(status).padStart(3, '0');
  summary(`| ${url} | ${expected} | ${got} |`);
  if (status !== expected) {
    error('Smoke check failed', `${url} answered ${got}, expected ${expected}`);
    failed = true;
    return;
  }
  console.log(`${url} -> ${got}`);
}

summary('| URL | expected | got |');
summary('| --- | --- | --- |');
const seen = new Set<string>();
for (const line of [...(healthCheckUrl ? [`${healthCheckUrl} 200`] : []), ...smokeUrls.split('\n')]) {
  const [url = '', status = '', extra] = line.trim().split(/\s+/);
  if (url === '' || url.startsWith('#')) continue;
  if (/^https?:\/\/\S+$/.test(url) && /^[1-5]\d\d$/.test(status) && extra === undefined) {
    if (seen.has(`${url} ${status}`)) continue;
    seen.add(`${url} ${status}`);
    await check(url, Number(status));
  } else {
    error('Invalid input', "Input 'smoke-urls' lines must be 'URL STATUS'");
    failed = true;
  }
}
if (failed) {
  error('Verification failed', 'The deploy finished but the checks above failed: consider the rollback workflow');
  process.exitCode = 1;
}
