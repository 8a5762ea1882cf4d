import { AwsError } from './errors.js';

/**
 * IAM as far as a test needs it: every call is allowed, except the actions a test denies (`ecr:DescribeImages`), which
 * are answered AccessDeniedException in IAM's words, as a role whose policy lacks the permission is.
 */
export class AccessPolicy {
  private readonly denied = new Set<string>();

  constructor(private readonly callerArn: string) {}

  deny(actions: readonly string[]): void {
    for (const action of actions) this.denied.add(action);
  }

  allowAll(): void {
    this.denied.clear();
  }

  /** Throws the AccessDeniedException the service answers when `service:operation` is denied. */
  check(service: string, operation: string): void {
    const action = `${service}:${operation}`;
    if (!this.denied.has(action)) return;
    throw new AwsError(
      'AccessDeniedException',
      `User: ${this.callerArn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
    );
  }
}
