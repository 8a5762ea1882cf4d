import { parse } from 'yaml';
import { failed, ok, warning, type CheckItem } from './checklist.js';

/**
 * The GitHub half, decided from what was read: which suite workflows the repository's callers pin and which
 * variables and secrets they read; whether each is set; the environment's branch rule; the dispatch. Pure.
 */

const AREA = 'GitHub';

export interface Caller {
  path: string;
  /** Reusable workflows of other repositories it calls: `owner/name`, workflow path, ref. */
  pins: Array<{ repository: string; workflow: string; ref: string }>;
  variables: string[];
  secrets: string[];
}

const REUSABLE = /^\s*(?:-\s+)?uses:\s*['"]?([\w.-]+\/[\w.-]+)\/(\.github\/workflows\/[\w.-]+\.ya?ml)@([\w./-]+)/gm;
const NAMED = (context: string) => new RegExp(`\\b${context}\\.([A-Za-z_][A-Za-z0-9_]*)`, 'g');
const AUTOMATIC_SECRETS = new Set(['GITHUB_TOKEN']);

/** The workflows that call a reusable workflow of another repository: what they pin and the names they read. */
export function callersOf(files: ReadonlyArray<{ path: string; text: string }>): Caller[] {
  return files.flatMap(({ path, text }) => {
    const pins = [...text.matchAll(REUSABLE)].map((m) => ({
      repository: m[1] as string,
      workflow: m[2] as string,
      ref: m[3] as string,
    }));
    if (pins.length === 0) return [];
    const names = (context: string) => [...new Set([...text.matchAll(NAMED(context))].map((m) => m[1] as string))];
    return [
      { path, pins, variables: names('vars'), secrets: names('secrets').filter((n) => !AUTOMATIC_SECRETS.has(n)) },
    ];
  });
}

/** Each name once, with the callers that read it. */
export function namesRead(callers: readonly Caller[], kind: 'variables' | 'secrets'): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const caller of callers) {
    for (const name of caller[kind])
      names.set(name, [...(names.get(name) ?? []), caller.path.split('/').pop() ?? caller.path]);
  }
  return names;
}

export function checkCallersFound(repository: string, callers: readonly Caller[]): CheckItem {
  const title = `${repository} has workflows that call the suite`;
  if (callers.length > 0) return ok(AREA, title, callers.map((c) => c.path.split('/').pop()).join(', '));
  return failed(
    AREA,
    title,
    'no workflow under .github/workflows calls a reusable workflow of another repository',
    `Copy the callers from the suite's examples/ (examples/backend for the server, examples/frontend for the client) into ${repository}'s .github/workflows.`,
  );
}

export function checkVariable(
  repository: string,
  environment: string,
  name: string,
  readers: string[],
  found: { where: string; value: string } | undefined,
  expected: string | undefined,
): CheckItem {
  const title = `Variable ${name} is set (read by ${readers.join(', ')})`;
  const fix = `gh variable set ${name} --repo ${repository} --body '${expected ?? `<${name.toLowerCase().replace(/_/g, '-')}>`}'`;
  if (!found || found.value === '') {
    return failed(
      AREA,
      title,
      found ? `it is empty (${found.where})` : `neither the repository nor environment ${environment} has it`,
      `${fix}\n(or Settings → Secrets and variables → Actions → Variables: https://github.com/${repository}/settings/variables/actions)`,
    );
  }
  if (expected !== undefined && found.value !== expected) {
    return failed(AREA, title, `its value (${found.where}) is not the expected one`, fix);
  }
  return ok(AREA, title, found.where);
}

export function checkSecret(
  repository: string,
  environment: string,
  name: string,
  readers: string[],
  where: string | undefined,
): CheckItem {
  const title = `Secret ${name} is set (read by ${readers.join(', ')})`;
  if (where) return ok(AREA, title, where);
  return failed(
    AREA,
    title,
    `neither the repository nor environment ${environment} has it`,
    `gh secret set ${name} --repo ${repository}   (paste the value when asked; never on the command line)\n` +
      `(or https://github.com/${repository}/settings/secrets/actions)`,
  );
}

export function checkEnvironment(
  repository: string,
  environment: string,
  branch: string,
  branches: string[] | 'any' | 'protected' | undefined,
): CheckItem[] {
  const title = `Environment ${environment} exists`;
  const page = `https://github.com/${repository}/settings/environments`;
  const ruleFix =
    `gh api -X PUT repos/${repository}/environments/${environment} --input - <<< '{"deployment_branch_policy": {"protected_branches": false, "custom_branch_policies": true}}'\n` +
    `gh api -X POST repos/${repository}/environments/${environment}/deployment-branch-policies -f name=${branch} -f type=branch\n` +
    `(or ${page}: Deployment branches and tags → Selected branches → ${branch}; add required reviewers there too)`;
  if (branches === undefined) {
    return [
      failed(
        AREA,
        title,
        `no environment ${environment}: the deploy jobs would wait for nothing and the roles' trust (environment:${environment}) would refuse them`,
        ruleFix,
      ),
    ];
  }
  const ruleTitle = `Environment ${environment} deploys from ${branch} only`;
  const rule =
    branches === 'protected'
      ? warning(AREA, ruleTitle, 'it allows every protected branch', ruleFix)
      : branches === 'any'
        ? failed(AREA, ruleTitle, 'it has no branch rule: any branch can deploy to production', ruleFix)
        : branches.includes(branch)
          ? ok(AREA, ruleTitle, `branches: ${branches.join(', ')}`)
          : failed(AREA, ruleTitle, `its branches are ${branches.join(', ') || 'none'}`, ruleFix);
  return [ok(AREA, title), rule];
}

