import { mergeTags } from '../../../actions/run-migration/start-task.js';

describe('mergeTags', () => {
  it("keeps the task definition's tags and lets the run's win on the same key", () => {
    expect(
      mergeTags(
        [
          { key: 'team', value: 'backend' },
          { key: 'github:run-id', value: '1' },
        ],
        [{ key: 'github:run-id', value: '2' }],
      ),
    ).toEqual([
      { key: 'github:run-id', value: '2' },
      { key: 'team', value: 'backend' },
    ]);
  });

  it("keeps the run's tags when the task definition already has ECS's maximum of 50", () => {
    const existing = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const merged = mergeTags(existing, [{ key: 'github:run-id', value: '2' }]);
    expect(merged).toHaveLength(50);
    expect(merged).toContainEqual({ key: 'github:run-id', value: '2' });
  });
});
