/** An error answered the way the AWS service answers it: HTTP status, error code (__type) and message. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const clusterNotFound = () => new AwsError('ClusterNotFoundException', 'Cluster not found.');
export const serviceNotFound = () => new AwsError('ServiceNotFoundException', 'Service not found.');
export const serviceNotActive = () => new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
export const clientError = (message: string) => new AwsError('ClientException', message);
export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);
export const logGroupNotFound = () =>
  new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
export const logStreamNotFound = () =>
  new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
