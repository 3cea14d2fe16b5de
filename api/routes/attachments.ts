import { z } from 'zod';
import { contentDisposition } from '../../domain/attachments';
import type { AttachmentService } from '../../services/attachments';
import { readUpload } from '../multipart';
import { operation } from '../operation';
import { Attachment, AttachmentList, errorResponses } from '../schemas';

const caseId = z.object({ id: z.string().min(1).max(100) });
const attachmentId = z.object({ id: z.string().min(1).max(100) });

const uploadSchema = {
  type: 'object',
  required: ['file'],
  properties: {
    file: { type: 'string', format: 'binary', description: 'PDF, OFD, JPEG, PNG, DOCX or XLSX, told by its bytes' },
    kind: { type: 'string', maxLength: 40, description: '考核表, 证书, 会议纪要, 情况说明, ...' },
    stage: { type: 'string', maxLength: 100, description: "the case's current stage (the default)" },
  },
};

/** Types a browser may show inline; anything else is sent as a download. */
const INLINE = new Set(['application/pdf', 'image/jpeg', 'image/png']);

/** Attachments: uploading (to a case, or pending for a submission or an action), listing, reading, removing. */
export function attachmentOperations(attachments: AttachmentService, maxFileBytes: number) {
  const fieldsOf = (fields: Record<string, string>) => ({
    kind: fields.kind?.slice(0, 40) || undefined,
    stage: fields.stage || undefined,
  });
  return [
    operation({
      method: 'post',
      path: '/cases/:id/attachments',
      operationId: 'uploadCaseAttachment',
      summary: "Attach a file to a case (recorded in the case's history at once)",
      description:
        'multipart/form-data with the field `file`, and optionally `kind` and `stage`. The type is told by the bytes; the name is sanitised.',
      tags: ['attachments'],
      params: caseId,
      rawBody: { contentType: 'multipart/form-data', schema: uploadSchema },
      responses: {
        201: { description: 'the attachment, on record', schema: Attachment },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 503),
      },
      async handler({ req, caller, params }) {
        const upload = await readUpload(req, maxFileBytes);
        const view = await attachments.uploadToCase(caller, params.id, {
          filename: upload.filename,
          bytes: upload.bytes,
          ...fieldsOf(upload.fields),
        });
        return { status: 201, body: view, headers: { Location: view.contentUrl } };
      },
    }),
    operation({
      method: 'post',
      path: '/attachments',
      operationId: 'uploadAttachment',
      summary: 'Upload a file to attach with a submission or an action (pending until one names it in `attachments`)',
      tags: ['attachments'],
      rawBody: { contentType: 'multipart/form-data', schema: uploadSchema },
      responses: {
        201: { description: 'the pending attachment', schema: Attachment },
        ...errorResponses(400, 401, 403, 413, 415, 429, 503),
      },
      async handler({ req, caller }) {
        const upload = await readUpload(req, maxFileBytes);
        const view = await attachments.uploadPending(caller, {
          filename: upload.filename,
          bytes: upload.bytes,
          ...fieldsOf(upload.fields),
        });
        return { status: 201, body: view, headers: { Location: view.contentUrl } };
      },
    }),
    operation({
      method: 'get',
      path: '/cases/:id/attachments',
      operationId: 'listCaseAttachments',
      summary: "A case's attachments, as its history holds them",
      tags: ['attachments'],
      params: caseId,
      responses: { 200: { description: 'every attachment, oldest first', schema: AttachmentList }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: await attachments.list(caller, params.id) };
      },
    }),
    operation({
      method: 'get',
      path: '/attachments/:id/content',
      operationId: 'getAttachmentContent',
      summary: "An attachment's bytes (inline for PDF and images, else as a download; ?download=1 always downloads)",
      tags: ['attachments'],
      params: attachmentId,
      query: z.object({ download: z.enum(['0', '1']).optional() }),
      responses: {
        200: { description: 'the file', contentType: 'application/octet-stream', schema: z.string() },
        ...errorResponses(400, 401, 404, 503),
      },
      async handler({ res, caller, params, query }) {
        const { row, bytes } = await attachments.content(caller, params.id);
        const inline = INLINE.has(row.mediaType) && query.download !== '1';
        res.status(200);
        res.setHeader('Content-Type', row.mediaType);
        res.setHeader('Content-Length', String(bytes.length));
        res.setHeader('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', row.name));
        res.setHeader('ETag', `"${row.sha256}"`);
        res.setHeader('Cache-Control', 'private, no-cache');
        // An uploaded file is shown, never run: no scripts even if a browser were to render it as a page.
        res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
        res.end(Buffer.from(bytes));
      },
    }),
    operation({
      method: 'delete',
      path: '/attachments/:id',
      operationId: 'removeAttachment',
      summary: 'Remove an attachment you attached, before its stage closes (recorded in the history)',
      tags: ['attachments'],
      params: attachmentId,
      query: z.object({ comment: z.string().max(4000).optional() }),
      responses: { 204: { description: 'removed' }, ...errorResponses(401, 403, 404, 409, 429, 503) },
      async handler({ caller, params, query }) {
        await attachments.remove(caller, params.id, query.comment);
        return { status: 204 };
      },
    }),
  ];
}
