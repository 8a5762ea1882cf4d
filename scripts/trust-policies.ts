// Prints the trust policies of docs/iam for a suite commit: each role's subjects name the suite's reusable workflows
// at that commit (docs/workflows.md, "Upgrading the suite").
//
//   npm run --silent trust-policies -- <suite-sha>                    one JSON object, role name -> trust policy
//   npm run --silent trust-policies -- <new-sha> --also <old-sha>     both commits trusted (while callers move)
//   npm run --silent trust-policies -- <suite-sha> --out <dir>        <dir>/<role>.json + the commands that apply them
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const IAM_DIR = resolve(import.meta.dirname, '../docs/iam');
/** The commit the committed trust policies name: the examples' placeholder. */
const PLACEHOLDER = '0'.repeat(40);
const SUB = 'token.actions.githubusercontent.com:sub';
const USAGE = 'usage: npm run --silent trust-policies -- <suite-sha> [--also <previous-sha>] [--out <dir>]';

interface TrustStatement {
  Condition: { StringEquals: Record<string, string | string[]> };
  [key: string]: unknown;
}
interface TrustPolicy {
  Version: string;
  Statement: TrustStatement[];
}

export interface Options {
  /** The suite commits to trust, each a full 40-hex SHA; the first is the one being adopted. */
  commits: string[];
  /** Where to write one file per role; undefined prints one JSON object instead. */
  out?: string;
}

export class UsageError extends Error {}

const isSha = (value: string) => /^[0-9a-f]{40}$/.test(value);

/** Reads the command line; a bad one throws a UsageError naming the argument and what is wrong (never its value). */
export function parseArgs(argv: readonly string[]): Options {
  const positional: string[] = [];
  const options: { also?: string; out?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--also' || arg === '--out') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      options[arg === '--also' ? 'also' : 'out'] = value;
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg.slice(0, 20)}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new UsageError(`expected one <suite-sha>, got ${positional.length} arguments`);
  const [sha] = positional as [string];
  if (!isSha(sha)) throw new UsageError('<suite-sha> must be a full commit SHA: 40 lowercase hex characters');
  if (options.also !== undefined && !isSha(options.also)) {
    throw new UsageError('--also must be a full commit SHA: 40 lowercase hex characters');
  }
  const commits = options.also === undefined || options.also === sha ? [sha] : [sha, options.also];
  return { commits, ...(options.out === undefined ? {} : { out: options.out }) };
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(join(IAM_DIR, file), 'utf8')) as T;
}

/** The trust file of each role of docs/iam/roles.json, by role name. */
export function roleTrustFiles(): Record<string, string> {
  const { roles } = readJson<{ roles: Record<string, { trust: string }> }>('roles.json');
  return Object.fromEntries(Object.entries(roles).map(([name, role]) => [name, role.trust]));
}

/** A trust policy whose subjects name the suite's workflows at each of `commits` instead of the placeholder. */
export function atCommits(policy: TrustPolicy, commits: readonly string[]): TrustPolicy {
  const statements = policy.Statement.map((statement) => {
    const subjects = [statement.Condition.StringEquals[SUB] ?? []].flat();
    const pinned = subjects.flatMap((subject) => {
      if (!subject.endsWith(`@${PLACEHOLDER}`)) throw new Error(`A subject does not end with @${PLACEHOLDER}`);
      return commits.map((commit) => `${subject.slice(0, -PLACEHOLDER.length)}${commit}`);
    });
    const equals = { ...statement.Condition.StringEquals, [SUB]: pinned.length === 1 ? pinned[0]! : pinned };
    return { ...statement, Condition: { ...statement.Condition, StringEquals: equals } };
  });
  return { ...policy, Statement: statements };
}

/** Every role's trust policy at `commits`, by role name. */
export function trustPolicies(commits: readonly string[]): Record<string, TrustPolicy> {
  return Object.fromEntries(
    Object.entries(roleTrustFiles()).map(([role, file]) => [role, atCommits(readJson<TrustPolicy>(file), commits)]),
  );
}

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs the command; returns its exit code. */
export function main(argv: readonly string[], io: Io): number {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`trust-policies: ${error.message}\n${USAGE}\n`);
    return 1;
  }
  const policies = trustPolicies(options.commits);
  if (options.out === undefined) {
    io.stdout(`${JSON.stringify(policies, null, 2)}\n`);
    return 0;
  }
  mkdirSync(options.out, { recursive: true });
  const commands = Object.entries(policies).map(([role, policy]) => {
    const file = join(options.out!, `${role}.json`);
    writeFileSync(file, `${JSON.stringify(policy, null, 2)}\n`);
    return `aws iam update-assume-role-policy --role-name ${role} --policy-document file://${file}`;
  });
  io.stdout(`${commands.join('\n')}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
