import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readRunnerOutput, type RunnerCommand } from './runner-commands.js';

/**
 * Runs a committed dist/ bundle the way the GitHub runner does, and reads back everything it reported. The pipeline
 * (`npm run sandbox`) plays its steps through it; the tests import it directly.
 */

export const REPO_ROOT = resolve(import.meta.dirname, '..');

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  title?: string;
  message: string;
}

export interface BundleResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout lines that are not workflow commands (what a person reads in the log). */
  lines: string[];
  annotations: Annotation[];
  errors: Annotation[];
  warnings: Annotation[];
  groups: string[];
  masks: string[];
  /** Every workflow command the runner would run (sandbox/runner-commands.ts), in order. */
  commands: RunnerCommand[];
  /** GITHUB_OUTPUT, and any `set-output` command the runner would have run. */
  outputs: Record<string, string>;
  summary: string;
  state: string;
  durationMs: number;
  runnerTemp: string;
}

export interface BundleOptions {
  inputs?: Record<string, string | number | boolean | undefined>;
  /** Extra environment (e.g. the sandbox's endpoints); merged over the runner-like defaults. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kill the child after this long (a safety net for hung tests). */
  timeoutMs?: number;
  onLine?: (line: string) => void;
  /** Run this script instead of dist/<action>/index.js (the harness's own tests use a fixture). */
  entry?: string;
}

export interface RunningBundle {
  child: ChildProcess;
  result: Promise<BundleResult>;
  /** Resolves with the first stdout line matching `pattern` (rejects if the process ends first). */
  waitForLine(pattern: RegExp): Promise<string>;
  signal(signal: NodeJS.Signals): void;
  /** The job summary as the action has written it so far. */
  summarySoFar(): string;
}

/** The Node 24 binary from the `node` npm package: the runtime `runs.using: node24` gives an action. */
export function node24(): string {
  const local = join(REPO_ROOT, 'node_modules/node/bin/node');
  if (existsSync(local)) return local;
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  throw new Error('No Node 24 binary: run the install command (the `node` dev dependency provides it)');
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export function startBundle(action: string, options: BundleOptions = {}): RunningBundle {
  const runnerTemp = mkdtempSync(join(tmpdir(), `run-${action}-`));
  const files = {
    output: join(runnerTemp, 'github_output'),
    summary: join(runnerTemp, 'step_summary.md'),
    state: join(runnerTemp, 'github_state'),
    env: join(runnerTemp, 'github_env'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? runnerTemp,
    // Passed on like any variable of the job's environment: `npm test` sets it (jest.config.js) so the bundles' chunks
    // are compiled once for hundreds of runs, not once per run.
    ...(process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE } : {}),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: options.cwd ?? REPO_ROOT,
    GITHUB_REPOSITORY: 'bartgottschalk/startup_web_app_server_side',
    GITHUB_WORKFLOW: 'Deploy to production',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_ACTOR: 'octocat',
    GITHUB_JOB: 'deploy',
  };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (value !== undefined) env[inputEnvName(name)] = String(value);
  }

  const started = Date.now();
  const child = spawn(node24(), [options.entry ?? join(REPO_ROOT, 'dist', action, 'index.js')], {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  const watchers: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      options.onLine?.(line);
      for (const watcher of [...watchers]) {
        if (watcher.pattern.test(line)) {
          watchers.splice(watchers.indexOf(watcher), 1);
          watcher.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;

  const result = new Promise<BundleResult>((resolveResult, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      if (timer) clearTimeout(timer);
      if (pending) options.onLine?.(pending);
      const parsed = parseWorkflowCommands(stdout);
      resolveResult({
        exitCode,
        signal,
        stdout,
        stderr,
        ...parsed,
        outputs: { ...parseFileCommand(readFileSync(files.output, 'utf8')), ...setOutputs(parsed.commands) },
        summary: readFileSync(files.summary, 'utf8'),
        state: readFileSync(files.state, 'utf8'),
        durationMs: Date.now() - started,
        runnerTemp,
      });
    });
  });

  return {
    child,
    result,
    signal: (signal) => child.kill(signal),
    summarySoFar: () => readFileSync(files.summary, 'utf8'),
    waitForLine(pattern) {
      return new Promise((resolveLine, reject) => {
        const already = stdout.split('\n').find((line) => pattern.test(line));
        if (already !== undefined) return resolveLine(already);
        watchers.push({ pattern, resolve: resolveLine });
        result.then(() => reject(new Error(`Process ended before printing a line matching ${pattern}`)), reject);
      });
    },
  };
}

export function runBundle(action: string, options: BundleOptions = {}): Promise<BundleResult> {
  return startBundle(action, options).result;
}

/** Parses `name<<DELIM\nvalue\nDELIM` and `name=value` entries of GITHUB_OUTPUT / GITHUB_STATE files. */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i] as string);
      values[name] = body.join('\n');
    } else if (line.includes('=')) {
      const eq = line.indexOf('=');
      values[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return values;
}

export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
}

/** `::name key=value,key=value::data`, or undefined for an ordinary line. */
export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const match = /^::([a-z-]+)( [^:]*)?::(.*)$/.exec(line);
  if (!match) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').trim().split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
  }
  return { name: match[1] as string, properties, data: unescapeData(match[3] as string) };
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/** What the runner makes of stdout (sandbox/runner-commands.ts models its parser): text lines and commands. */
function parseWorkflowCommands(
  stdout: string,
): Pick<BundleResult, 'lines' | 'annotations' | 'errors' | 'warnings' | 'groups' | 'masks' | 'commands'> {
  const lines: string[] = [];
  const annotations: Annotation[] = [];
  const groups: string[] = [];
  const masks: string[] = [];
  const { commands, text } = readRunnerOutput(stdout);
  lines.push(...text.filter((line) => line !== ''));
  for (const { name, properties, data } of commands) {
    if (name === 'error' || name === 'warning' || name === 'notice') {
      annotations.push({ level: name, title: properties.title, message: data });
    } else if (name === 'group') {
      groups.push(data);
    } else if (name === 'add-mask') {
      masks.push(data);
    }
  }
  return {
    lines,
    annotations,
    errors: annotations.filter((a) => a.level === 'error'),
    warnings: annotations.filter((a) => a.level === 'warning'),
    groups,
    masks,
    commands,
  };
}

function setOutputs(commands: RunnerCommand[]): Record<string, string> {
  const set = commands.filter((c) => c.name === 'set-output' && c.properties.name);
  return Object.fromEntries(set.map((c) => [c.properties.name as string, c.data]));
}
