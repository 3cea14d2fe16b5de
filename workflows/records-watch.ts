import { ParentClosePolicy, WorkflowIdReusePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { caseWorkflow } from './case';

const { scanRecords } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes' },
});

export interface RecordsWatchResult {
  scanned: number;
  proposedCases: string[];
  warnings: number;
}

/**
 * The daily records check, run by a Temporal schedule: every exit situation the records show becomes an exit
 * case proposed to the street party working committee, and approaching qualification deadlines are warned
 * of. The proposed cases run on their own (they outlive this run).
 */
export async function recordsWatchWorkflow(): Promise<RecordsWatchResult> {
  const { proposals, warnings, scanned } = await scanRecords();
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
  return { scanned, proposedCases, warnings };
}
