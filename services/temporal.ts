import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  ServiceError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isUnprocessedUpdate } from '../infra/temporal-connection';
import { HttpProblem, unavailable as unavailableProblem } from './problem';
import { UpdateTurns } from './update-turns';

// gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) that Temporal calls fail with.
const GrpcStatus = {
  CANCELLED: 1,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
} as const;

export interface TemporalAccess {
  client: Client;
  taskQueue: string;
  /** Every call from an HTTP request into Temporal must finish within this, else 503. */
  rpcTimeoutMs: number;
  /** Updates this process sends to one workflow at a time (TEMPORAL_UPDATES_PER_WORKFLOW; default UPDATES_PER_WORKFLOW). */
  updatesPerWorkflow?: number;
}

/**
 * Updates one API process sends to one workflow at a time (services/update-turns.ts says why). Temporal admits 10
 * in flight per workflow: API replicas × this must stay below that, with room for the Updates the workers send
 * (a round delivering its decision, one case at a time).
 */
export const UPDATES_PER_WORKFLOW = 2;

/** One set of turns per client, i.e. per API process, whichever service sends the Update. */
const turnsByClient = new WeakMap<Client, UpdateTurns>();

function updateTurns(temporal: TemporalAccess): UpdateTurns {
  let turns = turnsByClient.get(temporal.client);
  if (!turns) {
    turns = new UpdateTurns(temporal.updatesPerWorkflow ?? UPDATES_PER_WORKFLOW);
    turnsByClient.set(temporal.client, turns);
  }
  return turns;
}

/**
 * How long a poller may be silent and still count as a live worker. A worker's long poll lasts up to a minute
 * (the matching service's long-poll expiry) and the server records the time a poll starts, so a live but idle
 * worker is seen at least once a minute; one that was not seen for longer is gone.
 */
export const LIVE_POLLER_MS = 75_000;

/** What is left of the request deadline for finding out what is down, once the call itself has failed. */
const DIAGNOSIS_MS = 1_000;

/** Seconds a client should wait before retrying after a 503 of each kind (the Retry-After header). */
export const RETRY_AFTER_SECONDS = { temporal: 5, worker: 5, busy: 2, database: 5 } as const;

export class DeadlinePassed extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** Races a promise against a timer; the timer never keeps the process alive. */
export function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlinePassed(ms)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs Temporal calls under the request deadline and turns their failures into HTTP problems. The deadline is
 * kept by a timer as well as by gRPC's deadline: the SDK's retries of an unavailable server and its waits for
 * an Update's outcome are not all bounded by the call's deadline, and requests were seen held 3–5 s past it
 * during a Temporal outage. The timer aborts the call (its gRPC requests are cancelled), and the rest of the
 * deadline is spent finding out what is down, so the 503 says so.
 *
 * An Update the server rejects as not processed by the worker is sent again (same Update id, so at most one
 * effect): with local activities in the workflow, sdk-core 1.24 drops Updates that arrive for a run while it
 * waits on one ("There are unprocessed protocol messages while receiving new work"); the rejection means
 * nothing happened.
 *
 * `update` names the workflow an Update goes to: the call waits for its turn there (UpdateTurns), within the
 * same deadline, and a request whose turn did not come in time is told to retry, the others on the case still
 * being processed.
 */
export async function callTemporal<T>(temporal: TemporalAccess, fn: () => Promise<T>, update?: { workflowId: string }): Promise<T> {
  const started = Date.now();
  const budget = Math.max(temporal.rpcTimeoutMs - DIAGNOSIS_MS, temporal.rpcTimeoutMs / 2);
  const deadline = started + budget;
  const abort = new AbortController();
  let waitingForTurn = false;
  const turn = async () => {
    if (!update) return () => undefined;
    waitingForTurn = true;
    try {
      return await updateTurns(temporal).take(update.workflowId, abort.signal);
    } finally {
      waitingForTurn = false;
    }
  };
  const run = temporal.client.withDeadline(deadline, () =>
    temporal.client.withAbortSignal(abort.signal, async () => {
      const done = await turn();
      try {
        for (let attempt = 0; ; attempt += 1) {
          try {
            return await fn();
          } catch (err) {
            const pause = Math.min(20 * 2 ** attempt, 500) * (0.5 + Math.random());
            if (!(isUnprocessedUpdate(err) || isFailedWorkflowTask(err)) || Date.now() + pause >= deadline) throw err;
            await new Promise((resolve) => setTimeout(resolve, pause));
          }
        }
      } finally {
        done();
      }
    }),
  );
  try {
    return await within(budget, run);
  } catch (err) {
    const queued = waitingForTurn;
    abort.abort();
    run.catch(() => undefined); // settled by the abort; nobody waits for it any more
    if (queued && update) {
      const { sending, waiting } = updateTurns(temporal).load(update.workflowId);
      throw unavailableProblem(
        `other requests on ${update.workflowId} are still being processed (${sending} sent to it, ${waiting} more waiting here); nothing was sent for this one: retry after the time in Retry-After`,
        RETRY_AFTER_SECONDS.busy,
      );
    }
    const problem = temporalProblem(err);
    if (problem instanceof HttpProblem && problem.type === 'dependency-unavailable') {
      throw await whatIsDown(temporal, Math.max(temporal.rpcTimeoutMs - (Date.now() - started), 100));
    }
    throw problem;
  }
}

