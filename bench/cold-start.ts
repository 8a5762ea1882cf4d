import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, node24 } from '../sandbox/run-bundle.js';
import { ACTIONS } from '../scripts/actions.mjs';
import { median, type BenchResult, type BenchRow } from './types.js';

const RUNS = 15;
const BASELINE = 'aws-actions/amazon-ecs-deploy-task-definition v2.6.3 (measured on this kind of machine, anchors.md)';
const BASELINE_WALL_MS = 300;
const BASELINE_RSS_MIB = 73.5;
const BASELINE_BUNDLE_MB = 2.6;

interface Sample {
  wallMs: number;
  rssMiB: number;
}

function measure(args: string[], env: Record<string, string>): Sample {
  const started = process.hrtime.bigint();
  const run = spawnSync(node24(), ['-r', join(REPO_ROOT, 'bench/max-rss.cjs'), ...args], { env, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const kb = Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(run.stderr)?.[1] ?? NaN);
  return { wallMs, rssMiB: kb / 1024 };
}

function sizeOf(dir: string): number {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .reduce((total, entry) => total + statSync(join(dir, entry.name)).size, 0);
}

function sample(args: string[], env: Record<string, string>): { wall: number; rss: number } {
  measure(args, env); // warm the file cache
  const samples = Array.from({ length: RUNS }, () => measure(args, env));
  return { wall: median(samples.map((s) => s.wallMs)), rss: median(samples.map((s) => s.rssMiB)) };
}

/** Cold start: a run that fails on a missing required input, the cheapest thing an action can do. */
export async function benchColdStart(): Promise<BenchResult> {
  const env = { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: '/dev/null', GITHUB_STEP_SUMMARY: '/dev/null' };
  const floor = sample(['-e', '0'], env);
  const rows: BenchRow[] = [
    {
      metric: 'bare `node -e 0` (Node 24): wall ms / peak RSS MiB',
      ours: `${floor.wall.toFixed(0)} / ${floor.rss.toFixed(1)}`,
    },
  ];
  for (const action of ACTIONS) {
    const { wall, rss } = sample([join(REPO_ROOT, 'dist', action, 'index.js')], env);
    const mb = sizeOf(join(REPO_ROOT, 'dist', action)) / 1e6;
    rows.push(
      {
        metric: `${action}: cold start wall (ms)`,
        ours: wall.toFixed(0),
        baseline: BASELINE_WALL_MS,
        baselineName: BASELINE,
        ratio: wall / BASELINE_WALL_MS,
        goal: '<= 150 ms',
        met: wall <= 150,
      },
      {
        metric: `${action}: cold start peak RSS (MiB)`,
        ours: rss.toFixed(1),
        baseline: BASELINE_RSS_MIB,
        baselineName: BASELINE,
        ratio: rss / BASELINE_RSS_MIB,
        goal: '<= 40 MiB',
        met: rss <= 40,
      },
      {
        metric: `${action}: bundle size (MB, all .js)`,
        ours: mb.toFixed(2),
        baseline: BASELINE_BUNDLE_MB,
        baselineName: BASELINE,
        ratio: mb / BASELINE_BUNDLE_MB,
      },
    );
  }
  return {
    name: 'Cold start and bundle size',
    method: `Each bundle run ${RUNS} times (after one warm-up) under Node 24 with no inputs, so it fails on the missing required input; median wall time from spawn to exit, median peak RSS reported by the process itself (process.resourceUsage().maxRSS).`,
    rows,
  };
}
