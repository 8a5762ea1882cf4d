import { join } from 'node:path';
import { REPO_ROOT, startBundle, type BundleResult } from '../run-bundle.js';
import { LogRenderer, applyMasks } from './log-render.js';
import { OrderedOutput } from './ordered-output.js';
import { formatDuration } from './recap.js';
import type { RunSpec, ScenarioContext, Verdict } from './scenario.js';
import { renderSummary } from './summary-render.js';
import type { Style } from './style.js';

/**
 * Runs a step's runs through the committed bundles (or the verify job's script), as the runner does
 * (sandbox/run-bundle.ts), printing each one GitHub-like: its log lines under a header, then its job summary, then
 * its exit code and the verdict.
 */

export interface RunOutcome {
  spec: RunSpec;
  result: BundleResult;
  verdict: Verdict;
}

export interface StepIo {
  /** The sandbox's environment: endpoints, region, credentials. */
  env: Record<string, string>;
  /** Where display lines go; undefined prints nothing (quiet). */
  write?: (line: string) => void;
  style: Style;
  /** Secrets registered so far in this pipeline: hidden in every later line and summary too. */
  masks: Set<string>;
  /** Safety net against a hung action. */
  timeoutMs: number;
}

export async function runStep(
  specs: RunSpec[],
  parallel: boolean,
  context: ScenarioContext,
  io: StepIo,
): Promise<RunOutcome[]> {
  const output = new OrderedOutput(specs.length, (line) => io.write?.(line));
  const runOne = async (spec: RunSpec, index: number): Promise<RunOutcome> => {
    const print = (line: string) => output.line(index, line);
    const renderer = new LogRenderer(io.style, io.masks);
    print(io.style.bold(`  ┌ ${spec.action} · ${spec.label}`));
    const result = await startBundle(spec.action, {
      inputs: spec.inputs,
      env: io.env,
      timeoutMs: io.timeoutMs,
      entry: spec.entry ? join(REPO_ROOT, spec.entry) : undefined,
      onLine: (raw) => renderer.render(raw).forEach((text) => print(`  │ ${text}`.trimEnd())),
    }).result;
    for (const text of result.stderr.split('\n').filter((line) => line.trim() !== '')) {
      print(io.style.dim(`  │ [stderr] ${applyMasks(text, io.masks)}`));
    }
    if (result.summary.trim() !== '') {
      print('  │');
      print(`  │ ${io.style.dim('Job summary')}`);
      for (const text of renderSummary(applyMasks(result.summary, io.masks), io.style)) print(`  │   ${text}`);
    }
    const verdict = spec.judge(result, context);
    const mark = verdict.ok ? io.style.green('✓') : io.style.red('✗');
    const exit = result.exitCode === null ? `killed (${result.signal})` : `exit ${result.exitCode}`;
    print(`  └ ${exit} · ${formatDuration(result.durationMs)} · ${mark} ${verdict.result}`);
    print('');
    output.finish(index);
    return { spec, result, verdict };
  };

  if (parallel) return Promise.all(specs.map(runOne));
  const outcomes: RunOutcome[] = [];
  for (const [index, spec] of specs.entries()) outcomes.push(await runOne(spec, index));
  return outcomes;
}
