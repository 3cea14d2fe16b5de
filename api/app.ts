import express, { type ErrorRequestHandler, type Express } from 'express';
import pinoHttp from 'pino-http';
import type { RuleSet } from '../domain/rules';
import type { Logger } from '../infra/logger';
import type { PrismaClient } from '../infra/prisma';
import { bearerAuthenticator, type TokenVerifier } from './auth';
import { createCaseService } from './cases';
import { mountOperations, openApiDocument, type Operation } from './operation';
import { HttpProblem } from './problem';
import { createRecordsService } from './records';
import { caseOperations } from './routes/cases';
import { healthRoutes } from './routes/health';
import { recordOperations } from './routes/records';
import type { TemporalAccess } from './temporal';

export interface AppDeps {
  prisma: PrismaClient;
  temporal: TemporalAccess;
  verifyToken: TokenVerifier;
  ruleSet: RuleSet;
  logger: Logger;
  /** Today's date (YYYY-MM-DD, China Standard Time); tests pin it. */
  today?: () => string;
}

/** Every operation under /api/v1, in the order the OpenAPI document lists them. */
export function apiOperations(deps: AppDeps): Operation[] {
  const records = createRecordsService(deps);
  return [...caseOperations(createCaseService({ ...deps, records })), ...recordOperations(records, deps)];
}

export function apiDocument(operations: Operation[]) {
  return openApiDocument(operations, {
    title: 'Community-worker case approvals',
    version: '1',
    description: 'Personnel cases of community workers (社区工作者) under Jiangsu’s 16 measures: submit, decide, audit.',
  });
}

/** The HTTP API; every dependency is passed in, so tests run it against the real Temporal and PostgreSQL. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger: deps.logger }));
  app.use(healthRoutes(deps));

  const operations = apiOperations(deps);
  const document = apiDocument(operations);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/api/v1', express.json({ limit: '256kb' }), mountOperations(operations, bearerAuthenticator(deps.verifyToken, deps.prisma)));

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
