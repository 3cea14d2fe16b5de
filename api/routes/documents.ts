import { z } from 'zod';
import { contentDisposition } from '../../domain/attachments';
import type { DocumentService } from '../../services/documents';
import { operation } from '../operation';
import { DocumentList, errorResponses } from '../schemas';

/** The official documents of a case, as PDF. */
export function documentOperations(documents: DocumentService) {
  return [
    operation({
      method: 'get',
      path: '/cases/:id/documents',
      operationId: 'listCaseDocuments',
      summary: 'The official documents that exist at this point of the case (审批表, 公示, 认定书, 澄清函, 表彰决定, 通知书)',
      tags: ['documents'],
      params: z.object({ id: z.string().min(1).max(100) }),
      responses: { 200: { description: 'the documents', schema: DocumentList }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: await documents.list(caller, params.id) };
      },
    }),
    operation({
      method: 'get',
      path: '/cases/:id/documents/:kind',
      operationId: 'getCaseDocument',
      summary: 'One official document as PDF (A4, embedded CJK font, 文号 assigned on first issue)',
      tags: ['documents'],
      params: z.object({ id: z.string().min(1).max(100), kind: z.string().min(1).max(60) }),
      responses: {
        200: { description: 'the document', contentType: 'application/pdf', schema: z.string() },
        ...errorResponses(401, 404, 409),
      },
      async handler({ res, caller, params }) {
        const { pdf, filename } = await documents.render(caller, params.id, params.kind);
        res.status(200);
        res.setHeader('Content-Type', 'application/pdf');
        res.setHeader('Content-Length', String(pdf.length));
        res.setHeader('Content-Disposition', contentDisposition('inline', filename));
        res.setHeader('Cache-Control', 'private, no-cache');
        res.end(pdf);
      },
    }),
  ];
}
