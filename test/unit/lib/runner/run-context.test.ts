import { runContext, runLabel, runTags, runUrl, startedBy, stopReason } from '../../../../lib/runner/run-context.js';

const env = {
  GITHUB_REPOSITORY: 'bartgottschalk/startup_web_app_server_side',
  GITHUB_WORKFLOW: 'Deploy to production',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_SERVER_URL: 'https://github.com',
};

describe('run context', () => {
  const context = runContext(env);

  it('links to the run attempt', () => {
    expect(runUrl(context)).toBe(
      'https://github.com/bartgottschalk/startup_web_app_server_side/actions/runs/4242/attempts/2',
    );
    expect(runUrl(runContext({}))).toBeUndefined();
  });

  it('names the workflow, run, attempt and repository', () => {
    expect(runLabel(context)).toBe(
      "workflow 'Deploy to production' run 4242 (attempt 2) of bartgottschalk/startup_web_app_server_side",
    );
  });

  it('gives a startedBy ECS accepts (letters, digits, - _ /, at most 128)', () => {
    expect(startedBy(context)).toBe('gha/bartgottschalk_startup_web_app_server_side/4242/2');
    const long = startedBy(runContext({ ...env, GITHUB_REPOSITORY: `o/${'r'.repeat(200)}` }));
    expect(long.length).toBe(128);
    expect(long).toMatch(/^[A-Za-z0-9_/-]+$/);
    expect(long.endsWith('/4242/2')).toBe(true); // the repository is shortened, never the run id
    expect(startedBy(runContext({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7' }))).toBe('gha/o_r/7/1');
  });

  it('tags repository, workflow, run id, attempt, commit and run URL with allowed characters only', () => {
    const tags = Object.fromEntries(runTags(context).map((t) => [t.key, t.value]));
    expect(tags).toEqual({
      'github:repository': 'bartgottschalk/startup_web_app_server_side',
      'github:workflow': 'Deploy to production',
      'github:run-id': '4242',
      'github:run-attempt': '2',
      'github:sha': '0123456789abcdef0123456789abcdef01234567',
      'github:run-url': 'https://github.com/bartgottschalk/startup_web_app_server_side/actions/runs/4242/attempts/2',
    });
    const odd = runTags(runContext({ ...env, GITHUB_WORKFLOW: 'Deploy (prod) #1' }));
    expect(odd.find((t) => t.key === 'github:workflow')?.value).toBe('Deploy _prod_ _1');
  });

  it('writes a stop reason naming the run, within the 255 characters ECS keeps', () => {
    expect(stopReason('Workflow run cancelled', context)).toBe(
      "Workflow run cancelled: stopped by GitHub Actions workflow 'Deploy to production' run 4242 (attempt 2) of bartgottschalk/startup_web_app_server_side https://github.com/bartgottschalk/startup_web_app_server_side/actions/runs/4242/attempts/2",
    );
    expect(stopReason('x'.repeat(300), context).length).toBe(255);
  });
});
