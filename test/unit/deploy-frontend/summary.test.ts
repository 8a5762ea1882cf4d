import { frontendSummary } from '../../../actions/deploy-frontend/summary.js';
import { change, plan } from '../../support/upload-plans.js';

describe('deploy-frontend job summary', () => {
  it('lists the first 50 changed files in the summary, then a count, with the rules in force', () => {
    const changes = Array.from({ length: 60 }, (_, i) => change(i));
    const text = frontendSummary({
      bucket: 'b-1',
      prefix: '',
      dryRun: false,
      plan: plan(changes),
      outcome: {
        done: changes,
        failed: [],
        notStarted: [],
        deleted: [],
        bytesUploaded: 60 * 2048,
        invalidationPaths: [],
        carriedPaths: [],
        pendingPaths: [],
      },
      rules: ['Cache-Control  **/*.html: no-cache'],
    }).render();
    expect(text).toContain('## Frontend deployed to s3://b-1/');
    expect(text).toContain('`js/app-49.js`');
    expect(text).not.toContain('`js/app-50.js`');
    expect(text).toContain('…and 10 more.');
    expect(text).toContain('Cache-Control  **/*.html: no-cache');
    expect(text).toMatch(/\*\*Uploaded\*\* \| 60/);
  });
  it('says what failed and that the live HTML was left alone', () => {
    const failed = change(1);
    const text = frontendSummary({
      bucket: 'b-1',
      prefix: 'site/',
      dryRun: false,
      plan: plan([failed, change(2, { key: 'index.html', phase: 'entry-point' })]),
      outcome: {
        done: [],
        failed: [{ change: failed, message: 'InternalError (HTTP 500), 5 attempt(s)' }],
        notStarted: [],
        deleted: [],
        bytesUploaded: 0,
        invalidationPaths: [],
        carriedPaths: [],
        pendingPaths: [],
        stoppedAt: 'assets',
        error: '1 upload(s) failed after every attempt',
      },
      rules: [],
    }).render();
    expect(text).toContain('## Frontend deploy to s3://b-1/site/ failed');
    expect(text).toContain('No HTML was uploaded and nothing was deleted');
    expect(text).toContain('`js/app-1.js`: InternalError (HTTP 500), 5 attempt(s)');
  });
});
