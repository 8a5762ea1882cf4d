import type { Task } from '@aws-sdk/client-ecs';
import { durationSeconds, judge, type VerdictInput } from '../../../actions/run-migration/verdict.js';

const arn = 'arn:aws:ecs:us-east-1:1:task/c/abc';
const running: Task = { taskArn: arn, lastStatus: 'RUNNING', containers: [{ name: 'migration' }] };
const stoppedBySignal: Task = {
  taskArn: arn,
  lastStatus: 'STOPPED',
  stopCode: 'UserInitiated',
  containers: [{ name: 'migration', exitCode: 143 }],
};
const lines = ['Applying shop.0001_initial... OK', 'Applying shop.0002_orders...'];

function input(overrides: Partial<VerdictInput>): VerdictInput {
  return {
    waited: { kind: 'timeout', seconds: 1200, task: running },
    settled: { task: stoppedBySignal, stopRequested: true },
    container: 'migration',
    label: 'Migration',
    essentialContainers: ['migration'],
    stopWanted: true,
    lastLines: lines,
    ...overrides,
  };
}

describe('judge', () => {
  it('passes a task whose container exited 0', () => {
    const task: Task = {
      ...stoppedBySignal,
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'migration', exitCode: 0 }],
    };
    expect(
      judge(input({ waited: { kind: 'stopped', task, seconds: 30 }, settled: { task, stopRequested: false } })),
    ).toEqual({ ok: true, exitCode: 0, notes: [] });
  });

  it('fails a non-zero exit with the last log lines as the body', () => {
    const task: Task = {
      ...stoppedBySignal,
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'migration', exitCode: 1 }],
    };
    const verdict = judge(
      input({ waited: { kind: 'stopped', task, seconds: 30 }, settled: { task, stopRequested: false } }),
    );
    expect(verdict).toMatchObject({
      ok: false,
      title: 'Migration failed',
      exitCode: 1,
      reason: 'Container migration exited with code 1',
    });
    expect(verdict.ok ? '' : verdict.body).toBe(`Last 2 log lines:\n${lines.join('\n')}`);
  });

  it('shows why a task failed to start instead of log lines it never wrote', () => {
    const task: Task = {
      taskArn: arn,
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotPullContainerError: not found',
      containers: [{ name: 'migration' }],
    };
    const verdict = judge(
      input({ waited: { kind: 'stopped', task, seconds: 9 }, settled: { task, stopRequested: false } }),
    );
    expect(verdict).toMatchObject({ ok: false, title: 'Migration task failed to start' });
    expect(verdict.ok ? '' : verdict.body).toBe(
      'Task abc stopped (TaskFailedToStart): CannotPullContainerError: not found',
    );
  });

  it('says how long a timed-out task ran, its state and that it was stopped, with its exit code', () => {
    expect(judge(input({}))).toMatchObject({
      ok: false,
      title: 'Migration timed out',
      reason: 'Timed out after 20m: the task was RUNNING and was stopped',
      exitCode: 143,
    });
  });

  it('never reports an exit code read while the container still ran, only one it stopped with', () => {
    // An emulator reported exitCode 0 on a RUNNING container: a timed-out run must not output it.
    const stillRunning: Task = {
      ...running,
      lastStatus: 'DEACTIVATING',
      containers: [{ name: 'migration', lastStatus: 'RUNNING', exitCode: 0 }],
    };
    const timedOut = judge(input({ settled: { task: stillRunning, stopRequested: true } }));
    expect(timedOut).toMatchObject({ ok: false, title: 'Migration timed out' });
    expect(timedOut).not.toHaveProperty('exitCode');
    const killed: Task = {
      ...running,
      lastStatus: 'DEPROVISIONING',
      containers: [{ name: 'migration', lastStatus: 'STOPPED', exitCode: 137 }],
    };
    expect(judge(input({ settled: { task: killed, stopRequested: true } }))).toMatchObject({ exitCode: 137 });
    const left = judge(input({ stopWanted: false, settled: { task: stillRunning, stopRequested: false } }));
    expect(left).not.toHaveProperty('exitCode');
  });

  it('names an admin command in its titles', () => {
    const task: Task = {
      ...stoppedBySignal,
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'migration', exitCode: 1 }],
    };
    const waited = { kind: 'stopped' as const, task, seconds: 3 };
    const label = 'Command createsuperuser';
    expect(judge(input({ label, waited, settled: { task, stopRequested: false } }))).toMatchObject({
      title: 'Command createsuperuser failed',
    });
    expect(judge(input({ label }))).toMatchObject({ title: 'Command createsuperuser timed out' });
  });

  it('says when a timed-out task never started running', () => {
    const pending: Task = { ...running, lastStatus: 'PROVISIONING' };
    expect(judge(input({ waited: { kind: 'timeout', seconds: 60, task: pending } }))).toMatchObject({
      reason: 'Timed out after 1m: the task was still PROVISIONING (it never started running) and was stopped',
    });
  });

  it('says when the task was left running, told to stop but not yet stopped, or could not be stopped', () => {
    const cancelled = { kind: 'cancelled' as const, seconds: 12.34, task: running };
    expect(
      judge(input({ waited: cancelled, stopWanted: false, settled: { task: running, stopRequested: false } })),
    ).toMatchObject({
      title: 'Migration cancelled',
      reason: 'Cancelled after 12.3s: the task was RUNNING and was left running',
    });
    const stopping: Task = { ...running, lastStatus: 'DEACTIVATING' };
    expect(judge(input({ waited: cancelled, settled: { task: stopping, stopRequested: true } }))).toMatchObject({
      reason: 'Cancelled after 12.3s: the task was RUNNING and was told to stop (DEACTIVATING when the action ended)',
    });
    expect(judge(input({ waited: cancelled, settled: { task: running, stopRequested: false } }))).toMatchObject({
      reason: 'Cancelled after 12.3s: the task was RUNNING and could not be stopped: it may still be running',
    });
  });

  it('fails a run that lost track of its task, naming the error', () => {
    const lost = {
      kind: 'lost' as const,
      seconds: 90,
      task: running,
      error: 'DescribeTasks failed 5 times in a row: AccessDenied',
    };
    expect(judge(input({ waited: lost, settled: { task: running, stopRequested: true } }))).toMatchObject({
      title: 'Migration not watched',
      reason:
        'Lost track of the task after 1m 30s (DescribeTasks failed 5 times in a row: AccessDenied): the task was RUNNING and was told to stop (RUNNING when the action ended)',
    });
  });
});

describe('durationSeconds', () => {
  it("uses ECS's own timestamps when the task stopped", () => {
    const task: Task = { createdAt: new Date('2026-11-01T10:00:00Z'), stoppedAt: new Date('2026-11-01T10:01:05.25Z') };
    expect(durationSeconds(task, 70)).toBe(65.3);
  });

  it('falls back to how long the action waited', () => {
    expect(durationSeconds(running, 12.345)).toBe(12.3);
    expect(durationSeconds(undefined, 3)).toBe(3);
  });
});
