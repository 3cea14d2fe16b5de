import { CASE_TYPES } from '../domain/case-types';
import { secondmentNotices } from '../domain/case-types/secondment/eligibility';
import { detectExitTriggers, qualificationStatus, type ExitTrigger } from '../domain/exit';
import { jsonText, type Json } from '../domain/history';
import { reasonsOf, type JoinedReason } from '../domain/process/engine';
import type { RuleSet } from '../domain/rules';
import type { Store } from '../store';
import type { CaseRequest } from '../workflows/messages';

/** The account that proposes cases found by the daily records check. */
export const RECORDS_WATCH_USER = 'system-records-watch';

export interface ScanResult {
  /** Exit cases to start: one per worker with newly found exit situations (the first its reason, the rest joined). */
  proposals: CaseRequest[];
  /** Newly found situations of workers whose exit case is open: they join it. */
  joins: { caseId: string; joined: JoinedReason }[];
  /** Qualification deadlines newly coming within the warning window. */
  warnings: number;
  /** Secondments newly found ending soon or ended (back at post): alerts secondment-ending / secondment-returned. */
  secondmentNotices?: number;
  scanned: number;
}

/**
 * The daily records check (档案巡检): finds active community workers whose personnel records show an exit
 * situation (连续两年不合格, 连续三年基本合格, an overdue certificate) and proposes an exit case, and warns before the
 * qualification deadline passes. A worker has one open exit case at a time: the situations found for a worker
 * in one scan go into one case (the first its reason, the others joined), and a situation found while the
 * worker's exit case is open joins that case (a signal from the workflow). Each finding is recorded once
 * (RecordAlert's unique key), so the check can run any number of times. A finding is proposed again until its
 * case exists: the alert is written before the case starts, and a scan whose result was lost (a retried activity,
 * a failed start) must not leave the situation without a case. The case id derives from the finding, so a second
 * proposal of a case that is starting is refused by Temporal (REJECT_DUPLICATE) rather than started twice, and a
 * finding whose case exists (open or decided) is not proposed again.
 */
export function createRecordsWatchActivities(deps: {
  store: Pick<Store, 'personnel' | 'cases' | 'calendar'>;
  ruleSet: RuleSet;
  today: () => string;
}) {
  const { store, ruleSet, today } = deps;
  const { personnel } = store;
  return {
    async scanRecords(): Promise<ScanResult> {
      const asOf = today();
      // When the check read the records: the time of the cases it proposes and of the situations it joins (history keeps it).
      const scannedAt = new Date().toISOString();
      const exit = CASE_TYPES.exit;
      // A worker whose exit is held by its open appeal (appeal.holdsExit) is still at post: reminded of secondments
      // and the certificate like any other, but never proposed for another exit while the first is reviewed.
      const held = ruleSet.appeal.holdsExit ? (await personnel.openExitAppeals()).map((a) => a.workerId) : [];
      const heldIds = new Set(held);
      const active = [...(await personnel.activeIds()), ...heldIds].sort();
      const proposals: CaseRequest[] = [];
      const joins: ScanResult['joins'] = [];
      let warnings = 0;
      let secondmentAlerts = 0;
      const calendar = await store.calendar.workflowCalendar();
      for (const id of active) {
        const record = await personnel.record(id);
        if (!record) continue;
        // 借调: reminded before the end; once it has ended without an extension, the worker is back at post.
        for (const notice of secondmentNotices(record.secondments ?? [], ruleSet, asOf, calendar)) {
          if (
            await personnel.addAlert({
              communityWorkerId: id,
              kind: notice.kind,
              key: notice.caseId,
              detail: notice,
              caseId: notice.caseId,
            })
          )
            secondmentAlerts += 1;
        }
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
        if (heldIds.has(id)) continue;
        const findings: { trigger: ExitTrigger; key: string; caseId: string }[] = [];
        for (const trigger of detectExitTriggers(record, ruleSet, asOf)) {
          const years = Array.isArray(trigger.data.years)
            ? trigger.data.years.map(jsonText).join('-')
            : jsonText(trigger.data.deadline ?? asOf);
          const key = `${trigger.reasonCode}:${years}`;
          const caseId = `exit-proposal:${id}:${key}`;
          await personnel.addAlert({ communityWorkerId: id, kind: 'exit-proposed', key, detail: { ...trigger, caseId }, caseId });
          // Proposed before, or joined to a case that took it in: that case stands for the finding, open or decided.
          if (await store.cases.exists(caseId)) continue;
          const joinedTo = await personnel.alertCase({ communityWorkerId: id, kind: 'exit-joined', key });
          const joinedPayload = joinedTo ? await store.cases.payloadOf(joinedTo) : null;
          if (joinedPayload && reasonsOf(joinedPayload as Record<string, unknown>).includes(trigger.reasonCode)) continue;
          findings.push({ trigger, key, caseId });
        }
        const [first, ...more] = findings;
        if (!first) continue;
        const detailOf = (t: ExitTrigger) => `档案巡检：${t.detail.zh}（${t.detail.en}）`;
        const open = await store.cases.openCaseOf(id, exit.definition.type);
        if (open) {
          const standsOn = reasonsOf(open.payload as Record<string, unknown>);
          for (const { trigger, key } of findings) {
            if (standsOn.includes(trigger.reasonCode)) continue;
            // Recorded with the case it joins (a second alert kind: the proposal's alert names the case it would start).
            await personnel.addAlert({
              communityWorkerId: id,
              kind: 'exit-joined',
              key,
              detail: { ...trigger, caseId: open.id },
              caseId: open.id,
            });
            joins.push({
              caseId: open.id,
              joined: { reason: trigger.reasonCode, detail: detailOf(trigger), by: RECORDS_WATCH_USER, at: scannedAt },
            });
          }
          continue;
        }
        const payload: Record<string, Json> = {
          reason: first.trigger.reasonCode,
          detail: detailOf(first.trigger),
          ...(more.length
            ? { additionalReasons: more.map(({ trigger }) => ({ reason: trigger.reasonCode, detail: detailOf(trigger) })) }
            : {}),
        };
        // The case workflow reads the subject's record, its eligibility and the calendar itself.
        proposals.push({
          caseId: first.caseId,
          type: exit.definition.type,
          subjectId: id,
          payload,
          applicantId: RECORDS_WATCH_USER,
          submittedAt: scannedAt,
        });
      }
      return { proposals, joins, warnings, secondmentNotices: secondmentAlerts, scanned: active.length };
    },
  };
}
