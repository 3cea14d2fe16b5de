import type { ChainedEvent, Json } from '../domain/history';
import { progressOf, type RecordedCaseState } from '../domain/process/engine';
import { readModelOf } from '../domain/process/read-model';
import type { PrismaClient } from '../infra/prisma';

export interface RecordEventsInput {
  caseId: string;
  events: ChainedEvent[];
  /** Engine state after the last of these events (its rule set by id only), from which the row is computed. */
  state: RecordedCaseState;
}

/**
 * The read-model row of a case for its engine state, as recordEvents writes it (the benchmark's bulk loader
 * writes the same rows): the columns the searches filter on, and the versioned read model the API answers
 * from (domain/process/read-model.ts), never the engine's state itself. `lastEventAt` is the time of the
 * newest event.
 */
export function caseReadModel(state: RecordedCaseState, lastEventAt: string | undefined) {
  const progress = progressOf(state);
  return {
    row: {
      type: state.type,
      status: progress.status,
      outcome: progress.outcome,
      subjectId: state.subject.id,
      subjectName: state.subject.name,
      orgUnitId: state.subject.orgUnitId,
      orgPath: state.subject.orgPath,
      applicantId: state.applicantId,
      payload: state.payload as Json,
      definitionVersion: state.definition.version,
      ruleSetId: state.definition.ruleSet.id,
      ruleSetVersion: state.definition.ruleSet.version,
      currentStage: progress.currentStage,
      dueAt: progress.dueAt ? new Date(progress.dueAt) : null,
      readModel: readModelOf(state),
      lastSeq: state.seq,
      lastHash: state.lastHash,
      submittedAt: new Date(state.submittedAt),
      decidedAt: progress.decidedAt ? new Date(progress.decidedAt) : null,
      updatedAt: new Date(lastEventAt ?? state.submittedAt),
    },
    assignees: progress.assignees,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Projects a batch of case events into PostgreSQL: appends them to the hash-chained history and updates the
 * case row, its assignees and its participants (who recorded an event). Idempotent: events are keyed by (caseId, seq), and the case row only moves
 * forward, so a retried or replayed activity never duplicates or rewinds anything.
 *
 * One SQL statement, so one round trip and one implicit transaction: it runs on the hot path of every
 * action (the Update that caused the events returns only after this), where an interactive transaction of
 * six statements cost several times as much. The assignee rows are replaced only when the case row moved
 * forward; rows that stay are left alone (a delete and an insert of the same row cannot share a statement).
 */
export function createProjectionActivities({ prisma }: { prisma: PrismaClient }) {
  return {
    async recordEvents({ caseId, events, state }: RecordEventsInput): Promise<void> {
      const { row, assignees } = caseReadModel(state, events[events.length - 1]?.at);
      // jsonb_to_recordset below reads exactly the fields of a ChainedEvent.
      const eventRows = JSON.stringify(events);
      await prisma.$executeRaw`
        WITH moved AS (
          INSERT INTO "Case" (id, type, status, outcome, "subjectId", "subjectName", "orgUnitId", "orgPath", "applicantId", payload,
            "definitionVersion", "ruleSetId", "ruleSetVersion", "currentStage", "dueAt", "readModel", state, "lastSeq", "lastHash", "submittedAt",
            "decidedAt", "updatedAt")
          VALUES (${caseId}, ${row.type}, ${row.status}::"CaseStatus", ${row.outcome}, ${row.subjectId}, ${row.subjectName}, ${row.orgUnitId},
            ${row.orgPath}, ${row.applicantId}, ${JSON.stringify(row.payload)}::jsonb, ${row.definitionVersion}::int, ${row.ruleSetId},
            ${row.ruleSetVersion}::int, ${row.currentStage}, ${iso(row.dueAt)}::timestamp(3), ${JSON.stringify(row.readModel)}::jsonb, NULL,
            ${row.lastSeq}::int, ${row.lastHash}, ${iso(row.submittedAt)}::timestamp(3), ${iso(row.decidedAt)}::timestamp(3),
            ${iso(row.updatedAt)}::timestamp(3))
          ON CONFLICT (id) DO UPDATE SET
            type = EXCLUDED.type, status = EXCLUDED.status, outcome = EXCLUDED.outcome, "subjectId" = EXCLUDED."subjectId",
            "subjectName" = EXCLUDED."subjectName", "orgUnitId" = EXCLUDED."orgUnitId", "orgPath" = EXCLUDED."orgPath",
            "applicantId" = EXCLUDED."applicantId", payload = EXCLUDED.payload, "definitionVersion" = EXCLUDED."definitionVersion",
            "ruleSetId" = EXCLUDED."ruleSetId", "ruleSetVersion" = EXCLUDED."ruleSetVersion", "currentStage" = EXCLUDED."currentStage",
            "dueAt" = EXCLUDED."dueAt", "readModel" = EXCLUDED."readModel", state = NULL, "lastSeq" = EXCLUDED."lastSeq", "lastHash" = EXCLUDED."lastHash",
            "submittedAt" = EXCLUDED."submittedAt", "decidedAt" = EXCLUDED."decidedAt", "updatedAt" = EXCLUDED."updatedAt"
          WHERE "Case"."lastSeq" < EXCLUDED."lastSeq"
          RETURNING id
        ),
        appended AS (
          INSERT INTO "CaseEvent" ("caseId", seq, at, "actorId", action, "fromStatus", "toStatus", stage, comment, data, "prevHash", hash)
          SELECT e."caseId", e.seq, e.at::timestamp(3), e."actorId", e.action, e."fromStatus"::"CaseStatus", e."toStatus"::"CaseStatus",
            e.stage, e.comment, e.data, e."prevHash", e.hash
          FROM jsonb_to_recordset(${eventRows}::jsonb) AS e("caseId" text, seq int, at text, "actorId" text, action text,
            "fromStatus" text, "toStatus" text, stage text, comment text, data jsonb, "prevHash" text, hash text)
          ON CONFLICT ("caseId", seq) DO NOTHING
        ),
        participated AS (
          INSERT INTO "CaseParticipant" ("caseId", "userId", "orgPath")
          SELECT DISTINCT ${caseId}, e."actorId", ${row.orgPath}
          FROM jsonb_to_recordset(${eventRows}::jsonb) AS e("actorId" text)
          WHERE e."actorId" IS NOT NULL
          ON CONFLICT DO NOTHING
        ),
        unassigned AS (
          DELETE FROM "CaseAssignee"
          WHERE "caseId" = ${caseId} AND NOT ("userId" = ANY(${assignees}::text[])) AND EXISTS (SELECT 1 FROM moved)
        )
        INSERT INTO "CaseAssignee" ("caseId", "userId")
        SELECT ${caseId}, u FROM unnest(${assignees}::text[]) AS u WHERE EXISTS (SELECT 1 FROM moved)
        ON CONFLICT DO NOTHING`;
    },
  };
}
