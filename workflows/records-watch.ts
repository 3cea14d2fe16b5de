import {
  ApplicationFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  startChild,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { caseWorkflow } from './case';
import { joinReasonSignal } from './messages';

const { scanRecords } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes' },
});

/** Patch marker of joining further exit situations to a worker's open exit case instead of starting another. */
export const JOIN_OPEN_EXIT_CASE_PATCH = 'join-open-exit-case';

export interface RecordsWatchResult {
  scanned: number;
  proposedCases: string[];
  /** Open exit cases that further situations joined. */
  joinedCases: string[];
  warnings: number;
}

/**
 * The daily records check, run by a Temporal schedule: exit situations the records show become an exit case
 * proposed to the street party committee (one per worker: further situations join the worker's open case), and
 * approaching qualification deadlines are warned of. The proposed cases run on their own (they outlive this run).
 */
export async function recordsWatchWorkflow(): Promise<RecordsWatchResult> {
  const { proposals, joins, warnings, scanned } = await scanRecords();
  const proposedCases: string[] = [];
  for (const input of proposals) {
    try {
      await startChild(caseWorkflow, {
        workflowId: input.caseId,
        args: [input],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      proposedCases.push(input.caseId);
    } catch (err) {
      // Started by an earlier run or attempt whose case has not yet reached the read model: it already runs.
      if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    }
  }
  const joinedCases: string[] = [];
  // A run in flight when this came in scheduled no signals; it finishes as it began.
  if (joins.length > 0 && patched(JOIN_OPEN_EXIT_CASE_PATCH)) {
    for (const { caseId, joined } of joins) {
      try {
        await getExternalWorkflowHandle(caseId).signal(joinReasonSignal, joined);
        joinedCases.push(caseId);
      } catch (err) {
        // The case closed since the scan (sdk-core fails the signal with "…because it was not found"): the next
        // run finds no open case and proposes a new one.
        if (!(err instanceof ApplicationFailure && err.message.includes('not found'))) throw err;
      }
    }
  }
  return { scanned, proposedCases, joinedCases, warnings };
}
