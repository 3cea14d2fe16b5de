import { policy } from '../../domain/access';
import { auditEventsQuery, verifyQuery, type AuditService } from '../../services/audit';
import { forbidden } from '../../services/problem';
import { operation } from '../operation';
import { AuditEventPage, Verification, errorResponses } from '../schemas';

/** The auditors' routes. Every read here is recorded. */
export function auditOperations(audit: AuditService) {
  return [
    operation({
      method: 'get',
      path: '/audit/events',
      operationId: 'listAuditEvents',
      summary: 'Every case event, filtered; JSON pages, or one CSV stream with format=csv (auditors)',
      tags: ['audit'],
      query: auditEventsQuery,
      responses: {
        200: {
          description: 'events, oldest first',
          schema: AuditEventPage,
          links: {
            listAuditEvents: { operationId: 'listAuditEvents', parameters: { 'query.cursor': '$response.body#/nextCursor' } },
            getCase: { operationId: 'getCase', parameters: { 'path.id': '$response.body#/items/0/caseId' } },
            verifyChains: { operationId: 'verifyChains', parameters: { 'query.caseId': '$response.body#/items/0/caseId' } },
          },
        },
        ...errorResponses(400, 401, 403),
      },
      async handler({ caller, query, res }) {
        if (!policy.canAudit(caller)) throw forbidden('the audit trail is for auditors');
        if (query.format === 'csv') {
          await audit.streamCsv(caller, query, res);
          return;
        }
        return { body: await audit.events(caller, query) };
      },
    }),
    operation({
      method: 'get',
      path: '/audit/verify',
      operationId: 'verifyChains',
      summary: 'Verify the hash chains: one case (anyone who may see it) or every case (auditors)',
      tags: ['audit'],
      query: verifyQuery,
      responses: { 200: { description: 'the first broken link, if any', schema: Verification }, ...errorResponses(401, 403, 404) },
      async handler({ caller, query }) {
        if (!query.caseId && !policy.canAudit(caller)) throw forbidden('verifying every case is for auditors; pass ?caseId=');
        return { body: await audit.verify(caller, query.caseId) };
      },
    }),
  ];
}
