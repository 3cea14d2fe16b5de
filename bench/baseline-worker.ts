/**
 * The baseline's worker, in its own process like the service's worker (scripts/worker.ts), with the same
 * SDK defaults. Env: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE.
 */
import { NativeConnection, Worker } from '@temporalio/worker';

async function main() {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is required');
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'community-cases-bench-baseline',
    workflowsPath: require.resolve('./baseline-workflow'),
  });
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