/**
 * The server takes no Update while the run's last workflow task failed (a worker died or timed out in the middle
 * of it) until a worker has retried that task: nothing happened, so the Update is sent again, and once the
 * deadline has passed the client is told to retry.
 */
function isFailedWorkflowTask(err: unknown): boolean {
  // An Update's gRPC error says so in its details, and the SDK hands it over wrapped in its ServiceError; an
  // Update-with-Start's details say only that the multi-operation could not be executed, and the SDK puts the
  // operation's own status in the message. The fault tests saw both answered 500 while workers restarted on a
  // loaded machine.
  const grpc = grpcError(err);
  return (
    grpc !== undefined &&
    Number(grpc.code) === GrpcStatus.FAILED_PRECONDITION &&
    /Workflow Task in failed state/i.test(`${grpc.details} ${grpc.message}`)
  );
}

/** The gRPC error itself, or the one the SDK wrapped in its ServiceError ("Workflow Update failed"). */
function grpcError(err: unknown) {
  if (isGrpcServiceError(err)) return err;
  if (err instanceof ServiceError && isGrpcServiceError(err.cause)) return err.cause;
  return undefined;
}

/** The workers polling the task queue for workflow tasks, by the time each was last seen. */
export async function livePollers(temporal: TemporalAccess, ms: number): Promise<number> {
  const { client } = temporal;
  const described = await within(
    ms,
    client.withDeadline(Date.now() + ms, () =>
      client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: temporal.taskQueue },
        taskQueueType: 1,
      }),
    ),
  );
  const now = Date.now();
  return (described.pollers ?? []).filter((p) => {
    const seen = Number(p.lastAccessTime?.seconds ?? 0) * 1000 + Math.floor((p.lastAccessTime?.nanos ?? 0) / 1e6);
    return now - seen < LIVE_POLLER_MS;
  }).length;
}

/** Temporal's frontend answers. */
export async function temporalAnswers(temporal: TemporalAccess, ms: number): Promise<void> {
  const { client } = temporal;
  await within(
    ms,
    client.withDeadline(Date.now() + ms, () => client.workflowService.getSystemInfo({})),
  );
}

/**
 * A 503 that says what is down: Temporal itself, or no worker polling the case workflows' task queue, or the
 * workers there but behind (a backlog after a restart, or more load than they can take).
 */
async function whatIsDown(temporal: TemporalAccess, ms: number): Promise<HttpProblem> {
  try {
    await temporalAnswers(temporal, ms);
  } catch (err) {
    return unavailableProblem(
      err instanceof DeadlinePassed || (isGrpcServiceError(err) && Number(err.code) === GrpcStatus.DEADLINE_EXCEEDED)
        ? `Temporal did not answer within ${ms} ms: it is overloaded or unreachable`
        : `Temporal is unavailable: ${isGrpcServiceError(err) ? err.details : (err as Error).message}`,
      RETRY_AFTER_SECONDS.temporal,
    );
  }
  const pollers = await livePollers(temporal, ms).catch(() => undefined);
  if (pollers === 0) {
    return unavailableProblem(`no worker is polling the task queue ${temporal.taskQueue}`, RETRY_AFTER_SECONDS.worker);
  }
  return unavailableProblem(
    `the case workflow did not answer within ${Math.round(temporal.rpcTimeoutMs / 1000)} s: its workers are busy or catching up`,
    RETRY_AFTER_SECONDS.busy,
  );
}

export function temporalProblem(err: unknown): unknown {
  if (err instanceof DeadlinePassed) return new HttpProblem('dependency-unavailable', err.message);
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      if (cause.type === 'forbidden') return new HttpProblem('forbidden', cause.message);
      if (cause.type === 'invalid') return new HttpProblem('invalid-request', cause.message);
      return new HttpProblem('conflict', cause.message);
    }
    return new HttpProblem('conflict', cause?.message ?? err.message);
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return new HttpProblem('dependency-unavailable', err.message);
  if (err instanceof WorkflowNotFoundError) return new HttpProblem('not-found', 'case not found');
  const grpc = grpcError(err);
  if (grpc) {
    // grpc-js's status enum, which the SDK does not export, compared by its numbers.
    const code: number = grpc.code;
    if (code === GrpcStatus.NOT_FOUND && /completed|closed/i.test(grpc.details)) {
      return new HttpProblem('conflict', 'the case is closed');
    }
    if (code === GrpcStatus.NOT_FOUND) return new HttpProblem('not-found', 'case not found');
    if (code === GrpcStatus.DEADLINE_EXCEEDED || code === GrpcStatus.UNAVAILABLE || code === GrpcStatus.CANCELLED) {
      return new HttpProblem('dependency-unavailable', grpc.details);
    }
    // Too many Updates in flight on one case, or a failed workflow task a worker has yet to retry: come back later.
    if (code === GrpcStatus.RESOURCE_EXHAUSTED || isFailedWorkflowTask(grpc))
      return new HttpProblem('dependency-unavailable', grpc.details);
  }
  return err;
}
