import fs from 'node:fs';
import path from 'node:path';
import { checkpointMessage, LEDGER_EXPORT_FORMAT, type LedgerCheckpoint, type LedgerExport } from '../domain/ledger';
import { signatureCheck, type LedgerSigner } from '../infra/ledger-key';
import type { Store } from '../store';

/** Entries read per query while exporting, so an export never holds one huge result set in the driver. */
const EXPORT_PAGE = 5000;

/**
 * The ledger's signed checkpoints and its export for auditors (docs/ledger.md). The database appends entries;
 * this service, in the API process, signs the head every LEDGER_CHECKPOINT_INTERVAL_S with a key the database
 * never sees, and writes each checkpoint both to PostgreSQL and to a file outside it.
 */
export function createLedgerService(deps: { store: Store; signer: LedgerSigner; checkpointFile?: string; now?: () => Date }) {
  const { store, signer } = deps;
  const now = deps.now ?? (() => new Date());
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

    /** Every entry and every checkpoint, for the offline verifier (npm run ledger:verify). */
    async export(): Promise<LedgerExport> {
      const exportedAt = now().toISOString();
      const checkpoints = await store.ledger.checkpoints();
      const entries: LedgerExport['entries'] = [];
      for (;;) {
        const page = await store.ledger.entries(entries.length === 0 ? 0 : entries[entries.length - 1]!.ledgerSeq, EXPORT_PAGE);
        entries.push(...page);
        if (page.length < EXPORT_PAGE) break;
      }
      return { format: LEDGER_EXPORT_FORMAT, exportedAt, entries, checkpoints };
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
