import { startGithubStandIn, type GithubStandIn } from '../../../sandbox/github/index.js';

let github: GithubStandIn;
beforeAll(async () => {
  github = await startGithubStandIn();
  const repo = github.repository('o/r');
  repo.variables.set('A', '1');
  repo.files.set('.github/workflows/x.yml', 'on: push\n');
  github.grant('t', { repositories: ['o/r'] });
});
afterAll(() => github.stop());

const get = (path: string, token = 't', method = 'GET') =>
  fetch(`${github.url}${path}`, { method, headers: { authorization: `token ${token}` } });

test('answers reads for a token that reaches the repository; 404 for one that does not, 401 without one', async () => {
  expect(await (await get('/repos/o/r/actions/variables/A')).json()).toEqual({ name: 'A', value: '1' });
  expect((await get('/repos/o/r/actions/variables/B')).status).toBe(404);
  const listing = (await (await get('/repos/o/r/contents/.github/workflows')).json()) as Array<{ path: string }>;
  expect(listing.map((f) => f.path)).toEqual(['.github/workflows/x.yml']);
  github.grant('other', { repositories: ['o/elsewhere'] });
  expect((await get('/repos/o/r', 'other')).status).toBe(404);
  expect((await get('/repos/o/r', 'nope')).status).toBe(401);
});

test('refuses and records anything but GET, so a test sees every attempt to change something', async () => {
  const response = await get('/repos/o/r/dispatches', 't', 'POST');
  expect(response.status).toBe(405);
  expect(github.requests.at(-1)).toEqual({ method: 'POST', path: '/repos/o/r/dispatches', status: 405 });
});
