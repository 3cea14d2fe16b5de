/**
 * The baseline's worker, in its own process like the service's worker (scripts/worker.ts), with the same
 * SDK defaults and the same connection options and payload codec (from the same environment).
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../infra/config';
import { temporalConnectionOptions, temporalSecurity } from '../infra/temporal-connection';

async function main() {
  const config = loadConfig();
  const address = config.temporal.address;
  if (!address) throw new Error('TEMPORAL_ADDRESS is required');
  const { security, dataConverter } = temporalSecurity(config);
  const connection = await NativeConnection.connect(temporalConnectionOptions({ ...security, address }).worker);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: require.resolve('./baseline-workflow'),
    dataConverter,
  });
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
