import fs from 'node:fs';
import path from 'node:path';
import { checkpointMessage, LEDGER_PAGE_DEFAULT, LEDGER_PAGE_FORMAT, type LedgerCheckpoint, type LedgerPage } from '../domain/ledger';
import { signatureCheck, type LedgerSigner } from '../infra/ledger-key';
import type { Store } from '../store';
import { invalid } from './problem';

/**
 * The ledger's signed checkpoints and its export for auditors (docs/ledger.md). The database appends entries;
 * this service, in the API process, signs the head every LEDGER_CHECKPOINT_INTERVAL_S with a key the database
 * never sees, and writes each checkpoint both to PostgreSQL and to a file outside it.
 */
export function createLedgerService(deps: { store: Store; signer: LedgerSigner; checkpointFile?: string; now?: () => Date }) {
  const { store, signer } = deps;
  const now = deps.now ?? (() => new Date());
  /**
   * One page of the export for the offline verifier (npm run ledger:verify): the entries after `after`, at most
   * `limit`, each page saying where it joins the chain and which signed checkpoint covers it.
   */
  async function page(after: number, limit: number): Promise<LedgerPage> {
    const exportedAt = now().toISOString();
    const read = await store.ledger.page(after, limit);
    if (read.prevHash === null) throw invalid(`after: the ledger has no entry #${after} (start at 0, then each page's nextAfter)`);
    const last = read.entries[read.entries.length - 1];
    return {
      format: LEDGER_PAGE_FORMAT,
      exportedAt,
      afterSeq: after,
      prevHash: read.prevHash,
      entries: read.entries,
      checkpoints: read.checkpoints,
      coveredBy: read.coveredBy,
      nextAfter: read.more && last ? last.ledgerSeq : null,
    };
  }

  return {
    publicKey: () => ({ keyId: signer.keyId, algorithm: 'Ed25519' as const, publicKeyPem: signer.publicKeyPem }),

    /** Signs the ledger's head unless the latest checkpoint has it already. Answers the new checkpoint, if any. */
    async checkpoint(): Promise<LedgerCheckpoint | null> {
      const head = await store.ledger.head();
      if (head.headHash === null) return null;
      const latest = await store.ledger.latestCheckpoint();
      if (latest && latest.size >= head.size) return null;
      const unsigned = { size: head.size, headHash: head.headHash, at: now().toISOString() };
      const checkpoint: LedgerCheckpoint = { ...unsigned, keyId: signer.keyId, signature: signer.sign(checkpointMessage(unsigned)) };
      if (!(await store.ledger.addCheckpoint(checkpoint))) return null;
      if (deps.checkpointFile) {
        // One JSON line per checkpoint, appended: a copy the database administrator cannot rewrite from SQL.
        fs.mkdirSync(path.dirname(deps.checkpointFile), { recursive: true });
        fs.appendFileSync(deps.checkpointFile, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
      }
      return checkpoint;
    },

    page,

    /** Every page from the start, one at a time (the test databases' final check reads the ledger this way). */
    async *pages(limit = LEDGER_PAGE_DEFAULT): AsyncGenerator<LedgerPage> {
      for (let after: number | null = 0; after !== null;) {
        const next = await page(after, limit);
        yield next;
        after = next.nextAfter;
      }
    },

    /**
     * The latest signed checkpoint for the audit screen, whether its signature holds under this service's key
     * (false also when it was signed with an earlier key: ledger:verify takes every published key), and how
     * many entries the ledger has now (those after the checkpoint are not yet signed).
     */
    async latest() {
      const [checkpoint, head] = await Promise.all([store.ledger.latestCheckpoint(), store.ledger.head()]);
      const signatureValid = checkpoint
        ? signatureCheck(signer.publicKeyPem)(checkpointMessage(checkpoint), checkpoint.signature, checkpoint.keyId)
        : false;
      return { checkpoint, signatureValid, ledgerSize: head.size };
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
