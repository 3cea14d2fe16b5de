import { createHash, randomUUID } from 'node:crypto';
import { policy, type Caller } from '../domain/access';
import { refuseNamedFiles, sanitizeFileName, type AttachmentRef } from '../domain/attachments';
import type { AttachmentCommand } from '../domain/process/engine';
import { isFinal } from '../domain/process/vocabulary';
import { ATTACHMENT_TYPES, sniffAttachment } from '../infra/file-types';
import type { ObjectStore } from '../infra/object-store';
import type { Store } from '../store';
import { attachmentRef, type AttachmentRow } from '../store/attachments';
import { attachmentsUpdate } from '../workflows/messages';
import { missingCase } from './archived-cases';
import { HttpProblem, forbidden, invalid, notFound } from './problem';
import { callTemporal, type TemporalAccess } from './temporal';

/**
 * Attachments (附件): files are checked by their bytes, stored (PostgreSQL, or the S3-compatible store), and
 * recorded in the case's hash chain through the case workflow, which receives only their references. A file
 * uploaded to a case is recorded at once; one uploaded on its own waits as the caller's pending file until a
 * submission or an action names it (one request carries the bytes, the other the decision, and a decision's
 * Idempotency-Key never has to cover a file). Whatever fails between storing and recording, nothing the case
 * shows is half there: the listing reads the hash chain, and the clean-up deletes what no case recorded.
 */

export interface AttachmentLimits {
  maxFileBytes: number;
  maxCaseBytes: number;
  pendingHours: number;
}

export interface AttachmentServiceDeps {
  store: Pick<Store, 'attachments' | 'cases' | 'archive'>;
  temporal: TemporalAccess;
  /** The S3-compatible store; null: bytes in PostgreSQL. */
  objects: ObjectStore | null;
  limits: AttachmentLimits;
}

export interface Upload {
  /** The name the client gave (sanitised before it is stored). */
  filename: string;
  bytes: Uint8Array;
  kind?: string;
  stage?: string;
}

const unavailable = (what: string, err: unknown) =>
  new HttpProblem('dependency-unavailable', `the attachment store is unavailable (${what}: ${(err as Error).message})`);

