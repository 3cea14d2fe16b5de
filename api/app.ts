import express, { type ErrorRequestHandler, type Express } from 'express';
import pinoHttp from 'pino-http';
import type { RuleSet } from '../domain/rules';
import type { Logger } from '../infra/logger';
import type { PrismaClient } from '../infra/prisma';
import { requireCaller, type TokenVerifier } from './auth';
import { createCaseService } from './cases';
import { HttpProblem } from './problem';
import { caseRoutes } from './routes/cases';
import { healthRoutes } from './routes/health';
import type { TemporalAccess } from './temporal';

export interface AppDeps {
  prisma: PrismaClient;
  temporal: TemporalAccess;
  verifyToken: TokenVerifier;
  ruleSet: RuleSet;
  logger: Logger;
}

/** The HTTP API; every dependency is passed in, so tests run it against the real Temporal and PostgreSQL. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger: deps.logger }));
  app.use(healthRoutes(deps));

  const api = express.Router();
  api.use(express.json({ limit: '256kb' }));
  api.use(requireCaller(deps.verifyToken, deps.prisma));
  api.use(caseRoutes(createCaseService(deps)));
  app.use('/api/v1', api);

  app.use((req, _res, next) => next(new HttpProblem('not-found', `no route ${req.method} ${req.path}`)));
  app.use(problemHandler(deps.logger));
  return app;
}

function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let problem: HttpProblem;
    if (err instanceof HttpProblem) problem = err;
    else if (err?.type === 'entity.parse.failed') problem = new HttpProblem('invalid-request', 'the body is not valid JSON');
    else if (err?.type === 'entity.too.large') problem = new HttpProblem('payload-too-large', 'the body exceeds 256 kB');
    else {
      logger.error({ err, path: req.path }, 'unhandled error');
      problem = new HttpProblem('internal', 'an unexpected error occurred');
    }
    res.status(problem.status).type('application/problem+json').json(problem.toJSON(req.originalUrl));
  };
}
