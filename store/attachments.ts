import type { AttachmentRef, NamedFile } from '../domain/attachments';
import type { PrismaClient } from '../infra/prisma';

/**
 * Attachments' metadata, and their bytes when PostgreSQL keeps them. A file belongs to a case once the case's
 * hash chain holds its `attachment_added` event: the listing joins on the chain, so the metadata can never say
 * more than the history does, whatever failed between storing the bytes and recording the event.
 */

export interface AttachmentRow {
  id: string;
  caseId: string | null;
  uploaderId: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  kind: string | null;
  stage: string | null;
  storage: string;
  state: string;
  createdAt: Date;
  removedAt: Date | null;
}

/** An attachment of a case as its history holds it: recorded when, and removed or not. */
export interface CaseAttachment extends AttachmentRow {
  seq: number;
  attachedAt: Date;
  removed: boolean;
}

export type NewAttachment = Omit<AttachmentRow, 'state' | 'createdAt' | 'removedAt'>;

const recorded = (action: 'attachment_added' | 'attachment_removed') => `EXISTS (SELECT 1 FROM "CaseEvent" e
  WHERE e."caseId" = a."caseId" AND e.action = '${action}' AND e.data->>'attachmentId' = a.id)`;

export const attachmentRef = (row: AttachmentRow): AttachmentRef => ({
  id: row.id,
  name: row.name,
  mediaType: row.mediaType,
  size: row.size,
  sha256: row.sha256,
  kind: row.kind,
});

export function attachmentStore(db: PrismaClient) {
  return {
    /** Metadata and bytes in one transaction: in PostgreSQL nothing is ever half stored. */
    async createWithBytes(row: NewAttachment, bytes: Uint8Array): Promise<void> {
      await db.$transaction([
        db.attachment.create({ data: { ...row, state: 'stored' } }),
        db.attachmentContent.create({ data: { attachmentId: row.id, bytes: new Uint8Array(bytes) } }),
      ]);
    },

    /** Metadata first, marked uploading, before the bytes go to the object store (an orphan if it stays so). */
    async createUploading(row: NewAttachment): Promise<void> {
      await db.attachment.create({ data: { ...row, state: 'uploading' } });
    },

    async markStored(id: string): Promise<void> {
      await db.attachment.update({ where: { id }, data: { state: 'stored' } });
    },

    async find(id: string): Promise<AttachmentRow | null> {
      return db.attachment.findUnique({ where: { id } });
    },

    /** The files a submission or an action names, with whether their case's history holds them. */
    async named(ids: string[]): Promise<NamedFile[]> {
      return db.$queryRawUnsafe<NamedFile[]>(
        `SELECT a.id, a."uploaderId", a."caseId", a.state, ${recorded('attachment_added')} AS recorded FROM "Attachment" a WHERE a.id = ANY($1::text[])`,
        ids,
      );
    },

    async bytes(id: string): Promise<Uint8Array | null> {
      const row = await db.attachmentContent.findUnique({ where: { attachmentId: id } });
      return row ? new Uint8Array(row.bytes) : null;
    },

    /** Whether the case's history holds the file's attachment_added event, and its attachment_removed event. */
    async recordedState(id: string): Promise<{ added: boolean; removed: boolean }> {
      const rows = await db.$queryRawUnsafe<{ added: boolean; removed: boolean }[]>(
        `SELECT ${recorded('attachment_added')} AS added, ${recorded('attachment_removed')} AS removed FROM "Attachment" a WHERE a.id = $1`,
        id,
      );
      return rows[0] ?? { added: false, removed: false };
    },

    /** The files of a case as its history holds them, oldest first (removed ones with `removed`). */
    async ofCase(caseId: string): Promise<CaseAttachment[]> {
      return db.$queryRawUnsafe<CaseAttachment[]>(
        // The stage is the one the history recorded (an upload names none, or the current one).
        `SELECT a.id, a."caseId", a."uploaderId", a.name, a."mediaType", a.size, a.sha256, a.kind, e.stage, a.storage, a.state,
           a."createdAt", a."removedAt", e.seq, e.at AS "attachedAt", ${recorded('attachment_removed')} AS removed
         FROM "Attachment" a
         JOIN "CaseEvent" e ON e."caseId" = a."caseId" AND e.action = 'attachment_added' AND e.data->>'attachmentId' = a.id
         WHERE a."caseId" = $1
         ORDER BY e.seq`,
        caseId,
      );
    },

    /** Bytes the case holds: its recorded files not removed, and those claimed for it but not yet recorded. */
    async caseBytes(caseId: string): Promise<number> {
      const rows = await db.$queryRawUnsafe<{ total: bigint | null }[]>(
        `SELECT sum(a.size) AS total FROM "Attachment" a WHERE a."caseId" = $1 AND a.state = 'stored' AND NOT ${recorded('attachment_removed')}`,
        caseId,
      );
      return Number(rows[0]?.total ?? 0);
    },

    /**
     * Claims the uploader's stored, unrecorded files for a case (a submission or an action names them); the
     * ones already claimed for this case count too, so a retried request claims the same files again. Returns
     * the rows claimed; fewer than asked means some id is not the caller's pending upload.
     */
    async claim(ids: string[], uploaderId: string, caseId: string): Promise<AttachmentRow[]> {
      return db.$queryRawUnsafe<AttachmentRow[]>(
        `UPDATE "Attachment" a SET "caseId" = $3
         WHERE a.id = ANY($1::text[]) AND a."uploaderId" = $2 AND a.state = 'stored'
           AND (a."caseId" IS NULL OR (a."caseId" = $3 AND NOT ${recorded('attachment_added')}))
         RETURNING a.*`,
        ids,
        uploaderId,
        caseId,
      );
    },

    /** Gives claimed files back to their uploader when the case did not record them (a refused action). */
    async release(ids: string[], caseId: string): Promise<void> {
      await db.$executeRawUnsafe(
        `UPDATE "Attachment" a SET "caseId" = NULL WHERE a.id = ANY($1::text[]) AND a."caseId" = $2 AND NOT ${recorded('attachment_added')}`,
        ids,
        caseId,
      );
    },

    /** A file the case's history removed: its bytes go (PostgreSQL's here; the object store's by the caller). */
    async markRemoved(id: string): Promise<void> {
      await db.$transaction([
        db.attachmentContent.deleteMany({ where: { attachmentId: id } }),
        db.attachment.update({ where: { id }, data: { state: 'removed', removedAt: new Date() } }),
      ]);
    },

    /** Deletes a file that never reached a case (its bytes with it, in PostgreSQL). */
    async delete(id: string): Promise<void> {
      await db.attachment.deleteMany({ where: { id } });
    },

    /**
     * What the clean-up removes: uploads whose bytes never arrived (still uploading) and pending files nobody
     * attached, older than `before`; and files whose removal is on record but whose bytes are still kept.
     */
    async stale(before: Date): Promise<{ orphans: AttachmentRow[]; removed: AttachmentRow[] }> {
      const orphans = await db.$queryRawUnsafe<AttachmentRow[]>(
        `SELECT a.* FROM "Attachment" a
         WHERE a."createdAt" < $1 AND (a.state = 'uploading' OR (a.state = 'stored' AND NOT ${recorded('attachment_added')}))`,
        before,
      );
      const removed = await db.$queryRawUnsafe<AttachmentRow[]>(
        `SELECT a.* FROM "Attachment" a WHERE a.state = 'stored' AND a."caseId" IS NOT NULL AND ${recorded('attachment_removed')}`,
      );
      return { orphans, removed };
    },
  };
}

export type AttachmentStore = ReturnType<typeof attachmentStore>;
