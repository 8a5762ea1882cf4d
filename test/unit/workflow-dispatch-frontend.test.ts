import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT as ROOT } from '../../sandbox/run-bundle.js';
import { waitFor } from '../support/wait-for.js';
import {
  cancelLikeRunner,
  errorLines,
  loadWorkflow,
  runScript,
  startStep,
  type WorkflowStep as Step,
} from '../support/workflow-step.js';

/** .github/scripts/dispatch-frontend-deploy.sh and check-frontend-credentials.sh, with `gh` replaced by a fake. */

const byPath = (path: string) => ({ doc: loadWorkflow(path) });

describe('dispatching the frontend deploy and waiting for it (gh replaced by a fake)', () => {
  const script = join(ROOT, '.github/scripts/dispatch-frontend-deploy.sh');

  interface Fake {
    /** The runs the list call returns ([id, display_title]); @ID@ in a title is the correlation id dispatched. */
    runs?: Array<[number, string]>;
    /** The status of run 7 on each poll, the last one repeated: 'in_progress', 'waiting' (for approval) or a conclusion. */
    polls?: string[];
    /** HTTP status the matching call fails with (gh prints `gh: <message> (HTTP <status>)` and exits 1). */
    failDispatch?: number;
    failList?: number;
    failRun?: number;
    /** The first N status polls fail without an HTTP status (a network error). */
    failFirstPolls?: number;
    failCancel?: number;
  }

  /** A `gh` that answers the dispatch, the run list, run 7 and its cancel as told, logging each call. */
  function fakeGh(fake: Fake): { dir: string; log: string; payload: string; calls: () => string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'fake-gh-'));
    const log = join(dir, 'calls.log');
    const count = join(dir, 'polls');
    const runs = JSON.stringify({
      workflow_runs: (fake.runs ?? []).map(([id, title]) => ({
        id,
        display_title: title,
        html_url: `https://github.com/f/r/actions/runs/${id}`,
      })),
    });
    const polls = fake.polls ?? ['success'];
    const answer = polls
      .map((p, n) => {
        const json =
          p === 'in_progress' || p === 'waiting'
            ? `{"status":"${p}","conclusion":null}`
            : `{"status":"completed","conclusion":"${p}"}`;
        return n === polls.length - 1 ? `echo '${json}'` : `(( n == ${n + 1} )) && { echo '${json}'; exit 0; }`;
      })
      .join('; ');
    const refuse = (status: number | undefined) => (status ? `echo 'gh: Refused (HTTP ${status})' >&2; exit 1;` : '');
    writeFileSync(
      join(dir, 'gh'),
      [
        '#!/usr/bin/env bash',
        `echo "$*" >> ${JSON.stringify(log)}`,
        'case "$*" in',
        `  *dispatches*) cat > ${JSON.stringify(join(dir, 'payload.json'))}; ${refuse(fake.failDispatch)} ;;`,
        `  *workflows/deploy-production.yml/runs*) ${refuse(fake.failList)} id=$(jq -r '.inputs["correlation-id"]' ${JSON.stringify(join(dir, 'payload.json'))}); echo '${runs}' | sed "s/@ID@/$id/g" ;;`,
        `  *actions/runs/7/cancel*) ${refuse(fake.failCancel)} echo '{}' ;;`,
        `  *actions/runs/7/pending_deployments*) echo '[{"environment":{"name":"production"}}]' ;;`,
        `  *actions/runs/7*) ${refuse(fake.failRun)} echo x >> ${JSON.stringify(count)}; n=$(wc -l < ${JSON.stringify(count)});` +
          ` if (( n <= ${fake.failFirstPolls ?? 0} )); then echo 'error connecting to api.github.com' >&2; exit 1; fi; ${answer} ;;`,
        '  *) echo "unexpected call" >&2; exit 1 ;;',
        'esac',
      ].join('\n'),
    );
    chmodSync(join(dir, 'gh'), 0o755);
    const calls = () => readFileSync(log, 'utf8').trim().split('\n');
    return { dir, log, payload: join(dir, 'payload.json'), calls };
  }

  const env = {
    GH_TOKEN: 'token',
    FRONTEND_REPOSITORY: 'f/r',
    FRONTEND_WORKFLOW: 'deploy-production.yml',
    FRONTEND_REF: 'master',
    BACKEND_SHA: 'd'.repeat(40),
    RUN_URL: 'https://github.com/b/r/actions/runs/99',
    CORRELATION_PREFIX: 'backend-99-1',
    FRONTEND_BRANCH: 'master',
    WAIT_MINUTES: '1',
    APPROVAL_WAIT_MINUTES: '120',
    POLL_SECONDS: '0',
  };

  /** A `date` whose `+%s` moves on a minute at each call (one poll), so the two clocks are tested without waiting. */
  function minuteClock(dir: string): void {
    const ticks = join(dir, 'ticks');
    writeFileSync(
      join(dir, 'date'),
      [
        '#!/usr/bin/env bash',
        'if [[ "$*" == +%s ]]; then',
        `  echo x >> ${JSON.stringify(ticks)}`,
        `  echo $(( 1800000000 + 60 * $(wc -l < ${JSON.stringify(ticks)}) ))`,
        'else exec /bin/date "$@"; fi',
      ].join('\n'),
    );
    chmodSync(join(dir, 'date'), 0o755);
  }
  const ours: Array<[number, string]> = [
    [1, 'other'],
    [7, 'Deploy production @ID@'],
  ];
  const ID = /^backend-99-1-[0-9a-f]{32}$/;

  test('starts the workflow by workflow_dispatch with the inputs, finds the run and succeeds when it succeeded', () => {
    const gh = fakeGh({ runs: ours, polls: ['in_progress', 'success'] });
    const result = runScript(script, env, gh.dir);
    expect([result.status, errorLines(result.stdout)]).toEqual([0, []]);
    expect(result.outputs['run-url']).toBe('https://github.com/f/r/actions/runs/7');
    expect(gh.calls()[0]).toBe(
      'api --method POST repos/f/r/actions/workflows/deploy-production.yml/dispatches --input -',
    );
    const payload = JSON.parse(readFileSync(gh.payload, 'utf8')) as { inputs: Record<string, string> };
    expect(payload).toEqual({
      ref: 'master',
      inputs: {
        ref: 'master',
        'correlation-id': expect.stringMatching(ID),
        'backend-sha': env.BACKEND_SHA,
        'backend-run-url': env.RUN_URL,
      },
    });
    expect(result.outputs['correlation-id']).toBe(payload.inputs['correlation-id']);
    // Only workflow_dispatch runs of the branch started are listed.
    expect(gh.calls()[1]).toMatch(/ -f event=workflow_dispatch -f branch=master /);
    expect(result.summary).toContain('Frontend deploy at master: success');
  });

  test('the correlation id cannot be guessed: 128 random bits after the run id, new at every dispatch', () => {
    const ids = [1, 2].map(() => {
      const gh = fakeGh({ runs: ours });
      runScript(script, env, gh.dir);
      return (JSON.parse(readFileSync(gh.payload, 'utf8')) as { inputs: Record<string, string> }).inputs[
        'correlation-id'
      ];
    });
    expect(ids[0]).toMatch(ID);
    expect(ids[1]).toMatch(ID);
    expect(ids[0]).not.toBe(ids[1]);
  });

  test('finds the run by exact match of the id, never a longer id that contains it nor the id it was made from', () => {
    const gh = fakeGh({
      runs: [
        [5, 'Deploy production @ID@0'],
        [6, 'Deploy production x@ID@'],
        [8, 'Deploy production @ID@-2'],
        [9, 'Deploy production backend-99-1'],
        [7, 'Deploy production @ID@'],
      ],
    });
    const result = runScript(script, env, gh.dir);
    expect(result.status).toBe(0);
    expect(result.outputs['run-url']).toBe('https://github.com/f/r/actions/runs/7');
    expect(gh.calls().filter((c) => /actions\/runs\/\d/.test(c))).toEqual(['api repos/f/r/actions/runs/7']);
  });

  test('fails, naming the run, when the frontend run failed', () => {
    const gh = fakeGh({ runs: ours, polls: ['failure'] });
    const result = runScript(script, env, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      "::error title=Frontend deploy failed::The frontend run ended with 'failure': https://github.com/f/r/actions/runs/7",
    ]);
    expect(result.summary).toContain('Frontend deploy at master: Frontend deploy failed');
  });

  test('polls again when a status poll fails without an HTTP refusal (network, rate limit)', () => {
    const gh = fakeGh({ runs: ours, failFirstPolls: 2 });
    const result = runScript(script, env, gh.dir);
    expect([result.status, errorLines(result.stdout)]).toEqual([0, []]);
    expect(gh.calls().filter((c) => c === 'api repos/f/r/actions/runs/7')).toHaveLength(3);
  });

  test.each([
    [403, 'the token lacks Actions: read on f/r (HTTP 403)'],
    [401, 'the token was refused (HTTP 401): it is invalid or expired'],
    [404, 'f/r or its deploy-production.yml is not visible to the token (HTTP 404): it needs Actions: read on f/r'],
  ])(
    'a %i on the run list fails at once, naming the missing permission and that the deploy may still run',
    (status, says) => {
      const gh = fakeGh({ runs: ours, failList: status });
      const result = runScript(script, { ...env, WAIT_MINUTES: '8' }, gh.dir);
      expect(result.status).toBe(1);
      const errors = errorLines(result.stdout);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('::error title=Frontend run not readable::Dispatched, but cannot look for the run: ');
      expect(errors[0]).toContain(says);
      expect(errors[0]).toContain('may still start a frontend deploy of master');
      expect(gh.calls().filter((c) => c.includes('/runs'))).toHaveLength(1);
    },
  );

  test('a 403 on the run status poll fails at once instead of waiting out the timeout', () => {
    const gh = fakeGh({ runs: ours, failRun: 403 });
    const result = runScript(script, { ...env, WAIT_MINUTES: '8' }, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      '::error title=Frontend run not readable::Cannot read https://github.com/f/r/actions/runs/7: the token lacks Actions: read on f/r (HTTP 403); it may still deploy master',
    ]);
  });

  test('a refused dispatch names Actions: write (all the token needs) and looks for no run', () => {
    const gh = fakeGh({ runs: ours, failDispatch: 403 });
    const result = runScript(script, env, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      '::error title=Frontend dispatch refused::Could not start deploy-production.yml: the token lacks Actions: write on f/r (HTTP 403)',
    ]);
    expect(gh.calls()).toHaveLength(1);
  });

  test('on giving up, cancels the dispatched run and says so', () => {
    const gh = fakeGh({ runs: ours, polls: ['in_progress'] });
    const result = runScript(script, { ...env, WAIT_MINUTES: '0' }, gh.dir);
    expect(result.status).toBe(1);
    expect(gh.calls()).toContain('api --method POST repos/f/r/actions/runs/7/cancel');
    expect(errorLines(result.stdout)).toEqual([
      '::error title=Frontend deploy timed out::https://github.com/f/r/actions/runs/7 did not finish within 0 minutes (not counting 0 minute(s) waiting for approval) and was cancelled; files it already published stay, so re-run it or redeploy the frontend',
    ]);
    expect(result.summary).toContain('was cancelled');
  });

  test('on giving up without the right to cancel, says plainly that the run may still deploy', () => {
    const gh = fakeGh({ runs: ours, polls: ['in_progress'], failCancel: 403 });
    const result = runScript(script, { ...env, WAIT_MINUTES: '0' }, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      '::error title=Frontend deploy timed out::https://github.com/f/r/actions/runs/7 did not finish within 0 minutes (not counting 0 minute(s) waiting for approval) and could not be cancelled (the token lacks Actions: write on f/r (HTTP 403)): it may still deploy master',
    ]);
    expect(result.summary).toContain('it may still deploy master');
  });

  test('time the run waits for approval is not charged to the wait: 5 minutes waiting, then 1 minute running, within 2', () => {
    const gh = fakeGh({ runs: ours, polls: [...Array<string>(5).fill('waiting'), 'in_progress', 'success'] });
    minuteClock(gh.dir);
    const result = runScript(script, { ...env, WAIT_MINUTES: '2', APPROVAL_WAIT_MINUTES: '60' }, gh.dir);
    expect([result.status, errorLines(result.stdout)]).toEqual([0, []]);
    expect(result.stdout).toContain(
      'The frontend run waits for approval on environment production: not charged to the 2-minute wait (up to 60 minutes for approval)',
    );
    expect(result.stdout).toContain('The frontend run went on after 5 minute(s) waiting for approval');
    expect(gh.calls().filter((c) => c.endsWith('/pending_deployments'))).toHaveLength(1);
  });

  test('the same minutes spent running (not waiting for approval) time the run out and cancel it', () => {
    const gh = fakeGh({ runs: ours, polls: [...Array<string>(5).fill('in_progress'), 'success'] });
    minuteClock(gh.dir);
    const result = runScript(script, { ...env, WAIT_MINUTES: '2', APPROVAL_WAIT_MINUTES: '60' }, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      '::error title=Frontend deploy timed out::https://github.com/f/r/actions/runs/7 did not finish within 2 minutes (not counting 0 minute(s) waiting for approval) and was cancelled; files it already published stay, so re-run it or redeploy the frontend',
    ]);
  });

  test('approval has its own bound: a run still waiting for a reviewer after it is cancelled, saying so', () => {
    const gh = fakeGh({ runs: ours, polls: ['waiting'] });
    minuteClock(gh.dir);
    const result = runScript(script, { ...env, WAIT_MINUTES: '2', APPROVAL_WAIT_MINUTES: '5' }, gh.dir);
    expect(result.status).toBe(1);
    expect(gh.calls()).toContain('api --method POST repos/f/r/actions/runs/7/cancel');
    expect(errorLines(result.stdout)).toEqual([
      "::error title=Frontend approval timed out::https://github.com/f/r/actions/runs/7 waited 5 minutes for a reviewer's approval and was cancelled: approve a new run, or redeploy the frontend",
    ]);
    // Polled once a minute for 5 minutes of approval, no more.
    expect(gh.calls().filter((c) => c === 'api repos/f/r/actions/runs/7')).toHaveLength(5);
  });

  test.each(['.github/workflows/deploy-backend.yml', '.github/workflows/rollback.yml'])(
    'cancelling the job (%s) signals the step as the runner does: the script cancels the frontend run at SIGINT',
    async (path) => {
      const gh = fakeGh({ runs: ours, polls: ['in_progress'] });
      // A sleep that says when it starts, so the cancel comes while the script waits between polls.
      const slept = join(gh.dir, 'slept');
      writeFileSync(
        join(gh.dir, 'sleep'),
        `#!/usr/bin/env bash\necho "$*" >> ${JSON.stringify(slept)}\nexec /bin/sleep "$@"\n`,
      );
      chmodSync(join(gh.dir, 'sleep'), 0o755);
      // The job's workspace: the suite checked out at .deploy-suite, as the job's checkout step leaves it.
      const workspace = mkdtempSync(join(tmpdir(), 'wf-workspace-'));
      symlinkSync(ROOT, join(workspace, '.deploy-suite'));
      const dispatch = byPath(path).doc.jobs.frontend.steps?.find((s) =>
        s.run?.includes('dispatch-frontend-deploy.sh'),
      );
      const step = startStep(
        dispatch?.run as string,
        { ...env, WAIT_MINUTES: '8', POLL_SECONDS: '600' },
        workspace,
        gh.dir,
      );
      // Wait until the script polled the run and sleeps before the next poll, then cancel the job as the runner does:
      // SIGINT to the step's shell only. Without `exec` the shell holds the signal and the script never sees it.
      await waitFor(() => (existsSync(slept) ? true : undefined));
      expect(gh.calls()).toContain('api repos/f/r/actions/runs/7');
      expect(await cancelLikeRunner(step)).toBe('SIGINT');
      // The step ended (with every holder of its output: a sleep left running would hold it for 600 s), failed.
      expect(await step.exited).toBe(1);
      expect(gh.calls()).toContain('api --method POST repos/f/r/actions/runs/7/cancel');
      expect(errorLines(step.stdout())).toEqual([
        '::error title=Frontend wait cancelled::The job was cancelled, and so was https://github.com/f/r/actions/runs/7',
      ]);
      expect(readFileSync(join(step.dir, 'summary'), 'utf8')).toContain(
        'and so was https://github.com/f/r/actions/runs/7',
      );
    },
  );

  test('says when no run appeared, and that the dispatched event may still start one', () => {
    const gh = fakeGh({ runs: [[3, 'a run of somebody else @ID@x']] });
    const result = runScript(script, { ...env, WAIT_MINUTES: '0' }, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      expect.stringMatching(
        /^::error title=Frontend deploy not found::No deploy-production\.yml run with 'backend-99-1-[0-9a-f]{32}' in its name appeared within 0 minutes; the dispatched deploy-production\.yml may still start a frontend deploy of master: check f\/r's Actions$/,
      ),
    ]);
    expect(gh.calls().some((c) => c.includes('cancel'))).toBe(false);
  });

  test.each([
    ['.github/workflows/deploy-backend.yml', ' (or set skip-frontend: true)'],
    ['.github/workflows/rollback.yml', ' (or set frontend: none)'],
  ])('%s checks the credentials, mints a scoped App token, then runs it from the suite checkout', (path, hint) => {
    const job = byPath(path).doc.jobs.frontend;
    const steps = job.steps ?? [];
    const checkout = steps.find((s) => s.with?.path === '.deploy-suite');
    expect(String(checkout?.with?.ref)).toContain('needs.plan.outputs.suite-sha');
    const credentials = steps.find((s) => s.run?.includes('check-frontend-credentials.sh'));
    expect(credentials?.run).toBe('bash .deploy-suite/.github/scripts/check-frontend-credentials.sh');
    expect(credentials?.env).toEqual({
      APP_CLIENT_ID: '${{ inputs.frontend-app-client-id }}',
      HAS_APP_KEY: "${{ secrets.frontend-app-private-key != '' }}",
      HAS_TOKEN: "${{ secrets.frontend-dispatch-token != '' }}",
      HINT: hint,
    });
    const token = steps.find((s) => s.uses?.startsWith('actions/create-github-app-token@')) as Step & { if?: string };
    expect(token.id).toBe('token');
    expect(token.if).toBe("inputs.frontend-app-client-id != ''");
    // Scoped to the frontend repository, with only Actions: write (workflow_dispatch, the wait and the cancel).
    expect(token.with).toEqual({
      'client-id': '${{ inputs.frontend-app-client-id }}',
      'private-key': '${{ secrets.frontend-app-private-key }}',
      owner: '${{ needs.plan.outputs.frontend-owner }}',
      repositories: '${{ needs.plan.outputs.frontend-name }}',
      'permission-actions': 'write',
    });
    const dispatch = steps.find((s) => s.run?.includes('dispatch-frontend-deploy.sh'));
    expect(dispatch?.run).toBe('exec bash .deploy-suite/.github/scripts/dispatch-frontend-deploy.sh');
    expect(dispatch?.env?.GH_TOKEN).toBe('${{ steps.token.outputs.token || secrets.frontend-dispatch-token }}');
    expect(Object.keys(dispatch?.env ?? {}).sort()).toEqual(Object.keys(env).sort());
    const order = [checkout, credentials, token, dispatch].map((step) => steps.indexOf(step as Step));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(job.permissions).toEqual({ contents: 'read' });
  });
});

