import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRONTEND_BUCKET, SEED, startSandbox } from './index.js';
import { CliError, parseCliOptions, USAGE } from './pipeline/cli-options.js';
import { runPipeline } from './pipeline/index.js';

/**
 * `npm run sandbox`: plays StartupWebApp's deploy pipeline through the action bundles against a fresh sandbox and
 * exits 0 when every step did what it should (sandbox/pipeline/).
 * `npm run sandbox -- --serve [--time-scale N]`: AWS on loopback, seeded like StartupWebApp's account. It prints the
 * environment that points an action (or the AWS CLI) at it, writes it to .sandbox/env, and keeps serving until
 * interrupted.
 */

let options;
try {
  options = parseCliOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  console.error(`${error.message}\n${USAGE}`);
  process.exit(1);
}

if (options.mode === 'help') {
  console.log(USAGE);
} else if (options.mode === 'pipeline') {
  const report = await runPipeline({ timeScale: options.timeScale, quiet: options.quiet });
  process.exit(report.ok ? 0 : 1);
} else {
  await serve(options.timeScale ?? 0.1);
}

async function serve(timeScale: number): Promise<void> {
  const sandbox = await startSandbox({ timeScale, seed: true });
  const env = sandbox.env();
  const envText = Object.entries(env)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
  mkdirSync('.sandbox', { recursive: true });
  writeFileSync(join('.sandbox', 'env'), envText + '\n');

  console.log(`AWS sandbox on loopback (one simulated second = ${timeScale} s)
  ECS, CloudWatch Logs, CloudFront: ${sandbox.sim.url}
  S3:                               ${sandbox.s3.url}
  cluster ${SEED.cluster}, service ${SEED.service} (2 tasks, ALB health at ${sandbox.sim.albUrl(SEED.cluster, SEED.service)})
  task definitions ${SEED.serviceFamily}, ${SEED.migrationFamily}; bucket ${FRONTEND_BUCKET}

Point an action or the AWS CLI at it with these variables (also in .sandbox/env):
${envText
  .split('\n')
  .map((line) => `  export ${line}`)
  .join('\n')}

For example:
  set -a; . .sandbox/env; set +a
  env INPUT_CLUSTER=${SEED.cluster} INPUT_TASK-DEFINITION=${SEED.migrationFamily} \\
    'INPUT_ENVIRONMENT=DATABASE_NAME=healthtech_experiment' node_modules/node/bin/node dist/run-migration/index.js
  (the runner passes inputs as INPUT_<NAME> variables, hyphens kept, which is why env(1) sets them)

Serving until Ctrl-C.`);

  const stop = () => {
    void sandbox.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
