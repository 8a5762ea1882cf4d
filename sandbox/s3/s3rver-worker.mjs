// Runs s3rver on its own thread, so the recording proxy in front of it does not share its event loop.
import { parentPort, workerData } from 'node:worker_threads';
import S3rver from 's3rver';

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: workerData.directory,
  vhostBuckets: false,
});
const address = await server.run();
parentPort.postMessage({ port: address.port });
parentPort.on('message', async (message) => {
  if (message === 'stop') {
    await server.close();
    parentPort.postMessage({ stopped: true });
  }
});
