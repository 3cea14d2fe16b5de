import { policy, type Caller } from '../domain/access';
import { formatCaseNumber } from '../domain/case-numbers';
import type { ArchivedCaseRow } from '../store/archive';
import type { Store } from '../store';
import { HttpProblem, notFound } from './problem';

/** The archived record: what stays answerable about a case after its rows left the database. */
export function archivedView(row: ArchivedCaseRow) {
  return {
    id: row.id,
    /** The short case number it had (晋升-2026-0012); null when archived before archived cases kept it. */
    number: formatCaseNumber({ type: row.type, year: row.numberYear, seq: row.numberSeq }),
    type: row.type,
    status: row.status,
    outcome: row.outcome,
    subject: { id: row.subjectId, name: row.subjectName },
    orgUnitId: row.orgUnitId,
    applicantId: row.applicantId,
    submittedAt: row.submittedAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    lastSeq: row.lastSeq,
    lastHash: row.lastHash,
    archive: {
      archivedAt: row.archivedAt.toISOString(),
      bundle: row.bundleLocation,
      sha256: row.bundleSha256,
      size: row.bundleSize,
      url: `/api/v1/archive/cases/${row.id}/bundle`,
    },
  };
}

/**
 * The problem for a case the database does not hold (or the caller may not see): 410 with the archived record and
 * where its bundle is when the case was archived and the caller could see it before (subtree, submission, their
 * work); else the 404 any unknown case gets.
 */
export async function missingCase(store: Pick<Store, 'archive'>, caller: Caller, caseId: string): Promise<HttpProblem> {
  const row = await store.archive.archived(caseId);
  if (!row) return notFound('case');
  const scopes = policy.caseScopes(caller);
  const visible =
    scopes === null ||
    row.applicantId === caller.id ||
    row.viewers.includes(caller.id) ||
    scopes.some((path) => row.orgPath.startsWith(path));
  if (!visible) return notFound('case');
  const view = archivedView(row);
  return new HttpProblem('gone', `case ${caseId} was archived on ${view.archive.archivedAt}; its bundle is ${row.bundleLocation}`, {
    case: view,
  });
}
