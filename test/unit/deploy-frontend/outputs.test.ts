import type { Outcome } from '../../../actions/deploy-frontend/outcome.js';
import { outputsOf } from '../../../actions/deploy-frontend/outputs.js';
import { change, plan } from '../../support/upload-plans.js';

describe('deploy-frontend outputs', () => {
  it('counts header-only updates as uploaded but sends no bytes for them; a dry run reports nothing written', () => {
    const put = change(1);
    const copy = change(2, { method: 'copy', reason: 'headers changed' });
    const planned = { ...plan([put, copy]), unchanged: ['a', 'b'] };
    const outcome: Outcome = {
      done: [put, copy],
      failed: [],
      notStarted: [],
      deleted: ['old'],
      bytesUploaded: 100,
      invalidationPaths: [],
      carriedPaths: [],
      pendingPaths: [],
    };
    expect(outputsOf(planned, outcome, '/tmp/plan.json')).toEqual({
      uploaded: 2,
      unchanged: 2,
      deleted: 1,
      'bytes-uploaded': 100,
      'invalidation-id': '',
      'invalidation-status': '',
      'invalidation-paths': '',
      'carried-invalidation-paths': '',
      'pending-invalidation-paths': '',
      plan: '/tmp/plan.json',
    });
    expect(outputsOf(planned, undefined, '/tmp/plan.json')).toMatchObject({
      uploaded: 0,
      deleted: 0,
      'bytes-uploaded': 0,
    });
  });

  it('lists the invalidation’s paths, those carried from an earlier run, and those left for the next run', () => {
    const base: Outcome = {
      done: [],
      failed: [],
      notStarted: [],
      deleted: [],
      bytesUploaded: 0,
      invalidationPaths: ['/about', '/cart'],
      carriedPaths: ['/about'],
      pendingPaths: [],
    };
    const created = { ...base, invalidationId: 'I1', invalidationStatus: 'Completed' };
    expect(outputsOf(plan([]), created, 'p')).toMatchObject({
      'invalidation-id': 'I1',
      'invalidation-status': 'Completed',
      'invalidation-paths': '/about /cart',
      'carried-invalidation-paths': '/about',
      'pending-invalidation-paths': '',
    });
    const failed = { ...base, pendingPaths: ['/about', '/cart'], stoppedAt: 'invalidation' as const };
    expect(outputsOf(plan([]), failed, 'p')).toMatchObject({
      'invalidation-id': '',
      'invalidation-paths': '',
      'carried-invalidation-paths': '',
      'pending-invalidation-paths': '/about /cart',
    });
  });
});
