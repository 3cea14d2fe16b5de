import type { Caller } from '../domain/access';
import { formatCaseNumber } from '../domain/case-numbers';
import { CASE_REFERENCE_FIELDS, type CaseTypeName } from '../domain/case-types/names';
import type { Json } from '../domain/history';
import type { Store } from '../store';

/** What a payload field that names another case refers to, as GET /cases/:id and the dossier answer it. */
export interface CaseReference {
  field: string;
  id: string;
  /** The case named: its short number, type and subject; `visible` whether the caller may open it. */
  case: { number: string | null; type: string; subject: { id: string; name: string }; visible: boolean; archived: boolean } | null;
  /** The disciplinary record named (an appeal of a measure): its kind, the day of the decision and its reason. */
  disciplinaryRecord: { kind: string; startDate: string; reason: string } | null;
}

/**
 * The cases and records a case's payload names, for a caller who may see the case. A record is described only when
 * it is the case's subject's own (as an appeal's eligibility requires); an id naming nothing answers both as null.
 */
export async function caseReferences(
  store: Pick<Store, 'cases' | 'archive' | 'personnel'>,
  caller: Caller,
  row: { type: string; subjectId: string; payload: Record<string, Json> | Json },
): Promise<CaseReference[]> {
  const payload = row.payload && typeof row.payload === 'object' && !Array.isArray(row.payload) ? row.payload : {};
  const named = (CASE_REFERENCE_FIELDS[row.type as CaseTypeName] ?? []).flatMap((field) => {
    const id = payload[field];
    return typeof id === 'string' && id ? [{ field, id }] : [];
  });
  if (named.length === 0) return [];
  const briefs = await store.cases.briefs(named.map((n) => n.id));
  return Promise.all(
    named.map(async ({ field, id }): Promise<CaseReference> => {
      const brief = briefs.get(id);
      if (brief) {
        const visible = await store.cases.isVisible(caller, id);
        const { number, type, subject } = brief;
        return { field, id, case: { number, type, subject, visible, archived: false }, disciplinaryRecord: null };
      }
      const archived = await store.archive.archived(id);
      if (archived) {
        const number = formatCaseNumber({ type: archived.type, year: archived.numberYear, seq: archived.numberSeq });
        const subject = { id: archived.subjectId, name: archived.subjectName };
        return { field, id, case: { number, type: archived.type, subject, visible: false, archived: true }, disciplinaryRecord: null };
      }
      const record = await store.personnel.disciplinaryRecord(id);
      if (record && record.workerId === row.subjectId) {
        const { kind, startDate, reason } = record;
        return { field, id, case: null, disciplinaryRecord: { kind, startDate, reason } };
      }
      return { field, id, case: null, disciplinaryRecord: null };
    }),
  );
}
