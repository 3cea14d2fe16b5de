import { formatCaseNumber } from '../domain/case-numbers';
import type { ChainedEvent, Json } from '../domain/history';
import { progressOf, type RecordedCaseState } from '../domain/process/engine';
import { readModelOf } from '../domain/process/read-model';
import { notificationsOf } from '../domain/notifications';
import type { PrismaClient } from '../infra/prisma';
import { outboxStatements } from './notifications';

/**
 * The projection of a case workflow into PostgreSQL: its events appended to the hash-chained history, the case
 * row (the read model the API answers from), its assignees and its participants. The case workflow writes
 * through the projection activity (activities/projection.ts); the case service writes here too when it repairs
 * a read model from the workflow's own answer (services/cases.ts).
 */

/**
 * Where a write stands among the attempts of the workflow's tasks: the history length when it was handed over
 * and the time its input arrived (a workflow task's start, as the server gave it). Both grow with every later
 * task and every later attempt of a task, compared in that order.
 */
export interface Fence {
  historyLength: number;
  /** ISO 8601. */
  at: string;
}

/** A case's head: its newest event's sequence number and hash (0 and 64 zeros before any). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface EventBatch {
  caseId: string;
  events: ChainedEvent[];
  /** Engine state after the last of these events (its rule set by id only), from which the row is computed. */
  state: RecordedCaseState;
}

export interface FencedBatch extends EventBatch {
  fence: Fence;
  /** The workflow's head before these events, which the stored history must hold. */
  prior: ChainHead;
}

/** What a fenced write did: the stored head after it, and whether an attempt with a newer fence had written already. */
export interface Recorded extends ChainHead {
  written: boolean;
}

/** SQLSTATEs record_case_events raises (prisma/migrations/20261210000000_fenced_projection). */
export const CHAIN_ERRORS = {
  /** The stored history lacks the workflow's head before the batch. */
  missingPrior: 'CH001',
  /** The batch differs from confirmed events. */
  confirmedDiffers: 'CH002',
} as const;

/**
 * The read-model row of a case for its engine state, as the projection writes it (the benchmark's bulk loader
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

/** The `copied` events of a batch (抄送): who each sent a copy to. */
function copiedIn(events: readonly ChainedEvent[]): ChainedEvent[] {
  return events.filter((e) => e.action === 'copied');
}

/**
 * The observers the batch's `copied` events name, each kept with the first copy that reached them, for events the
 * stored history holds (a lost attempt's events are not: record_case_events moved them aside).
 */
function observerStatement(prisma: PrismaClient, caseId: string, copies: ChainedEvent[]) {
  const rows = JSON.stringify(
    copies.flatMap((e) => {
      const data = e.data as { observers?: unknown };
      const observers = Array.isArray(data.observers) ? data.observers.filter((u): u is string => typeof u === 'string') : [];
      return observers.map((userId) => ({ userId, stage: e.stage, seq: e.seq, at: e.at, hash: e.hash }));
    }),
  );
  return prisma.$executeRaw`
    INSERT INTO "CaseObserver" ("caseId", "userId", stage, seq, "copiedAt")
    SELECT ${caseId}, o."userId", o.stage, o.seq, o.at::timestamp(3)
    FROM jsonb_to_recordset(${rows}::jsonb) AS o("userId" text, stage text, seq int, at text, hash text)
    JOIN "CaseEvent" e ON e."caseId" = ${caseId} AND e.seq = o.seq AND e.hash = o.hash
    ON CONFLICT ("caseId", "userId") DO NOTHING`;
}

