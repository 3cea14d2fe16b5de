import { policy, type Caller } from '../domain/access';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  ARCHIVE_BUNDLE_FORMAT,
  attachmentEntry,
  documentEntry,
  entriesNotInLedger,
  sha256Hex,
  verifyBundle,
  type ArchiveBundle,
  type ArchivedAttachment,
  type ArchivedDocument,
} from '../domain/archive';
import { bundleStream, BundleFormatError, readBundle, type BundleFile, type ReadBundle } from '../infra/archive-bundle';
import type { Logger } from '../infra/logger';
import type { BundleStore, ObjectStore } from '../infra/object-store';
import type { Store } from '../store';
import type { DocumentService } from './documents';
import { forbidden, notFound, unavailable } from './problem';
import type { TemporalAccess } from './temporal';

export interface ArchiveServiceDeps {
  store: Store;
  /** Where bundles go (ARCHIVE_S3_BUCKET, else ARCHIVE_DIR); null where this process has none configured (tests). */
  bundles: BundleStore | null;
  /** The attachments' S3-compatible store, when their bytes are not in PostgreSQL. */
  attachmentObjects: ObjectStore | null;
  documents: DocumentService;
  temporal: TemporalAccess;
  logger?: Logger;
  /** Who runs the archival, recorded with each archived case (e.g. "npm run archive on host-1"). */
  archivedBy: string;
  now?: () => Date;
}

/** A case's bundle in the archive: a tar file (domain/archive.ts). */
const bundleKey = (caseId: string) => `${caseId}.tar`;

/**
 * Where an archived case's bundle is, by the location its record names: one archived in format v1 is the JSON
 * document `<caseId>.json` (readBundle reads both); it is served as it is, as JSON.
 */
function archivedBundle(caseId: string, bundleLocation: string) {
  return bundleLocation.endsWith('.json')
    ? { key: `${caseId}.json`, mediaType: 'application/json', extension: 'json' }
    : { key: bundleKey(caseId), mediaType: 'application/x-tar', extension: 'tar' };
}

/** The documents are rendered as an auditor would read them: every case is visible to this caller. */
const ARCHIVIST: Caller = {
  id: 'archive',
  name: '档案归档',
  roles: [{ role: 'auditor', orgUnitId: 'root', orgPath: '/', orgLevel: 'province', departmentType: null }],
};

export type RestoreOutcome =
  { caseId: string; restored: true; events: number; attachments: number } | { caseId: string; restored: false; reason: string };

export type ArchiveOutcome =
  { caseId: string; archived: true; location: string; sha256: string; size: number } | { caseId: string; archived: false; reason: string };

/**
 * Archival of closed cases (docs/ledger.md, "Archival"; `npm run archive`): a closed case decided long enough ago
 * is written as a self-verifying bundle, read back and verified, and only then are its rows removed, by
 * archive_case_rows. An archived case answers 410 with its archived record and where its bundle is.
 */
