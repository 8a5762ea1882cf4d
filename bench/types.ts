/** One benchmark's findings, printed by bench/run.ts as a table and copied into the README's performance section. */
export interface BenchResult {
  name: string;
  /** How it was measured: machine-independent facts (sizes, counts) and the conditions of timed runs. */
  method: string;
  rows: BenchRow[];
}

export interface BenchRow {
  metric: string;
  ours: string | number;
  baseline?: string | number;
  /** Named baseline, e.g. 'aws s3 sync (awscli 2.9.19)' or 'aws-actions/amazon-ecs-deploy-task-definition v2.6.3'. */
  baselineName?: string;
  /** ours / baseline where that means something (lower is better unless the metric says otherwise). */
  ratio?: number;
  goal?: string;
  met?: boolean;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The sum of one figure over runs. */
export function total<T>(runs: readonly T[], figure: (run: T) => number): number {
  return runs.reduce((sum, run) => sum + figure(run), 0);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}
