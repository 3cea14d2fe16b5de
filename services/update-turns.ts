/**
 * Turns at sending Updates to one workflow: at most `limit` at a time from this process, the others waiting in
 * the order they came.
 *
 * Why: Temporal admits at most 10 Updates in flight per workflow (history.maxInFlightUpdates), and the server
 * (1.29) refuses the eleventh in a way that also drops the workflow's cached state, aborting the ten it had
 * admitted and the workflow task carrying them ("workflow update was aborted", and the worker's "Task not found
 * when completing"). The clients resend the aborted ones, the refused ones come back, and with more than ten
 * senders the case's workflow never completes a task: fifty approvals of one case in the same second were all
 * answered 503 until the clients gave up. Held to a few per API replica, the Updates never reach the limit; the
 * case's validator answers the stale ones (a second approval of a decided stage) in a cheap workflow task each.
 */
/** Why a wait for a turn ended without one: the signal's reason when it is an error. */
const gaveUp = (signal?: AbortSignal): Error =>
  signal?.reason instanceof Error ? signal.reason : new Error('gave up waiting for a turn to send an Update');

export class UpdateTurns {
  private readonly workflows = new Map<string, { sending: number; waiting: Array<() => void> }>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`Updates per workflow must be a whole number of at least 1, not ${limit}`);
  }

  /** Updates of this workflow sent and not yet answered here, and those waiting for a turn. */
  load(workflowId: string): { sending: number; waiting: number } {
    const w = this.workflows.get(workflowId);
    return { sending: w?.sending ?? 0, waiting: w?.waiting.length ?? 0 };
  }

  /**
   * Waits for a turn at the workflow; resolves with the function that gives it back (call it once the Update is
   * answered or abandoned). Rejects with the signal's reason when the signal aborts first, leaving the queue.
   */
  take(workflowId: string, signal?: AbortSignal): Promise<() => void> {
    let w = this.workflows.get(workflowId);
    if (!w) {
      w = { sending: 0, waiting: [] };
      this.workflows.set(workflowId, w);
    }
    const entry = w;
    const turn = () => {
      let given = false;
      return () => {
        if (given) return;
        given = true;
        entry.sending -= 1;
        const next = entry.waiting.shift();
        if (next) next();
        else if (entry.sending === 0) this.workflows.delete(workflowId);
      };
    };
    if (entry.sending < this.limit) {
      entry.sending += 1;
      return Promise.resolve(turn());
    }
    if (signal?.aborted) return Promise.reject(gaveUp(signal));
    return new Promise((resolve, reject) => {
      const granted = () => {
        signal?.removeEventListener('abort', abandoned);
        entry.sending += 1;
        resolve(turn());
      };
      const abandoned = () => {
        const i = entry.waiting.indexOf(granted);
        if (i >= 0) entry.waiting.splice(i, 1);
        reject(gaveUp(signal));
      };
      entry.waiting.push(granted);
      signal?.addEventListener('abort', abandoned, { once: true });
    });
  }
}
