import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { ArchiveService } from '../../services/archive';
import { operation } from '../operation';
import { errorResponses } from '../schemas';

/** Archived cases' bundles, for auditors (docs/ledger.md, "Archival"). */
export function archiveOperations(archive: ArchiveService) {
  return [
    operation({
      method: 'get',
      path: '/archive/cases/:id/bundle',
      operationId: 'getArchiveBundle',
      summary: 'The archive bundle of an archived case (auditors): its events, attachments, documents and ledger entries',
      description:
        'A self-verifying tar file (format community-worker-cases/archive-bundle/v2: bundle.json, then the documents and attachments), checked against the SHA-256 recorded at archival before it is sent; `npm run archive -- verify` checks it offline. A case archived in format v1 is served as it was written: one JSON document (application/json, <id>.json) that the same command verifies.',
      tags: ['audit'],
      params: z.object({ id: z.string().min(1).max(100) }),
      responses: {
        200: { description: 'the bundle', contentType: 'application/x-tar', schema: z.string() },
        ...errorResponses(401, 403, 404, 503),
      },
      async handler({ res, caller, params }) {
        const { open, sha256, size, mediaType, extension } = await archive.bundle(caller, params.id);
        const bytes = await open();
        res.status(200);
        res.setHeader('Content-Type', mediaType);
        res.setHeader('Content-Length', String(size));
        res.setHeader('Content-Disposition', `attachment; filename="${params.id.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}"`);
        res.setHeader('Digest', `sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`);
        res.setHeader('Cache-Control', 'private, no-store');
        await pipeline(bytes, res);
      },
    }),
  ];
}
