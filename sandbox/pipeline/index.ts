import { FRONTEND_BUCKET, SEED, startSandbox } from '../index.js';
import { defineImages, HEALTH_PATH, pipelineImages, REGRESSED_ROUTE, type PipelineImages } from './images.js';
import { startApiStandIn } from './api-stand-in.js';
import { allDidWhatTheyShould, renderRecap, type RecapRow } from './recap.js';
import { runStep, type RunOutcome } from './run-step.js';
import { STEPS, type Observed, type ScenarioContext } from './scenario.js';
import { waitForSteadyService } from './service-steady.js';
import { serviceImage } from './service-image.js';
import { siteWithInPlaceEdit } from './site-edit.js';
import { styleFor, type Style } from './style.js';

/**
 * `npm run sandbox`: StartupWebApp's deploy sequence played offline, through the committed bundles, against a fresh
 * seeded sandbox: migrations, a good deploy, the frontend (first, again, a script edited in place), a broken deploy the circuit breaker undoes, a release
 * that ECS calls healthy but the verify job's smoke check fails, a rollback past the broken revision. Then the recap.
 */

const DEFAULT_TIME_SCALE = 0.01;
/** The site published by the frontend steps, relative to the workspace (the repository root). */
const PIPELINE_SITE = 'test/fixtures/site';
const DISTRIBUTION_ID = 'E2STWAPPFRONT1';

export interface PipelineOptions {
  /** Real seconds per simulated second. */
  timeScale?: number;
  /** Print only the recap. */
  quiet?: boolean;
  write?: (line: string) => void;
  style?: Style;
  /** Other images than the usual pair, e.g. a "good" one that is broken, to see the pipeline stop and fail. */
  images?: Partial<PipelineImages>;
}

export interface PipelineReport {
  ok: boolean;
  rows: RecapRow[];
  /** Each step's runs, by step id (steps skipped after a failure are absent). */
  outcomes: Map<string, RunOutcome[]>;
  /** The recap as printed. */
  recap: string[];
  durationMs: number;
}

export async function runPipeline(options: PipelineOptions = {}): Promise<PipelineReport> {
  const timeScale = options.timeScale ?? DEFAULT_TIME_SCALE;
  const write = options.write ?? ((line: string) => console.log(line));
  const style = options.style ?? styleFor(process.stdout);
  const show = options.quiet ? undefined : write;
  const started = Date.now();

  const sandbox = await startSandbox({ timeScale, seed: true });
  const env = sandbox.env();
  const usual = pipelineImages();
  const api = await startApiStandIn({
    ecsEndpoint: env.AWS_ENDPOINT_URL_ECS as string,
    cluster: SEED.cluster,
    service: SEED.service,
    broken: [{ image: usual.regressed, ...REGRESSED_ROUTE }],
  }).catch(async (error: unknown) => {
    await sandbox.stop();
    throw error;
  });
  const outcomes = new Map<string, RunOutcome[]>();
  const rows: RecapRow[] = [];
  const editedSite = siteWithInPlaceEdit(PIPELINE_SITE);
  try {
    defineImages(sandbox.sim, usual);
    const images = { ...usual, ...options.images };
    const context: ScenarioContext = {
      cluster: SEED.cluster,
      service: SEED.service,
      migrationFamily: SEED.migrationFamily,
      bucket: FRONTEND_BUCKET,
      distributionId: DISTRIBUTION_ID,
      site: PIPELINE_SITE,
      editedSite: editedSite.path,
      healthCheckUrl: `${api.url}${HEALTH_PATH}`,
      apiUrl: api.url,
      images,
      timeScale,
      done: new Map<string, Observed[]>(),
    };
    show?.(
      style.bold("StartupWebApp's deploy pipeline, offline") +
        `\nThe committed bundles (dist/<action>/index.js) run as the GitHub runner runs them, on Node 24 with INPUT_*` +
        `\nvariables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, against AWS on loopback seeded like StartupWebApp's account` +
        `\n(${SEED.cluster}, ${SEED.service} with 2 tasks, bucket ${FRONTEND_BUCKET}). One simulated second = ${timeScale} s.\n`,
    );

    // One set for the whole run: a secret an action registers stays hidden in everything shown after it.
    const masks = new Set<string>();
    let failedBefore = false;
    for (const [index, step] of STEPS.entries()) {
      if (failedBefore) {
        rows.push(
          ...step.runs(context).map((spec) => ({
            step: index + 1,
            label: spec.label,
            expected: spec.expected,
            ok: undefined,
            result: '',
          })),
        );
        continue;
      }
      show?.(style.bold(`━━ Step ${index + 1}/${STEPS.length} · ${step.title}`));
      if (step.before === 'service-steady') {
        const note = await waitForSteadyService(
          env.AWS_ENDPOINT_URL_ECS as string,
          SEED.cluster,
          SEED.service,
          60_000 * Math.max(1, timeScale * 20),
        );
        show?.(style.dim(`  (meanwhile ECS finishes its own rollback: ${note})`));
      }
      if (step.before === 'service-image') {
        const read = await serviceImage(
          env.AWS_ENDPOINT_URL_ECS as string,
          SEED.cluster,
          SEED.service,
          SEED.serviceContainer,
        );
        if (!read) throw new Error(`${SEED.service} runs no container ${SEED.serviceContainer}`);
        context.admin = {
          image: read.image,
          secretArn: SEED.databaseSecretArn,
          secretValues: sandbox.sim.secretValues(),
        };
        show?.(
          style.dim(
            `  (the workflow's first step reads what ${SEED.service} runs: ${read.taskDefinition}, container ${SEED.serviceContainer} on ${read.image})`,
          ),
        );
      }
      const runs = await runStep(step.runs(context), step.parallel, context, {
        env,
        write: show,
        style,
        masks,
        timeoutMs: Math.max(60_000, 3_600_000 * timeScale),
      });
      outcomes.set(step.id, runs);
      context.done.set(
        step.id,
        runs.map((run) => run.result),
      );
      for (const run of runs) {
        rows.push({
          step: index + 1,
          label: run.spec.label,
          expected: run.spec.expected,
          ok: run.verdict.ok,
          result: run.verdict.result,
          durationMs: run.result.durationMs,
        });
      }
      failedBefore = runs.some((run) => !run.verdict.ok);
    }
  } finally {
    editedSite.remove();
    await api.stop();
    await sandbox.stop();
  }
  const durationMs = Date.now() - started;
  const recap = renderRecap(rows, durationMs, style);
  for (const line of recap) write(line);
  return { ok: allDidWhatTheyShould(rows), rows, outcomes, recap, durationMs };
}