export function checkPin(pin: { repository: string; ref: string }, reachable: boolean | undefined): CheckItem {
  const title = `The pinned suite ${pin.repository}@${pin.ref.slice(0, 12)} is reachable`;
  if (/^0{40}$/.test(pin.ref)) {
    return failed(
      AREA,
      title,
      'the callers still pin the examples placeholder (forty zeros)',
      `Replace 0000000000000000000000000000000000000000 in every caller with the suite commit you adopt: ` +
        `gh api repos/${pin.repository}/commits/<tag> --jq .sha`,
    );
  }
  if (!/^[0-9a-f]{40}$/.test(pin.ref)) {
    return warning(
      AREA,
      title,
      `pinned by ${pin.ref}, not by a commit SHA: whoever moves that ref changes what runs in production`,
      `gh api repos/${pin.repository}/commits/${pin.ref} --jq .sha, and pin that SHA (keep the tag as a comment)`,
    );
  }
  if (reachable) return ok(AREA, title);
  return failed(
    AREA,
    title,
    `${pin.repository} has no commit ${pin.ref} that this repository's token can read`,
    `Check the SHA (gh api repos/${pin.repository}/commits/${pin.ref}); for a private suite, allow access from ` +
      `${pin.repository}'s Settings → Actions → General → Access, and pass suite-read-token.`,
  );
}

export interface DispatchFindings {
  token: boolean;
  reach?: { found: boolean; push?: boolean; scopes?: string };
  workflow?: string;
}

export function checkDispatch(
  target: string,
  settings: { eventType: string; workflow: string; repository: string },
  findings: DispatchFindings,
): CheckItem[] {
  const reachTitle = `The dispatch token reaches ${target} and may dispatch`;
  const byWorkflowDispatch = settings.eventType === 'workflow_dispatch';
  // workflow_dispatch needs Actions: write (which no answer shows); only repository_dispatch needs Contents: write.
  const appFix =
    `Install the dispatch GitHub App on ${target} with ${byWorkflowDispatch ? 'Actions: write' : 'Contents: write and Actions: write'} ` +
    `(https://github.com/${target.split('/')[0]}/settings/installations, or the App's page), and set its client id ` +
    `(variable FRONTEND_APP_CLIENT_ID) and private key (secret FRONTEND_APP_PRIVATE_KEY) in ${settings.repository}.`;
  if (!findings.token) {
    return [
      failed(AREA, reachTitle, 'no dispatch token was given (no App token was minted, no fallback token set)', appFix),
    ];
  }
  const reach = findings.reach;
  if (!reach?.found) return [failed(AREA, reachTitle, `${target} is not visible to the token`, appFix)];
  const classicWithoutRepo =
    reach.scopes !== undefined && !reach.scopes.split(/,\s*/).some((s) => s === 'repo' || s === 'public_repo');
  if ((reach.push === false && !byWorkflowDispatch) || classicWithoutRepo) {
    return [
      failed(
        AREA,
        reachTitle,
        reach.push === false ? 'the token may read but not write contents' : `the token's scopes are '${reach.scopes}'`,
        appFix,
      ),
    ];
  }
  const items = [ok(AREA, reachTitle)];
  const trigger = byWorkflowDispatch ? 'workflow_dispatch' : `repository_dispatch ${settings.eventType}`;
  const listenTitle = `${target}'s ${settings.workflow} runs on ${trigger}`;
  const listenFix =
    `In ${target}, ${settings.workflow} must have:\non:\n` +
    (byWorkflowDispatch ? '  workflow_dispatch:\n' : `  repository_dispatch:\n    types: [${settings.eventType}]\n`) +
    `(the suite's examples/frontend/deploy-production.yml has it)`;
  if (findings.workflow === undefined) {
    items.push(failed(AREA, listenTitle, `${target} has no ${settings.workflow}`, listenFix));
    return items;
  }
  const listens = listensFor(findings.workflow, settings.eventType);
  items.push(
    listens === true
      ? ok(AREA, listenTitle)
      : failed(AREA, listenTitle, listens === false ? 'it does not listen for it' : listens, listenFix),
  );
  return items;
}

/**
 * Whether a workflow's `on:` takes the dispatch: `workflow_dispatch` itself, or repository_dispatch of that type; a
 * string says why it could not be read.
 */
export function listensFor(text: string, eventType: string): boolean | string {
  let document: unknown;
  try {
    document = parse(text);
  } catch {
    return 'it is not valid YAML';
  }
  const on = (document as { on?: unknown } | null)?.on;
  const event = eventType === 'workflow_dispatch' ? 'workflow_dispatch' : 'repository_dispatch';
  if (on === event) return true;
  if (Array.isArray(on)) return on.includes(event);
  if (!on || typeof on !== 'object' || !(event in on)) return false;
  if (event === 'workflow_dispatch') return true;
  const dispatch = (on as Record<string, unknown>).repository_dispatch as { types?: unknown } | null;
  const types = dispatch?.types;
  if (types === undefined) return true;
  return Array.isArray(types) ? types.includes(eventType) : types === eventType;
}
