import type { CheckItem } from './checklist.js';
import { failed } from './checklist.js';
import { GithubReader, GithubReadError } from './github-api.js';
import {
  callersOf,
  checkCallersFound,
  checkDispatch,
  checkEnvironment,
  checkPin,
  checkSecret,
  checkVariable,
  namesRead,
  type DispatchFindings,
} from './github-checks.js';
import type { GithubSettings } from './inputs.js';

/** The GitHub half: the repository's callers, what they read, its environment, the pinned suite, the dispatch. */

export interface GithubCheckContext {
  settings: GithubSettings;
  onItem: (item: CheckItem) => void;
  signal?: AbortSignal;
}

export async function checkGithub({ settings, onItem }: GithubCheckContext): Promise<void> {
  const repo = settings.repository;
  const reader = new GithubReader(settings.token);
  const attempt = async (title: string, permission: string, work: () => Promise<CheckItem[]>) => {
    try {
      for (const item of await work()) onItem(item);
    } catch (error) {
      if (!(error instanceof GithubReadError)) throw error;
      onItem(
        failed(
          'GitHub',
          `${title} can be read`,
          error.message,
          error.status === 401 || error.status === 403
            ? `Give the token passed as github-token ${permission} on ${repo} (a fine-grained token or App: read-only).`
            : 'Run the check again; if it persists, read the error above.',
        ),
      );
    }
  };

  let callers: ReturnType<typeof callersOf> = [];
  await attempt(`${repo}'s workflows`, 'Contents: read', async () => {
    callers = callersOf(await reader.workflows(repo));
    return [checkCallersFound(repo, callers)];
  });
  for (const [name, readers] of namesRead(callers, 'variables')) {
    await attempt(`Variable ${name}`, 'Variables: read', async () => [
      checkVariable(
        repo,
        settings.environment,
        name,
        readers,
        await reader.variable(repo, name, settings.environment),
        settings.expectedVariables.get(name),
      ),
    ]);
  }
  for (const [name, readers] of namesRead(callers, 'secrets')) {
    await attempt(`Secret ${name}`, 'Secrets: read (names only)', async () => [
      checkSecret(repo, settings.environment, name, readers, await reader.secret(repo, name, settings.environment)),
    ]);
  }
  await attempt(`Environment ${settings.environment}`, 'Environments: read (Actions: read)', async () =>
    checkEnvironment(
      repo,
      settings.environment,
      settings.deployBranch,
      await reader.environmentBranches(repo, settings.environment),
    ),
  );
  const pins = new Map(callers.flatMap((c) => c.pins).map((pin) => [`${pin.repository}@${pin.ref}`, pin]));
  for (const pin of pins.values()) {
    await attempt(`The suite ${pin.repository}`, 'Contents: read', async () => [
      checkPin(
        pin,
        /^[0-9a-f]{40}$/.test(pin.ref) && !/^0{40}$/.test(pin.ref)
          ? await reader.commitExists(pin.repository, pin.ref)
          : undefined,
      ),
    ]);
  }
  if (settings.dispatchRepository) {
    const target = settings.dispatchRepository;
    await attempt(`The dispatch to ${target}`, 'Contents: write', async () => {
      const findings: DispatchFindings = { token: settings.dispatchToken !== '' };
      if (findings.token) {
        const dispatcher = new GithubReader(settings.dispatchToken);
        findings.reach = await dispatcher.repository(target);
        if (findings.reach.found) findings.workflow = await dispatcher.file(target, settings.dispatchWorkflow);
      }
      return checkDispatch(
        target,
        { eventType: settings.dispatchEventType, workflow: settings.dispatchWorkflow, repository: repo },
        findings,
      );
    });
  }
}
