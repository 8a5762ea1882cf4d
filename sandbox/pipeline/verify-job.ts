import { appendFileSync } from 'node:fs';

/**
 * The backend deploy workflow's `verify` job (.github/workflows/deploy-backend.yml), as a script the pipeline runs the
 * way the runner runs a step: /health must answer 200 with a healthy status, and each smoke URL its expected status,
 * each tried a few times; results go to the job summary, failures become error annotations, and any failure exits 1.
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

interface Answer {
  status: number;
  body: string;
}

async function get(url: string): Promise<Answer> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: await response.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

let failed = false;

async function check(url: string, expected: number): Promise<Answer | undefined> {
  let answer: Answer = { status: 0, body: '' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    answer = await get(url);
    if (answer.status === expected) break;
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
  const got = String(answer.status).padStart(3, '0');
  summary(`| ${url} | ${expected} | ${got} |`);
  if (answer.status !== expected) {
    error('Smoke check failed', `${url} answered ${got}, expected ${expected}`);
    failed = true;
    return undefined;
  }
  console.log(`${url} -> ${got}`);
  return answer;
}

summary('| URL | expected | got |');
summary('| --- | --- | --- |');
if (/^https?:\/\/\S+$/.test(healthCheckUrl)) {
  const health = await check(healthCheckUrl, 200);
  let status: unknown = 'healthy';
  try {
    status = (JSON.parse(health?.body ?? '{}') as { status?: unknown }).status ?? 'healthy';
  } catch {
    // Not JSON: a 200 is enough, as in the workflow.
  }
  if (health && status !== 'healthy') {
    error('Unhealthy', `${healthCheckUrl} answered 200 with status ${JSON.stringify(status)}`);
    failed = true;
  }
}
for (const line of smokeUrls.split('\n')) {
  const [url = '', status = '', extra] = line.trim().split(/\s+/);
  if (url === '' || url.startsWith('#')) continue;
  if (/^https?:\/\/\S+$/.test(url) && /^[1-5]\d\d$/.test(status) && extra === undefined) {
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