export function createArchiveService(deps: ArchiveServiceDeps) {
  const { store, logger } = deps;
  const bundleStore = (): BundleStore => {
    if (!deps.bundles) throw unavailable('no archive is configured for this process (ARCHIVE_DIR or ARCHIVE_S3_BUCKET)', 60);
    return deps.bundles;
  };
  const now = deps.now ?? (() => new Date());

  /** Where an attachment's bytes come from, as a stream; null for one whose bytes were not stored. */
  function attachmentSource(a: { row: { id: string; storage: string; state: string }; inDatabase: boolean }) {
    if (a.inDatabase) return () => store.archive.contentChunks(a.row.id);
    if (a.row.storage === 's3' && a.row.state === 'stored') {
      const objects = deps.attachmentObjects;
      if (!objects) throw new Error(`attachment ${a.row.id} is in the S3-compatible store, which is not configured`);
      return () => objects.read(a.row.id);
    }
    return null;
  }

  /** The documents the case has, as PDFs (a few per case); a numbered letter only if it was issued (archival issues nothing). */
  async function documentsOf(caseId: string): Promise<{ document: ArchivedDocument; pdf: Buffer }[]> {
    const { items } = await deps.documents.list(ARCHIVIST, caseId);
    const out: { document: ArchivedDocument; pdf: Buffer }[] = [];
    for (const item of items.filter((d) => !d.numbered || d.issued)) {
      const { pdf } = await deps.documents.render(ARCHIVIST, caseId, item.kind);
      const issued = item.numbered ? await store.documents.existing(caseId, item.kind) : null;
      const number = issued ? { issuer: issued.issuer, year: issued.year, number: issued.number } : null;
      const document = {
        kind: item.kind,
        title: item.title,
        number,
        file: documentEntry(item.kind),
        size: pdf.length,
        sha256: sha256Hex(pdf),
      };
      out.push({ document, pdf });
    }
    return out;
  }

  /** Reads a stored bundle through (streamed), checking it by itself: the manifest, or why it is not a good bundle. */
  async function readStored(
    key: string,
    onEntry?: Parameters<typeof readBundle>[1],
  ): Promise<{ read: ReadBundle; problem?: undefined } | { read?: undefined; problem: string }> {
    let read: ReadBundle;
    try {
      read = await readBundle(await bundleStore().get(key), onEntry);
    } catch (err) {
      if (err instanceof BundleFormatError) return { problem: `it is not an archive bundle: ${err.message}` };
      throw err;
    }
    const problems = verifyBundle(read.manifest, read.entries);
    if (problems.length > 0) return { problem: `it does not verify: ${JSON.stringify(problems[0])}` };
    return { read };
  }

  /** Whether the case's workflow is still running (then it may still write to the case: not archived). */
  async function workflowRunning(caseId: string): Promise<boolean> {
    try {
      const description = await deps.temporal.client.workflow.getHandle(caseId).describe();
      return description.status.name === 'RUNNING';
    } catch (err) {
      if ((err as { name?: string }).name === 'WorkflowNotFoundError') return false; // history past its retention
      throw err;
    }
  }

  async function archiveCase(caseId: string): Promise<ArchiveOutcome> {
    const bundles = bundleStore();
    const snapshot = await store.archive.snapshot(caseId);
    if (!snapshot) return { caseId, archived: false, reason: 'no such case' };
    if (await workflowRunning(caseId)) return { caseId, archived: false, reason: 'its workflow is still running' };
    const attachments: ArchivedAttachment[] = [];
    const files: BundleFile[] = [];
    for (const a of snapshot.attachments) {
      const source = attachmentSource(a);
      const r = a.row;
      attachments.push({
        id: r.id,
        name: r.name as string,
        mediaType: r.mediaType as string,
        size: r.size as number,
        sha256: r.sha256 as string,
        kind: r.kind as string | null,
        stage: r.stage as string | null,
        uploaderId: r.uploaderId as string,
        state: r.state,
        createdAt: r.createdAt as string,
        removedAt: r.removedAt as string | null,
        file: source ? attachmentEntry(r.id) : null,
      });
      if (source) files.push({ name: attachmentEntry(r.id), size: r.size as number, open: source });
    }
    const documents = await documentsOf(caseId);
    files.unshift(
      ...documents.map(({ document, pdf }) => ({
        name: document.file,
        size: pdf.length,
        open: async function* () {
          yield pdf;
        },
      })),
    );
    const checkpoint = await store.ledger.latestCheckpoint();
    const bundle: ArchiveBundle = {
      format: ARCHIVE_BUNDLE_FORMAT,
      archivedAt: now().toISOString(),
      case: snapshot.case,
      events: snapshot.events,
      attachments,
      documents: documents.map((d) => d.document),
      ledgerEntries: snapshot.ledgerEntries,
      checkpoint,
      related: snapshot.related,
    };
    // The manifest (chain, ledger entries) is checked before anything is written; the files' bytes are measured as
    // they pass and checked against their recorded SHA-256 when the bundle is read back.
    const recorded = new Map(
      [...attachments, ...bundle.documents].flatMap((f) => (f.file ? [[f.file, { size: f.size, sha256: f.sha256 }]] : [])),
    );
    const problems = verifyBundle(bundle, recorded);
    if (problems.length > 0) return { caseId, archived: false, reason: `the case does not verify: ${JSON.stringify(problems[0])}` };

    const key = bundleKey(caseId);
    const { stream, written } = bundleStream(bundle, files);
    try {
      await bundles.put(key, stream);
    } catch (err) {
      logger?.warn({ caseId, err }, 'archive: the bundle was not written, rows kept');
      return { caseId, archived: false, reason: `the bundle was not written: ${(err as Error).message}` };
    }
    const { sha256, size } = written;
    // Read back what the archive holds, and check it again from those bytes, before anything is removed.
    const stored = await readStored(key);
    if (stored.problem !== undefined) return { caseId, archived: false, reason: `the bundle read back: ${stored.problem}` };
    if (stored.read.file.sha256 !== sha256) return { caseId, archived: false, reason: 'the bundle read back differs from the one written' };

    const location = bundles.location(key);
    const record = {
      lastSeq: snapshot.case.lastSeq,
      lastHash: snapshot.case.lastHash,
      bundleLocation: location,
      bundleSha256: sha256,
      bundleSize: size,
      checkpointSize: checkpoint?.size ?? null,
      archivedBy: deps.archivedBy,
    };
    try {
      await store.archive.remove(caseId, record);
    } catch (err) {
      const reason = (err as Error).message.match(/archive: .*/)?.[0] ?? (err as Error).message;
      logger?.warn({ caseId, location, reason }, 'archive: bundle written, rows kept');
      return { caseId, archived: false, reason };
    }
    logger?.info(
      { caseId, location, sha256, size, events: bundle.events.length, archivedBy: deps.archivedBy },
      'archive: case archived, rows removed',
    );
    // The attachments' objects go once their rows are gone; a failure here leaves only unreferenced bytes.
    for (const a of snapshot.attachments.filter((x) => x.row.storage === 's3' && x.row.state === 'stored')) {
      await deps.attachmentObjects?.delete(a.row.id).catch((err: unknown) => {
        logger?.warn({ caseId, attachmentId: a.row.id, err }, 'archive: an archived attachment object was not deleted');
      });
    }
    return { caseId, archived: true, location, sha256, size };
  }

  /**
   * Brings an archived case's rows back from its bundle (`npm run archive -- restore <caseId>`), for an audit or a
   * court that needs the case in the service again: the bundle must be the one the archival recorded (SHA-256),
   * verify by itself (chain, files, documents, ledger entries), and its ledger entries must be those the ledger
   * holds for the case. Attachments kept in the S3-compatible store go back there first; then the rows, in one
   * transaction. The case stays closed (its workflow ended); its "ArchivedCase" record stays too (append-only),
   * and archival passes over it from then on.
   */
  async function restoreCase(caseId: string): Promise<RestoreOutcome> {
    const row = await store.archive.archived(caseId);
    if (!row) return { caseId, restored: false, reason: 'the case was never archived' };
    if (await store.archive.snapshot(caseId)) return { caseId, restored: false, reason: 'the case is in the database already' };
    // First read: the bundle is the one archived, verifies, and holds the ledger's entries; nothing written yet.
    const { key } = archivedBundle(caseId, row.bundleLocation);
    const checked = await readStored(key);
    if (checked.problem !== undefined) return { caseId, restored: false, reason: `the bundle: ${checked.problem}` };
    const bundle = checked.read.manifest;
    if (checked.read.file.sha256 !== row.bundleSha256)
      return { caseId, restored: false, reason: 'the bundle differs from the one archived (SHA-256)' };
    if (bundle.case.id !== caseId || bundle.case.lastSeq !== row.lastSeq || bundle.case.lastHash !== row.lastHash)
      return { caseId, restored: false, reason: 'the bundle is not the case the archival recorded' };
    const inLedger = await store.archive.ledgerEntriesOf(caseId);
    if (inLedger.length !== bundle.ledgerEntries.length || entriesNotInLedger(bundle, inLedger).length > 0)
      return { caseId, restored: false, reason: "the bundle's ledger entries are not the ledger's" };
    const objects = deps.attachmentObjects;
    const attachments = bundle.attachments.map(({ file, ...rest }) => ({
      ...rest,
      caseId,
      storage: file !== null && objects ? 's3' : 'postgres',
    }));
    const byEntry = new Map(bundle.attachments.filter((a) => a.file !== null).map((a) => [a.file as string, a]));
    // Second read, in the rows' transaction: each file goes back to its store as it passes; the whole file is
    // checked again, and anything that differs from the first read undoes the transaction.
    await store.archive.restore({ case: bundle.case, events: bundle.events, attachments, related: bundle.related }, async (append) => {
      const again = await readBundle(await bundleStore().get(key), async (name, bytes) => {
        const a = byEntry.get(name);
        if (!a) return; // a document: kept in the bundle only
        if (objects) await objects.write(a.id, Readable.from(bytes), a.size, a.mediaType);
        else await append(a.id, bytes);
      });
      if (again.file.sha256 !== row.bundleSha256) throw new Error(`the bundle of case ${caseId} changed while it was restored`);
    });
    logger?.info({ caseId, events: bundle.events.length, attachments: attachments.length }, 'archive: case restored from its bundle');
    return { caseId, restored: true, events: bundle.events.length, attachments: attachments.length };
  }

  return {
    archiveCase,
    restoreCase,

    /** Archives closed cases decided more than `afterDays` ago, oldest first, at most `limit` of them. */
    async run(options: { afterDays: number; limit: number }): Promise<ArchiveOutcome[]> {
      const before = new Date(now().getTime() - options.afterDays * 86_400_000);
      const outcomes: ArchiveOutcome[] = [];
      for (const caseId of await store.archive.candidates(before, options.limit)) outcomes.push(await archiveCase(caseId));
      return outcomes;
    },

    /**
     * The bundle, for auditors: read through once and checked against the SHA-256 the database recorded, then
     * opened again for the caller to stream (so nothing is sent of a bundle that does not match).
     */
    async bundle(
      caller: Caller,
      caseId: string,
    ): Promise<{ open: () => Promise<Readable>; sha256: string; size: number; mediaType: string; extension: string }> {
      if (!policy.canAudit(caller)) throw forbidden('archive bundles are for auditors');
      const row = await store.archive.archived(caseId);
      if (!row) throw notFound('archived case');
      const { key, mediaType, extension } = archivedBundle(caseId, row.bundleLocation);
      const hash = createHash('sha256');
      for await (const chunk of await bundleStore().get(key)) hash.update(chunk as Uint8Array);
      if (hash.digest('hex') !== row.bundleSha256)
        throw new Error(`the archived bundle of case ${caseId} does not match its recorded SHA-256`);
      return { open: () => bundleStore().get(key), sha256: row.bundleSha256, size: row.bundleSize, mediaType, extension };
    },
  };
}

export type ArchiveService = ReturnType<typeof createArchiveService>;
