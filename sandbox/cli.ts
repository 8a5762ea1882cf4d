import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRONTEND_BUCKET, SEED, startSandbox } from './index.js';

/**
 * `npm run sandbox [-- --serve] [--time-scale N]`: AWS on loopback, seeded like StartupWebApp's account.
 * It prints the environment that points an action (or the AWS CLI) at it, writes it to .sandbox/env, and keeps
 * serving until interrupted.
 */

const args = process.argv.slice(2);
const scaleIndex = args.indexOf('--time-scale');
const timeScale = scaleIndex >= 0 ? Number(args[scaleIndex + 1]) : 0.1;
if (!Number.isFinite(timeScale) || timeScale <= 0) {
  console.error(`--time-scale must be a positive number, got '${args[scaleIndex + 1]}'`);
  process.exit(1);
}

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

const stop = async () => {
  await sandbox.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
