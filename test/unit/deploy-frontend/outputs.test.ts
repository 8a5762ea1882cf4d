import type { Outcome } from '../../../actions/deploy-frontend/outcome.js';
import { outputsOf } from '../../../actions/deploy-frontend/outputs.js';
import { change, plan } from '../../support/upload-plans.js';

describe('deploy-frontend outputs', () => {
  it('counts header-only updates as uploaded but sends no bytes for them; a dry run reports nothing written', () => {
    const put = change(1);
    const copy = change(2, { method: 'copy', reason: 'headers changed' });
    const planned = { ...plan([put, copy]), unchanged: ['a', 'b'] };
    const outcome: Outcome = { done: [put, copy], failed: [], notStarted: [], deleted: ['old'], bytesUploaded: 100 };
    expect(outputsOf(planned, outcome, '/tmp/plan.json')).toEqual({
      uploaded: 2,
      unchanged: 2,
      deleted: 1,
      'bytes-uploaded': 100,
      'invalidation-id': '',
      plan: '/tmp/plan.json',
    });
    expect(outputsOf(planned, undefined, '/tmp/plan.json')).toMatchObject({
      uploaded: 0,
      deleted: 0,
      'bytes-uploaded': 0,
    });
  });
});