describe('checking the frontend credentials before the token step', () => {
  const script = join(ROOT, '.github/scripts/check-frontend-credentials.sh');
  const run = (vars: Record<string, string>) =>
    runScript(script, { APP_CLIENT_ID: '', HAS_APP_KEY: 'false', HAS_TOKEN: 'false', HINT: ' (or x)', ...vars });

  test('an App client id with its key, or the fallback token, passes', () => {
    expect(run({ APP_CLIENT_ID: 'Iv23abc', HAS_APP_KEY: 'true' }).status).toBe(0);
    const fallback = run({ HAS_TOKEN: 'true' });
    expect([fallback.status, fallback.stdout]).toEqual([
      0,
      expect.stringContaining("secret 'frontend-dispatch-token'"),
    ]);
  });

  test('an App client id without its key, or nothing at all, stops with one line naming what is missing', () => {
    const noKey = run({ APP_CLIENT_ID: 'Iv23abc', HAS_TOKEN: 'true' });
    expect([noKey.status, errorLines(noKey.stdout)]).toEqual([
      1,
      ["::error title=Missing secret::Secret 'frontend-app-private-key' is needed with input 'frontend-app-client-id'"],
    ]);
    const nothing = run({});
    expect([nothing.status, errorLines(nothing.stdout)]).toEqual([
      1,
      [
        "::error title=Missing credentials::The frontend dispatch needs input 'frontend-app-client-id' with secret 'frontend-app-private-key', or secret 'frontend-dispatch-token' (or x)",
      ],
    ]);
  });
});