export function projectionStore(prisma: PrismaClient) {
  return {
    /**
     * Writes a batch under its fence (record_case_events, one round trip): the newest fence wins, events of a lost
     * attempt are moved to DiscardedCaseEvent, and a batch with an older fence changes nothing.
     */
    async record({ caseId, events, state, fence, prior }: FencedBatch): Promise<Recorded> {
      const { row, assignees } = caseReadModel(state, events[events.length - 1]?.at);
      const notifications = notificationsOf(events, { applicantId: state.applicantId, assignees, observers: state.observers ?? [] });
      const copies = copiedIn(events);
      const write = prisma.$queryRaw<{ recorded: Recorded }[]>`
        SELECT record_case_events(${caseId}, ${JSON.stringify(events)}::jsonb, ${JSON.stringify(row)}::jsonb, ${assignees}::text[],
          ${fence.historyLength}::int, ${fence.at}::timestamp(3), ${prior.seq}::int, ${prior.hash}) AS recorded`;
      // The outbox in the same transaction, after the write: only notifications of events the history now holds.
      // The observers (抄送) likewise: only those of `copied` events the history now holds.
      const after = [
        ...outboxStatements(prisma, caseId, notifications),
        ...(copies.length === 0 ? [] : [observerStatement(prisma, caseId, copies)]),
      ];
      const [[result]] = after.length === 0 ? [await write] : await prisma.$transaction([write, ...after]);
      if (!result) throw new Error(`record_case_events returned nothing for case ${caseId}`);
      return result.recorded;
    },

    /**
     * The write of cases started before the fenced projection, as it always was: events keyed by (caseId, seq),
     * the first copy kept; the case row only moves forward. One SQL statement, so one round trip and one implicit
     * transaction. The assignee rows are replaced only when the case row moved forward; rows that stay are left
     * alone (a delete and an insert of the same row cannot share a statement).
     */
    async recordUnfenced({ caseId, events, state }: EventBatch): Promise<void> {
      const { row, assignees } = caseReadModel(state, events[events.length - 1]?.at);
      // Cases started before the fenced projection never send copies (抄送): no observers.
      const notifications = notificationsOf(events, { applicantId: state.applicantId, assignees, observers: [] });
      // jsonb_to_recordset below reads exactly the fields of a ChainedEvent.
      const eventRows = JSON.stringify(events);
      const write = prisma.$executeRaw`
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
          -- Whoever recorded an event, and whoever acted on their behalf (委托, data.delegate): both took part,
          -- and the case is in both people's 已办.
          INSERT INTO "CaseParticipant" ("caseId", "userId", "orgPath")
          SELECT DISTINCT ${caseId}, p."userId", ${row.orgPath}
          FROM jsonb_to_recordset(${eventRows}::jsonb) AS e("actorId" text, data jsonb)
          CROSS JOIN LATERAL (VALUES (e."actorId"), (e.data -> 'delegate' ->> 'userId')) AS p("userId")
          WHERE p."userId" IS NOT NULL
          ON CONFLICT DO NOTHING
        ),
        unassigned AS (
          DELETE FROM "CaseAssignee"
          WHERE "caseId" = ${caseId} AND NOT ("userId" = ANY(${assignees}::text[])) AND EXISTS (SELECT 1 FROM moved)
        )
        INSERT INTO "CaseAssignee" ("caseId", "userId")
        SELECT ${caseId}, u FROM unnest(${assignees}::text[]) AS u WHERE EXISTS (SELECT 1 FROM moved)
        ON CONFLICT DO NOTHING`;
      // The outbox in the same transaction (the first copy of an event is the one kept, and tells).
      if (notifications.length === 0) await write;
      else await prisma.$transaction([write, ...outboxStatements(prisma, caseId, notifications)]);
    },

    /**
     * Marks the case's events up to `head` final when the stored history holds that head: the workflow task that
     * produced it has completed (the head was the answer of a completed Update, or of a closed workflow).
     * Answers whether it holds it, and the case's short number, which the row's first write assigned (so an
     * Update's answer names it without reading the row again).
     */
    async confirm(caseId: string, head: ChainHead): Promise<{ held: boolean; number: string | null }> {
      const rows = await prisma.$queryRaw<{ held: boolean; type: string | null; numberYear: number | null; numberSeq: number | null }[]>`
        WITH held AS (SELECT 1 FROM "CaseEvent" WHERE "caseId" = ${caseId} AND seq = ${head.seq}::int AND hash = ${head.hash}),
        confirmed AS (
          UPDATE "Case" SET "confirmedSeq" = ${head.seq}::int
          WHERE id = ${caseId} AND "confirmedSeq" < ${head.seq}::int AND EXISTS (SELECT 1 FROM held)
        )
        SELECT EXISTS (SELECT 1 FROM held) AS held, c.type, c."numberYear", c."numberSeq"
        FROM (SELECT 1) AS one LEFT JOIN "Case" c ON c.id = ${caseId}`;
      const row = rows[0];
      const number = row?.type == null ? null : formatCaseNumber({ type: row.type, year: row.numberYear, seq: row.numberSeq });
      return { held: row?.held ?? false, number };
    },

    /** Records that the projection gave up on a case's write from `seq` on (the first such write stays noted). */
    async noteBehind(caseId: string, seq: number, reason: string): Promise<void> {
      await prisma.caseProjectionLag.upsert({ where: { caseId }, create: { caseId, seq, reason }, update: { reason } });
    },

    /** Cases whose read model is behind their workflow, oldest first. */
    async behind(take = 100): Promise<{ caseId: string; seq: number; reason: string; since: Date }[]> {
      return prisma.caseProjectionLag.findMany({ orderBy: { since: 'asc' }, take });
    },

    /** How many cases' read models are behind their workflow. */
    async behindCount(): Promise<number> {
      return prisma.caseProjectionLag.count();
    },

    /** Keeps the digest of what a run of the case carries into its next run (continue-as-new). */
    async handOver(caseId: string, digest: string): Promise<void> {
      await prisma.case.update({ where: { id: caseId }, data: { handoverDigest: digest } });
    },

    /** The next run takes over what was handed over: true when the digest is the one kept, which it clears. */
    async takeOver(caseId: string, digest: string): Promise<boolean> {
      const { count } = await prisma.case.updateMany({ where: { id: caseId, handoverDigest: digest }, data: { handoverDigest: null } });
      return count === 1;
    },
  };
}

export type ProjectionStore = ReturnType<typeof projectionStore>;
