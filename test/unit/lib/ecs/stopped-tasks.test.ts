import {
  describeContainer,
  describeStoppedTask,
  stoppedTaskLines,
  taskIdOf,
} from '../../../../lib/ecs/stopped-tasks.js';

const arn = 'arn:aws:ecs:us-east-1:123456789012:task/startupwebapp-cluster/0a1b2c3d';

describe('stopped task descriptions', () => {
  it('takes the task id from the ARN', () => {
    expect(taskIdOf(arn)).toBe('0a1b2c3d');
  });

  it('gives a one-line headline with the stop code and reason, and a line per container with something to say', () => {
    const description = describeStoppedTask({
      taskArn: arn,
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s):\nfailed to resolve ref',
      containers: [
        { name: 'migration', lastStatus: 'STOPPED', reason: 'CannotPullContainerError: not found' },
        { name: 'log-router', lastStatus: 'PENDING' },
      ],
    });
    expect(description.headline).toBe(
      'Task 0a1b2c3d stopped (TaskFailedToStart): CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref',
    );
    expect(description.containers).toEqual([
      'container migration: stopped without an exit code; CannotPullContainerError: not found',
    ]);
  });

  it('explains well-known exit codes and shows health', () => {
    expect(describeContainer({ name: 'web', exitCode: 137, healthStatus: 'UNHEALTHY' })).toBe(
      'container web: exited with code 137 (killed: SIGKILL, often out of memory or stopped); health UNHEALTHY',
    );
    expect(describeContainer({ name: 'web', exitCode: 0 })).toBe('container web: exited with code 0');
    expect(describeContainer({ name: 'web', lastStatus: 'RUNNING', healthStatus: 'UNKNOWN' })).toBeUndefined();
  });

  it('lists the headline then indented container lines', () => {
    expect(
      stoppedTaskLines({
        taskArn: arn,
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'm', exitCode: 1 }],
      }),
    ).toEqual([
      'Task 0a1b2c3d stopped (EssentialContainerExited): Essential container in task exited',
      '  container m: exited with code 1',
    ]);
  });
});
