import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HttpProblem } from './problem';

// gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) that Temporal calls fail with.
const GrpcStatus = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, UNAVAILABLE: 14 } as const;

export interface TemporalAccess {
  client: Client;
  taskQueue: string;
  /** Every call from an HTTP request into Temporal must finish within this, else 503. */
  rpcTimeoutMs: number;
}

/**
 * Runs Temporal calls under the request deadline and turns their failures into HTTP problems. An Update the
 * server rejects as not processed by the worker is sent again (same Update id, so at most one effect): with
 * local activities in the workflow, sdk-core 1.24 drops Updates that arrive for a run while it waits on one
 * ("There are unprocessed protocol messages while receiving new work"); the rejection means nothing happened.
 */
export async function callTemporal<T>(temporal: TemporalAccess, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + temporal.rpcTimeoutMs;
  try {
    return await temporal.client.withDeadline(deadline, async () => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await fn();
        } catch (err) {
          const pause = Math.min(20 * 2 ** attempt, 500) * (0.5 + Math.random());
          if (!isUnprocessedUpdate(err) || Date.now() + pause >= deadline) throw err;
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
      }
    });
  } catch (err) {
    throw temporalProblem(err);
  }
}

function isUnprocessedUpdate(err: unknown): boolean {
  return err instanceof WorkflowUpdateFailedError && /wasn't processed by worker/.test(err.cause?.message ?? '');
}

export function temporalProblem(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      if (cause.type === 'forbidden') return new HttpProblem('forbidden', cause.message);
      if (cause.type === 'invalid') return new HttpProblem('invalid-request', cause.message);
      return new HttpProblem('conflict', cause.message);
    }
    return new HttpProblem('conflict', cause?.message ?? err.message);
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new HttpProblem('dependency-unavailable', 'the case workflow did not answer in time (is a worker running?)');
  }
  if (err instanceof WorkflowNotFoundError) return new HttpProblem('not-found', 'case not found');
  if (isGrpcServiceError(err)) {
    // grpc-js's status enum, which the SDK does not export, compared by its numbers.
    const code: number = err.code;
    if (code === GrpcStatus.NOT_FOUND && /completed|closed/i.test(err.details)) {
      return new HttpProblem('conflict', 'the case is closed');
    }
    if (code === GrpcStatus.NOT_FOUND) return new HttpProblem('not-found', 'case not found');
    if (code === GrpcStatus.DEADLINE_EXCEEDED || code === GrpcStatus.UNAVAILABLE || code === GrpcStatus.CANCELLED) {
      return new HttpProblem('dependency-unavailable', 'Temporal did not answer in time');
    }
  }
  return err;
}
