import { Router } from 'express';
import type { PrismaClient } from '../../infra/prisma';
import type { TemporalAccess } from '../temporal';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

/** Liveness (the process answers) and readiness (Temporal and PostgreSQL answer). */
export function healthRoutes({ prisma, temporal }: { prisma: PrismaClient; temporal: TemporalAccess }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const check = async (probe: () => Promise<unknown>) => {
      try {
        await withTimeout(probe(), 2_000);
        return 'ok';
      } catch (err) {
        return `unavailable: ${(err as Error).message.split('\n')[0]}`;
      }
    };
    const [temporalStatus, databaseStatus] = await Promise.all([
      check(() => temporal.client.withDeadline(Date.now() + 2_000, () => temporal.client.workflowService.getSystemInfo({}))),
      check(() => prisma.$queryRaw`SELECT 1`),
    ]);
    const ready = temporalStatus === 'ok' && databaseStatus === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: { temporal: temporalStatus, database: databaseStatus } });
  });
  return router;
}
