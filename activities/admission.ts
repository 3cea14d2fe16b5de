import { ApplicationFailure } from '@temporalio/common';
import { refuseNamedFiles, type AttachmentRef } from '../domain/attachments';
import type { WorkingCalendar } from '../domain/calendar';
import { caseTypeOf, eligibilityOf } from '../domain/case-types';
import { jsonText, type Json } from '../domain/history';
import type { CaseLimits, EligibilitySummary, SubjectRef } from '../domain/process/engine';
import type { RuleSet } from '../domain/rules';
import type { Store } from '../store';
import { attachmentRef, type AttachmentRow } from '../store/attachments';
import { subjectRef } from '../store/personnel';

export interface AdmissionInput {
  caseId: string;
  type: string;
  subjectId: string;
  payload: Record<string, Json>;
  /** Files named by the submission (ids): the applicant's uploads the API claimed for this case. Absent: none. */
  attachments?: { applicantId: string; ids: string[] };
}

/** Everything a new case runs on that its caller does not get to say: read here, recorded in its history. */
export interface Admission {
  /** The version of the case type's definition in force, which the workflow loads from its registry. */
  version: number;
  /** The rule set in force, frozen into the case. */
  ruleSet: RuleSet;
  /** The payload as the case type's schema parses it under that rule set. */
  payload: Record<string, Json>;
  subject: SubjectRef;
  /** Eligibility as the records show it now, recorded in the case's first event. */
  eligibility: EligibilitySummary;
  calendar: WorkingCalendar;
  limits: CaseLimits;
  /** Continue the case as new beyond this many events of its workflow history. */
  historyLimit: number;
  /** The submission's files as the attachment store holds them (only when the submission named files). */
  attachments?: AttachmentRef[];
  /** An appeal's: whoever decided the decision it reviews, recused from every stage (absent for other types). */
  recused?: string[];
}

export interface AdmissionDeps {
  store: Pick<Store, 'personnel' | 'calendar' | 'attachments' | 'cases'>;
  ruleSet: RuleSet;
  today: () => string;
  limits: CaseLimits;
  historyLimit: number;
  /**
   * The definition version a new case runs (default: the registry's current one). The tests pin versions that
   * their own workflow bundle registers (test/helpers/workflows.ts), to run engine features no case type uses.
   */
  definitionVersion?: (input: AdmissionInput) => number | undefined;
}

const refuse = (message: string) => ApplicationFailure.create({ type: 'invalid', message, nonRetryable: true });

/**
 * A case starts from what its caller may legitimately say (type, subject, payload, applicant, time) and nothing
 * else: its definition version, the rule set, the subject's record, eligibility and the calendar are read here,
 * by the worker, and recorded in the case's history, so that a workflow started with a forged definition or
 * eligibility runs the real ones (README, "What a case trusts").
 */
export function createAdmissionActivities({ store, ruleSet, today, limits, historyLimit, definitionVersion }: AdmissionDeps) {
  return {
    async admitCase(input: AdmissionInput): Promise<Admission> {
      const definition = caseTypeOf(input.type);
      if (!definition) throw refuse(`unknown case type "${input.type}"`);
      const parsed = definition.payload(ruleSet).safeParse(input.payload);
      if (!parsed.success)
        throw refuse(`payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      const payload = parsed.data as Record<string, Json>;
      const [entry, record, calendar] = await Promise.all([
        store.personnel.entry(input.subjectId),
        store.personnel.record(input.subjectId),
        store.calendar.workflowCalendar(),
      ]);
      if (!entry || !record) throw refuse(`no community worker "${input.subjectId}"`);
      // The references recorded in the case's history are the store's, never what a caller says of its files.
      const files = input.attachments && (await admittedFiles(input.caseId, input.attachments.applicantId, input.attachments.ids));
      const rule = eligibilityOf(input.type);
      const evaluation = rule ? rule(record, payload, ruleSet, today(), calendar) : { eligible: true, reasons: [] };
      // An appeal is heard by others than those who decided what it reviews (a disciplinary record's deciders are
      // not in this service: none are known).
      const recused = definition.type === 'appeal' ? await store.cases.decidersOf(jsonText(payload.appealOf)) : undefined;
      return {
        version: definitionVersion?.(input) ?? definition.version,
        ruleSet,
        payload,
        subject: subjectRef(entry),
        eligibility: { eligible: evaluation.eligible, reasons: evaluation.reasons },
        calendar,
        limits,
        historyLimit,
        ...(files ? { attachments: files } : {}),
        ...(recused ? { recused } : {}),
      };
    },
  };

  /** The submission's files: the check the API made (refuseNamedFiles), and claimed for this case by it. */
  async function admittedFiles(caseId: string, applicantId: string, ids: string[]): Promise<AttachmentRef[]> {
    const named = new Map((await store.attachments.named(ids)).map((f) => [f.id, f]));
    const problem = refuseNamedFiles(ids, named, applicantId, caseId);
    if (problem) throw refuse(problem);
    const unclaimed = ids.find((id) => named.get(id)?.caseId !== caseId);
    if (unclaimed !== undefined) throw refuse(`attachments: file "${unclaimed}" was not claimed for this case`);
    const rows = await Promise.all(ids.map((id) => store.attachments.find(id)));
    return rows.map((row) => attachmentRef(row as AttachmentRow));
  }
}
