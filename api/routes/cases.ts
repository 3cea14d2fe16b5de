import { Router } from 'express';
import type { CaseService } from '../cases';

function idempotencyKey(header: string | string[] | undefined): string | undefined {
  const key = Array.isArray(header) ? header[0] : header;
  return key && key.trim() ? key.trim().slice(0, 200) : undefined;
}

/** Thin HTTP layer over the case service: decode, call, encode. */
export function caseRoutes(cases: CaseService): Router {
  const router = Router();
  router.post('/cases', async (req, res) => {
    const view = await cases.submit(req.caller!, req.body, idempotencyKey(req.headers['idempotency-key']));
    res.status(201).location(`/api/v1/cases/${view.id}`).json(view);
  });
  router.get('/cases/:id', async (req, res) => {
    res.json(await cases.get(req.caller!, req.params.id));
  });
  router.post('/cases/:id/actions', async (req, res) => {
    res.json(await cases.act(req.caller!, req.params.id, req.body, idempotencyKey(req.headers['idempotency-key'])));
  });
  return router;
}
