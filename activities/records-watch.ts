import { CASE_TYPES } from '../domain/case-types';
import { detectExitTriggers, qualificationStatus } from '../domain/exit';
import { jsonText, type Json } from '../domain/history';
import type { RuleSet } from '../domain/rules';
import type { Store } from '../store';
import type { CaseRequest } from '../workflows/messages';

/** The account that proposes cases found by the daily records check. */
export const RECORDS_WATCH_USER = 'system-records-watch';

export interface ScanResult {
  /** Exit cases to start, one per newly found exit situation. */
  proposals: CaseRequest[];
  /** Qualification deadlines newly coming within the warning window. */
  warnings: number;
  scanned: number;
}

/**
 * The daily records check (档案巡检): finds active community workers whose personnel records show an exit
 * situation (连续两年不合格, 连续三年基本合格, an overdue certificate) and proposes an exit case for each, and warns
 * before the 3-year qualification deadline passes. Each finding is recorded once (RecordAlert's unique key), so the
 * check can run any number of times. A finding is proposed again until its case exists: the alert is written
 * before the case starts, and a scan whose result was lost (a retried activity, a failed start) must not
 * leave the situation without a case. The case id derives from the finding, so a second proposal of a case
 * that is starting is refused by Temporal (REJECT_DUPLICATE) rather than started twice.
 */
export function createRecordsWatchActivities(deps: { store: Pick<Store, 'personnel' | 'cases'>; ruleSet: RuleSet; today: () => string }) {
  const { store, ruleSet, today } = deps;
  const { personnel } = store;
  return {
    async scanRecords(): Promise<ScanResult> {
      const asOf = today();
      const exit = CASE_TYPES.exit;
      const active = await personnel.activeIds();
      const proposals: CaseRequest[] = [];
      let warnings = 0;
      for (const id of active) {
        const record = await personnel.record(id);
        if (!record) continue;
        const qualification = qualificationStatus(record, ruleSet, asOf);
        if (
          qualification?.warn &&
          (await personnel.addAlert({
            communityWorkerId: id,
            kind: 'qualification-deadline',
            key: qualification.deadline,
            detail: qualification,
          }))
        )
          warnings += 1;
        for (const trigger of detectExitTriggers(record, ruleSet, asOf)) {
          const years = Array.isArray(trigger.data.years)
            ? trigger.data.years.map(jsonText).join('-')
            : jsonText(trigger.data.deadline ?? asOf);
          const key = `${trigger.reasonCode}:${years}`;
          const caseId = `exit-proposal:${id}:${key}`;
          await personnel.addAlert({ communityWorkerId: id, kind: 'exit-proposed', key, detail: { ...trigger, caseId }, caseId });
          if (await store.cases.exists(caseId)) continue;
          const payload: Record<string, Json> = {
            reason: trigger.reasonCode,
            detail: `档案巡检：${trigger.detail.zh}（${trigger.detail.en}）`,
          };
          // The case workflow reads the subject's record, its eligibility and the calendar itself.
          proposals.push({
            caseId,
            type: exit.definition.type,
            subjectId: id,
            payload,
            applicantId: RECORDS_WATCH_USER,
            submittedAt: new Date().toISOString(),
          });
        }
      }
      return { proposals, warnings, scanned: active.length };
    },
  };
}
