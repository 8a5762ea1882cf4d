import { stagedRollbackDeadline } from '../../../actions/deploy-service/staged-deploy.js';

describe('how long a staged rollback is waited for', () => {
  const NOW = Date.parse('2026-12-06T08:00:00Z');

  test('until timeout-minutes runs out when that leaves more than 30 s', () => {
    const deadline = new Date(NOW + 600_000);
    expect(stagedRollbackDeadline(deadline, 5, NOW)).toEqual(deadline);
  });

  test('30 s more when the timeout has run out (the deployment was stopped because of it)', () => {
    expect(stagedRollbackDeadline(new Date(NOW - 1_000), 1, NOW)).toEqual(new Date(NOW + 30_000));
  });

  test('10 polls when they take longer than 30 s', () => {
    expect(stagedRollbackDeadline(new Date(NOW), 15, NOW)).toEqual(new Date(NOW + 150_000));
  });
});
