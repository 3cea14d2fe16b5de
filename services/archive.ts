import { policy, type Caller } from '../domain/access';
import {
  ARCHIVE_BUNDLE_FORMAT,
  entriesNotInLedger,
  bundleBytes,
  sha256Hex,
  verifyBundle,
  type ArchiveBundle,
  type ArchivedAttachment,
  type ArchivedDocument,
} from '../domain/archive';
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

  async function attachmentBytes(a: { row: { id: string; storage: string; state: string }; bytes: Uint8Array | null }) {
    if (a.bytes) return a.bytes;
    if (a.row.storage === 's3' && a.row.state === 'stored') {
      if (!deps.attachmentObjects) throw new Error(`attachment ${a.row.id} is in the S3-compatible store, which is not configured`);
      return deps.attachmentObjects.get(a.row.id);
    }
    return null;
  }

  /** The documents the case has, as PDFs; a numbered letter only if it was issued (archival issues nothing). */
  async function documentsOf(caseId: string): Promise<ArchivedDocument[]> {
    const { items } = await deps.documents.list(ARCHIVIST, caseId);
    const out: ArchivedDocument[] = [];
    for (const item of items.filter((d) => !d.numbered || d.issued)) {
      const { pdf } = await deps.documents.render(ARCHIVIST, caseId, item.kind);
      const issued = item.numbered ? await store.documents.existing(caseId, item.kind) : null;
      const number = issued ? { issuer: issued.issuer, year: issued.year, number: issued.number } : null;
      out.push({ kind: item.kind, title: item.title, number, pdf: pdf.toString('base64'), sha256: sha256Hex(pdf) });
    }
    return out;
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
    for (const a of snapshot.attachments) {
      const bytes = await attachmentBytes(a);
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
        bytes: bytes ? Buffer.from(bytes).toString('base64') : null,
      });
    }
    const checkpoint = await store.ledger.latestCheckpoint();
    const bundle: ArchiveBundle = {
      format: ARCHIVE_BUNDLE_FORMAT,
      archivedAt: now().toISOString(),
      case: snapshot.case,
      events: snapshot.events,
      attachments,
      documents: await documentsOf(caseId),
      ledgerEntries: snapshot.ledgerEntries,
      checkpoint,
      related: snapshot.related,
    };
    const problems = verifyBundle(bundle);
    if (problems.length > 0) return { caseId, archived: false, reason: `the case does not verify: ${JSON.stringify(problems[0])}` };

    const bytes = bundleBytes(bundle);
    const sha256 = sha256Hex(bytes);
    const key = `${caseId}.json`;
    await bundles.put(key, bytes, sha256);
    // Read back what the archive holds, and check it again from those bytes, before anything is removed.
    const stored = await bundles.get(key);
    if (sha256Hex(stored) !== sha256) return { caseId, archived: false, reason: 'the bundle read back differs from the one written' };
    const reread = verifyBundle(JSON.parse(Buffer.from(stored).toString('utf8')) as ArchiveBundle);
    if (reread.length > 0) return { caseId, archived: false, reason: `the bundle read back does not verify: ${JSON.stringify(reread[0])}` };

    const location = bundles.location(key);
    const record = {
      lastSeq: snapshot.case.lastSeq,
      lastHash: snapshot.case.lastHash,
      bundleLocation: location,
      bundleSha256: sha256,
      bundleSize: bytes.length,
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
      { caseId, location, sha256, size: bytes.length, events: bundle.events.length, archivedBy: deps.archivedBy },
      'archive: case archived, rows removed',
    );
    // The attachments' objects go once their rows are gone; a failure here leaves only unreferenced bytes.
    for (const a of snapshot.attachments.filter((x) => x.row.storage === 's3' && x.row.state === 'stored')) {
      await deps.attachmentObjects?.delete(a.row.id).catch((err: unknown) => {
        logger?.warn({ caseId, attachmentId: a.row.id, err }, 'archive: an archived attachment object was not deleted');
      });
    }
    return { caseId, archived: true, location, sha256, size: bytes.length };
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
    const stored = await bundleStore().get(`${caseId}.json`);
    if (sha256Hex(stored) !== row.bundleSha256)
      return { caseId, restored: false, reason: 'the bundle differs from the one archived (SHA-256)' };
    const bundle = JSON.parse(Buffer.from(stored).toString('utf8')) as ArchiveBundle;
    const problems = verifyBundle(bundle);
    if (problems.length > 0) return { caseId, restored: false, reason: `the bundle does not verify: ${JSON.stringify(problems[0])}` };
    if (bundle.case.id !== caseId || bundle.case.lastSeq !== row.lastSeq || bundle.case.lastHash !== row.lastHash)
      return { caseId, restored: false, reason: 'the bundle is not the case the archival recorded' };
    const inLedger = await store.archive.ledgerEntriesOf(caseId);
    if (inLedger.length !== bundle.ledgerEntries.length || entriesNotInLedger(bundle, inLedger).length > 0)
      return { caseId, restored: false, reason: "the bundle's ledger entries are not the ledger's" };
    const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
    const attachments = bundle.attachments.map(({ bytes, ...rest }) => ({
      row: { ...rest, caseId, storage: bytes !== null && deps.attachmentObjects ? 's3' : 'postgres' },
      bytes: bytes === null ? null : fromBase64(bytes),
    }));
    for (const a of attachments.filter((x) => x.row.storage === 's3' && x.bytes))
      await deps.attachmentObjects?.put(a.row.id, a.bytes as Uint8Array, a.row.mediaType, a.row.sha256);
    await store.archive.restore({ case: bundle.case, events: bundle.events, attachments, related: bundle.related });
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

    /** The bundle's bytes, for auditors: checked against the SHA-256 the database recorded before they are sent. */
    async bundle(caller: Caller, caseId: string): Promise<{ bytes: Uint8Array; sha256: string }> {
      if (!policy.canAudit(caller)) throw forbidden('archive bundles are for auditors');
      const row = await store.archive.archived(caseId);
      if (!row) throw notFound('archived case');
      const bytes = await bundleStore().get(`${caseId}.json`);
      if (sha256Hex(bytes) !== row.bundleSha256)
        throw new Error(`the archived bundle of case ${caseId} does not match its recorded SHA-256`);
      return { bytes, sha256: row.bundleSha256 };
    },
  };
}

export type ArchiveService = ReturnType<typeof createArchiveService>;
