import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { policy, type Caller } from '../../domain/access';
import { UnknownCodecKeyError } from '../../infra/payload-codec';
import { forbidden, invalid } from '../../services/problem';
import { issueFieldError } from '../../services/validation';

/**
 * Temporal's codec server protocol (POST /codec/encode and /codec/decode, `{payloads: [{metadata, data}]}` with
 * base64 values), so the Temporal Web UI and `temporal --codec-endpoint` show decrypted payloads, to auditors and
 * administrators only: the UI sends the signed-in user's bearer token, checked like any API call. Browsers may
 * call it only from the configured Web UI origin (CODEC_CORS_ORIGIN); no other origin gets CORS headers.
 */

export interface CodecRouteSettings {
  codec: PayloadCodec;
  /** The Temporal Web UI's origin (scheme://host:port). */
  corsOrigin?: string;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const body = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(1000),
});

const fromJson = (p: z.infer<typeof body>['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export function codecRoutes(settings: CodecRouteSettings, authenticate: (req: Request) => Promise<Caller>): Router {
  const router = Router();
  router.use('/codec', (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && settings.corsOrigin && origin === settings.corsOrigin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.vary('Origin');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  });
  const handle = (operation: 'encode' | 'decode') =>
    async function codecOperation(req: Request, res: express.Response) {
      const caller = await authenticate(req);
      if (!policy.canReadPayloads(caller)) throw forbidden('the codec endpoint is for auditors and administrators');
      const parsed = body.safeParse(req.body);
      if (!parsed.success) {
        throw invalid(
          'the body is not {payloads: [{metadata, data}]} with base64 values',
          parsed.error.issues.map((i) => issueFieldError(i, '')),
        );
      }
      let payloads: Payload[];
      try {
        payloads = await settings.codec[operation](parsed.data.payloads.map(fromJson));
      } catch (err) {
        // A key taken out of the ring, or a payload altered in the history: say which, it is not a server fault.
        if (err instanceof UnknownCodecKeyError || (err as Error).message.startsWith('an encrypted payload'))
          throw invalid((err as Error).message);
        throw err;
      }
      res.json({ payloads: payloads.map(toJson) });
    };
  router.post('/codec/encode', express.json({ limit: '4mb' }), handle('encode'));
  router.post('/codec/decode', express.json({ limit: '4mb' }), handle('decode'));
  return router;
}