export function createAttachmentService({ store, temporal, objects, limits }: AttachmentServiceDeps) {
  async function visibleCase(caller: Caller, caseId: string) {
    const row = await store.cases.visible(caller, caseId);
    if (!row) throw await missingCase(store, caller, caseId);
    return row;
  }

  function view(row: AttachmentRow, extra: { attachedAt?: Date; seq?: number; removed?: boolean } = {}) {
    return {
      id: row.id,
      caseId: row.caseId,
      name: row.name,
      mediaType: row.mediaType,
      size: row.size,
      sha256: row.sha256,
      kind: row.kind,
      stage: row.stage,
      uploaderId: row.uploaderId,
      uploadedAt: row.createdAt.toISOString(),
      attachedAt: extra.attachedAt?.toISOString() ?? null,
      seq: extra.seq ?? null,
      removed: extra.removed ?? row.state === 'removed',
      contentUrl: `/api/v1/attachments/${row.id}/content`,
    };
  }

  /** Checks the bytes and stores them with their metadata; returns the stored row (not yet on any case). */
  async function store_(caller: Caller, upload: Upload, caseId: string | null): Promise<AttachmentRow> {
    if (upload.bytes.length > limits.maxFileBytes) {
      throw new HttpProblem('payload-too-large', `the file exceeds the limit of ${limits.maxFileBytes} bytes per file`);
    }
    const sniffed = sniffAttachment(upload.bytes);
    if (!sniffed.ok) {
      const type = upload.bytes.length === 0 || /truncated|damaged/.test(sniffed.problem) ? 'invalid-request' : 'unsupported-media-type';
      throw new HttpProblem(type, sniffed.problem);
    }
    const row = {
      id: randomUUID(),
      caseId,
      uploaderId: caller.id,
      name: sanitizeFileName(upload.filename, ATTACHMENT_TYPES[sniffed.type].extension),
      mediaType: sniffed.mediaType,
      size: upload.bytes.length,
      sha256: createHash('sha256').update(upload.bytes).digest('hex'),
      kind: upload.kind?.trim() || null,
      stage: upload.stage ?? null,
      storage: objects ? 's3' : 'postgres',
    };
    if (!objects) {
      await store.attachments.createWithBytes(row, upload.bytes);
    } else {
      // Metadata first (uploading), then the bytes, then stored: a crash in between leaves an uploading row the
      // clean-up finds, never bytes nobody knows of.
      await store.attachments.createUploading(row);
      try {
        await objects.put(row.id, upload.bytes, row.mediaType, row.sha256);
      } catch (err) {
        await store.attachments.delete(row.id);
        throw unavailable('storing the file', err);
      }
      await store.attachments.markStored(row.id);
    }
    return { ...row, state: 'stored', createdAt: new Date(), removedAt: null };
  }

  /** Deletes a stored file no case recorded (its bytes first, so no object outlives its row). */
  async function discard(row: Pick<AttachmentRow, 'id' | 'storage'>) {
    if (row.storage === 's3' && objects) await objects.delete(row.id);
    await store.attachments.delete(row.id);
  }

  async function checkCaseRoom(caseId: string, adding: number) {
    const used = await store.attachments.caseBytes(caseId);
    if (used + adding > limits.maxCaseBytes) {
      throw new HttpProblem('payload-too-large', `the case's files would exceed the limit of ${limits.maxCaseBytes} bytes per case`);
    }
  }

  async function sendUpdate(caseId: string, command: AttachmentCommand, updateId: string) {
    // The time of the change is when it reached the service, the same in every resend of the Update.
    const requestedAt = new Date().toISOString();
    try {
      await callTemporal(
        temporal,
        () => temporal.client.workflow.getHandle(caseId).executeUpdate(attachmentsUpdate, { args: [command, { requestedAt }], updateId }),
        { workflowId: caseId },
      );
    } catch (err) {
      if (err instanceof HttpProblem && err.type === 'not-found') throw new HttpProblem('conflict', 'the case is closed');
      throw err;
    }
  }

  return {
    /** A file on its own, pending until a submission or an action names it. */
    async uploadPending(caller: Caller, upload: Upload) {
      if (!policy.canActOnCases(caller)) throw forbidden('auditors and administrators do not attach files');
      return view(await store_(caller, upload, null));
    },

    /** A file uploaded to a case: stored, then recorded in the case's history at once. */
    async uploadToCase(caller: Caller, caseId: string, upload: Upload) {
      const kase = await visibleCase(caller, caseId);
      if (!policy.canActOnCases(caller)) throw forbidden('auditors and administrators do not attach files');
      if (isFinal(kase.status)) throw new HttpProblem('conflict', `the case is ${kase.status}; it takes no more papers`);
      await checkCaseRoom(caseId, upload.bytes.length);
      const row = await store_(caller, upload, caseId);
      try {
        await sendUpdate(
          caseId,
          { op: 'add', actorId: caller.id, stage: upload.stage ?? null, files: [attachmentRef(row)] },
          `attach:${row.id}`,
        );
      } catch (err) {
        // Refused or failed: the file is no part of the case, so it goes (the chain never named it).
        if (!(await store.attachments.recordedState(row.id)).added) await discard(row);
        throw err;
      }
      const recorded = (await store.attachments.ofCase(caseId)).find((a) => a.id === row.id);
      return recorded ? view(recorded, recorded) : view(row);
    },

    /** The files of a case its history holds, with those removed marked. */
    async list(caller: Caller, caseId: string) {
      await visibleCase(caller, caseId);
      const rows = await store.attachments.ofCase(caseId);
      return { items: rows.map((r) => view(r, r)) };
    },

    /** A file's bytes, for whoever sees its case (or the uploader, while it is pending). */
    async content(caller: Caller, id: string) {
      const row = await store.attachments.find(id);
      if (!row || row.state !== 'stored') throw notFound('attachment');
      const { added, removed } = await store.attachments.recordedState(id);
      if (added) {
        if (removed) throw notFound('attachment');
        await visibleCase(caller, row.caseId as string);
      } else if (row.uploaderId !== caller.id) {
        throw notFound('attachment');
      }
      let bytes: Uint8Array | null;
      try {
        bytes = row.storage === 's3' && objects ? await objects.get(id) : await store.attachments.bytes(id);
      } catch (err) {
        throw unavailable('reading the file', err);
      }
      if (!bytes) throw notFound('attachment');
      return { row, bytes };
    },

    /** Removal by the uploader before the stage closes: recorded in the history, then the bytes go. */
    async remove(caller: Caller, id: string, comment?: string) {
      const row = await store.attachments.find(id);
      if (!row || !row.caseId) throw notFound('attachment');
      await visibleCase(caller, row.caseId);
      const { added, removed } = await store.attachments.recordedState(id);
      if (!added) {
        if (row.uploaderId !== caller.id) throw notFound('attachment');
        throw new HttpProblem('conflict', 'the file is not on the case yet');
      }
      if (removed) throw new HttpProblem('conflict', 'the file was already removed');
      await sendUpdate(row.caseId, { op: 'remove', actorId: caller.id, attachmentId: id, comment }, `detach:${id}`);
      if (row.storage === 's3' && objects) await objects.delete(id);
      await store.attachments.markRemoved(id);
    },

    /**
     * The references of the caller's pending files a submission or an action names, claimed for the case.
     * Refuses, naming the problem, what refuseNamedFiles refuses, and files beyond the case's limit.
     */
    async claim(caller: Caller, caseId: string, ids: string[] | undefined): Promise<AttachmentRef[] | undefined> {
      if (!ids?.length) return undefined;
      const refuse = (message: string) => invalid(message, [{ field: 'attachments', message }]);
      const named = await store.attachments.named(ids);
      const problem = refuseNamedFiles(ids, new Map(named.map((f) => [f.id, f])), caller.id, caseId);
      if (problem) throw refuse(problem);
      const rows = await store.attachments.claim(ids, caller.id, caseId);
      if (rows.length !== ids.length) {
        await store.attachments.release(ids, caseId);
        // Checked above: another request attached or removed one of them in between.
        throw new HttpProblem('conflict', 'attachments: a file named was attached or removed by another request meanwhile; try again');
      }
      try {
        // The claimed files count already; the case's total must stay within its limit.
        await checkCaseRoom(caseId, 0);
      } catch (err) {
        await store.attachments.release(ids, caseId);
        throw err;
      }
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => attachmentRef(byId.get(id) as AttachmentRow));
    },

    /** Gives back files claimed for a case that did not record them. */
    async release(caseId: string, refs: AttachmentRef[] | undefined) {
      if (refs?.length)
        await store.attachments.release(
          refs.map((r) => r.id),
          caseId,
        );
    },

    /**
     * Deletes uploads that never reached a case within the pending time (bytes stored without metadata marked
     * stored, pending files nobody attached), and the bytes of files whose removal is on record.
     */
    async cleanUp(now = new Date()) {
      const { orphans, removed } = await store.attachments.stale(new Date(now.getTime() - limits.pendingHours * 3_600_000));
      for (const row of orphans) await discard(row);
      for (const row of removed) {
        if (row.storage === 's3' && objects) await objects.delete(row.id);
        await store.attachments.markRemoved(row.id);
      }
      return { orphans: orphans.length, removed: removed.length };
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
