import { Router } from 'express';
import type { HealthService } from '../../services/health';

/** Liveness (the process answers) and readiness (Temporal and PostgreSQL answer, and a worker polls the task queue). */
export function healthRoutes(health: HealthService): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, checks } = await health.readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  return router;
}
