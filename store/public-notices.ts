import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../infra/prisma';

/** A case in 公示 as the public sees it: no ids but the notice's own, no ID numbers, no assessments. */
export interface NoticeRow {
  caseId: string;
  type: string;
  subjectName: string;
  community: string;
  postType: string;
  payload: unknown;
  status: string;
  startedAt: Date;
  dueAt: string | null;
  /** The yearly round (年度晋升) the case is a member of: its street and year; null for a case on its own. */
  roundId: string | null;
  roundStreet: string | null;
  roundYear: number | null;
}

/**
 * The public notices (公示) running now, each with an opaque notice id (created the first time it is listed), and
 * residents' objections with their name and telephone, which stay here: the case's history references them.
 */
export function publicNoticeStore(db: PrismaClient) {
  /** Cases whose notice runs or is paused by an objection under review, with the notice's latest opening. */
  async function running(caseId?: string): Promise<NoticeRow[]> {
    return db.$queryRaw<NoticeRow[]>`
      SELECT c.id AS "caseId", c.type, c."subjectName", ou.name AS community, w."postType"::text AS "postType", c.payload,
        c.status::text AS status, e.at AS "startedAt", e.data->>'dueAt' AS "dueAt",
        g.id AS "roundId", gu.name AS "roundStreet", g.year AS "roundYear"
      FROM "Case" c
      JOIN "OrgUnit" ou ON ou.id = c."orgUnitId"
      JOIN "CommunityWorker" w ON w.id = c."subjectId"
      LEFT JOIN "CaseGroupMember" gm ON gm."caseId" = c.id
      LEFT JOIN "CaseGroup" g ON g.id = gm."groupId"
      LEFT JOIN "OrgUnit" gu ON gu.id = g."orgUnitId"
      JOIN LATERAL (
        SELECT ev.at, ev.data FROM "CaseEvent" ev
        WHERE ev."caseId" = c.id AND ev.action = 'notice_opened' ORDER BY ev.seq DESC LIMIT 1
      ) e ON true
      WHERE c.status IN ('public_notice', 'objection_review') AND (${caseId ?? null}::text IS NULL OR c.id = ${caseId ?? null})
      ORDER BY e.at DESC, c.id
      LIMIT 500`;
  }

  return {
    running,

    /** The opaque ids of these notices, created where missing (one per case and opening). */
    async noticeIds(rows: { caseId: string; startedAt: Date }[]): Promise<Map<string, string>> {
      if (rows.length === 0) return new Map();
      await db.publicNotice.createMany({
        data: rows.map((r) => ({ id: randomUUID(), caseId: r.caseId, startedAt: r.startedAt })),
        skipDuplicates: true,
      });
      const ids = await db.publicNotice.findMany({
        where: { OR: rows.map((r) => ({ caseId: r.caseId, startedAt: r.startedAt })) },
      });
      return new Map(ids.map((n) => [`${n.caseId}@${n.startedAt.toISOString()}`, n.id]));
    },

    /**
     * Marks a challenge answered, once: false when it was answered already (by any API replica). Rows of expired
     * challenges go in the same statement, so the table holds at most the challenges of the last ten minutes.
     */
    async useChallenge(nonce: string, expiresAt: Date): Promise<boolean> {
      const rows = await db.$queryRaw<{ nonce: string }[]>`
        WITH cleared AS (DELETE FROM "UsedChallenge" WHERE "expiresAt" < now())
        INSERT INTO "UsedChallenge" (nonce, "expiresAt") VALUES (${nonce}, ${expiresAt}::timestamp(3))
        ON CONFLICT (nonce) DO NOTHING
        RETURNING nonce`;
      return rows.length === 1;
    },

    async notice(noticeId: string) {
      return db.publicNotice.findUnique({ where: { id: noticeId } });
    },

    /**
     * Where the case of a notice opened at `startedAt` stands now: its status, when it was decided, and how and when
     * that notice ended (completed, cancelled by an upheld objection, or followed by a later notice), null while it has not.
     */
    async standing(
      caseId: string,
      startedAt: Date,
    ): Promise<{ status: string; decidedAt: Date | null; endedBy: string | null; endedAt: Date | null } | null> {
      const [row] = await db.$queryRaw<{ status: string; decidedAt: Date | null; endedBy: string | null; endedAt: Date | null }[]>`
        SELECT c.status::text AS status, c."decidedAt", ended.action AS "endedBy", ended.at AS "endedAt"
        FROM "Case" c
        LEFT JOIN LATERAL (
          SELECT ev.action, ev.at FROM "CaseEvent" ev
          WHERE ev."caseId" = c.id AND ev.at >= ${startedAt}::timestamp(3)
            AND (ev.action IN ('notice_completed', 'notice_cancelled') OR (ev.action = 'notice_opened' AND ev.at > ${startedAt}::timestamp(3)))
          ORDER BY ev.seq ASC LIMIT 1
        ) ended ON true
        WHERE c.id = ${caseId}`;
      return row ?? null;
    },

    async addObjection(o: { id: string; noticeId: string; caseId: string; name: string; telephone: string; content: string }) {
      await db.publicObjection.create({ data: o });
    },

    async objectionRecorded(id: string, objectionId: string | null) {
      await db.publicObjection.update({ where: { id }, data: { recordedAt: new Date(), objectionId } });
    },

    async deleteObjection(id: string) {
      await db.publicObjection.deleteMany({ where: { id } });
    },

    /** Residents' objections to a case, with their contact details, for the staff who review them. */
    async objectionsOf(caseId: string) {
      return db.publicObjection.findMany({ where: { caseId, recordedAt: { not: null } }, orderBy: { createdAt: 'asc' } });
    },
  };
}

export type PublicNoticeStore = ReturnType<typeof publicNoticeStore>;
