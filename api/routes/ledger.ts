import { policy } from '../../domain/access';
import type { LedgerService } from '../../services/ledger';
import { forbidden } from '../../services/problem';
import { operation } from '../operation';
import { LedgerLatestCheckpoint, LedgerPage, LedgerPageQuery, LedgerPublicKey, errorResponses } from '../schemas';

/** The event ledger (docs/ledger.md): its public key for anyone, its export for auditors. */
export function ledgerOperations(ledger: LedgerService) {
  return [
    operation({
      method: 'get',
      path: '/ledger/public-key',
      operationId: 'getLedgerPublicKey',
      summary: 'The Ed25519 public key that verifies the ledger’s signed checkpoints (public)',
      tags: ['audit'],
      public: true,
      responses: { 200: { description: 'the key and its id (SHA-256 of its SPKI DER)', schema: LedgerPublicKey } },
      async handler() {
        return { body: ledger.publicKey() };
      },
    }),
    operation({
      method: 'get',
      path: '/ledger/checkpoints/latest',
      operationId: 'getLatestLedgerCheckpoint',
      summary: 'The latest signed checkpoint of the ledger and whether its signature holds (auditors)',
      tags: ['audit'],
      responses: { 200: { description: 'the checkpoint, or null', schema: LedgerLatestCheckpoint }, ...errorResponses(401, 403) },
      async handler({ caller }) {
        if (!policy.canAudit(caller)) throw forbidden('the ledger is for auditors');
        return { body: await ledger.latest() };
      },
    }),
    operation({
      method: 'get',
      path: '/ledger/export',
      operationId: 'exportLedger',
      summary: 'The ledger’s entries and signed checkpoints, a page at a time, for npm run ledger:verify (auditors)',
      tags: ['audit'],
      query: LedgerPageQuery,
      responses: {
        200: {
          description: 'one page: its entries, where it joins the chain, the checkpoints in it and the one covering it',
          schema: LedgerPage,
          links: { exportLedger: { operationId: 'exportLedger', parameters: { 'query.after': '$response.body#/nextAfter' } } },
        },
        ...errorResponses(400, 401, 403),
      },
      async handler({ caller, query }) {
        if (!policy.canAudit(caller)) throw forbidden('the ledger export is for auditors');
        return { body: await ledger.page(query.after, query.limit) };
      },
    }),
  ];
}
