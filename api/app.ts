import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { type ErrorRequestHandler, type Express, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import pinoHttp from 'pino-http';
import type { RuleSet } from '../domain/rules';
import type { LedgerSigner } from '../infra/ledger-key';
import type { BundleStore, ObjectStore } from '../infra/object-store';
import { createArchiveService } from '../services/archive';
import { createAttachmentService, type AttachmentLimits } from '../services/attachments';
import { BUILT_IN_DOCUMENT_TEMPLATES, JIANGSU_DOCUMENT_TEMPLATES, type DocumentTemplates } from '../domain/documents/templates';
import { DEFAULT_PDF_FONT, type PdfFont } from '../infra/pdf';
import { createDocumentService } from '../services/documents';
import { createPublicNoticeService } from '../services/public-notices';
import type { Logger } from '../infra/logger';
import { createAuditService } from '../services/audit';
import { createAuthService, type LoginSettings } from '../services/auth';
import { createCaseQueries } from '../services/case-queries';
import { createCaseService } from '../services/cases';
import { createAssessmentService } from '../services/assessments';
import { createCaseGroupService } from '../services/case-groups';
import { createHealthService } from '../services/health';
import { createLedgerService } from '../services/ledger';
import { createNotificationService } from '../services/notifications';
import { createPersonnelService } from '../services/personnel';
import { HttpProblem, invalid, unavailable } from '../services/problem';
import { createReferenceService } from '../services/reference';
import { RETRY_AFTER_SECONDS, type TemporalAccess } from '../services/temporal';
import { createUserService } from '../services/users';
import { createDelegationService } from '../services/delegations';
import { createPhraseService } from '../services/phrases';
import type { Store } from '../store';
import { databaseUnavailable } from '../store/db';
import { bearerAuthenticator, type TokenVerifier } from './auth';
import { idempotent } from './idempotency';
import { createMetrics, type Metrics } from './metrics';
import { mountOperations, openApiDocument, type Operation } from './operation';
import { archiveOperations } from './routes/archive';
import { attachmentOperations } from './routes/attachments';
import { auditOperations } from './routes/audit';
import { documentOperations } from './routes/documents';
import { publicOperations } from './routes/public';
import { authOperations } from './routes/auth';
import { assessmentOperations } from './routes/assessments';
import { caseGroupOperations } from './routes/case-groups';
import { caseOperations } from './routes/cases';
import { codecRoutes, type CodecRouteSettings } from './routes/codec';
import { healthRoutes } from './routes/health';
import { ledgerOperations } from './routes/ledger';
import { notificationOperations } from './routes/notifications';
import { personnelOperations } from './routes/personnel';
import { referenceOperations } from './routes/reference';
import { userOperations } from './routes/users';
import { delegationOperations } from './routes/delegations';
import { phraseOperations } from './routes/phrases';

export interface AppDeps {
  /** Every PostgreSQL read and write of the services (createStore over one Prisma client). */
  store: Store;
  temporal: TemporalAccess;
  verifyToken: TokenVerifier;
  ruleSet: RuleSet;
  logger: Logger;
  /** Today's date (YYYY-MM-DD, China Standard Time); tests pin it. */
  today?: () => string;
  /** Requests per user per minute before 429 (default 600). */
  rateLimitPerMinute?: number;
  login?: LoginSettings;
  /** The built web UI (web/dist), served at / when present. */
  webRoot?: string;
  /** Signs the ledger's checkpoints (infra/ledger-key.ts); its public key is published at /ledger/public-key. */
  ledgerSigner: LedgerSigner;
  /** Where each checkpoint is also appended, outside the database. */
  ledgerCheckpointFile?: string;
  /** The payload codec, served at /codec/* for the Temporal Web UI; absent when payloads are not encrypted. */
  codec?: CodecRouteSettings;
  /** Attachments' limits and their S3-compatible store (default: the bytes in PostgreSQL, the defaults of infra/config.ts). */
  attachments?: { limits?: Partial<AttachmentLimits>; objects?: ObjectStore | null };
  /** Where archive bundles are kept (infra/config.ts: ARCHIVE_S3_BUCKET, else ARCHIVE_DIR); absent: bundles answer 503 here. */
  archive?: { bundles: BundleStore; archivedBy: string };
  /** The official documents' wording (default: the rule set's built-in templates) and font (default: Noto Serif CJK). */
  documents?: { templates?: DocumentTemplates; font?: PdfFont };
  /** Signs the public objection form's challenges; the same for every API process (infra/secret-files.ts). */
  publicChallengeSecret: string;
  /** Objections one address may send through the public notice page per hour (default 10). */
  publicObjectionsPerHour?: number;
  /** Webhook targets may use plain http (NOTIFY_WEBHOOK_ALLOW_HTTP; default false: https only). */
  webhookAllowHttp?: boolean;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxFileBytes: 20 * 1024 * 1024,
  maxCaseBytes: 200 * 1024 * 1024,
  pendingHours: 24,
};

/** The services behind the routes, over one store. */
export function createServices(deps: AppDeps) {
  const { store } = deps;
  const personnel = createPersonnelService({ store, ruleSet: deps.ruleSet, today: deps.today });
  const caseQueries = createCaseQueries({ store, ...(deps.today ? { today: deps.today } : {}) });
  const attachments = createAttachmentService({
    store,
    temporal: deps.temporal,
    objects: deps.attachments?.objects ?? null,
    limits: { ...DEFAULT_ATTACHMENT_LIMITS, ...deps.attachments?.limits },
  });
  const templates = deps.documents?.templates ?? BUILT_IN_DOCUMENT_TEMPLATES[deps.ruleSet.id] ?? JIANGSU_DOCUMENT_TEMPLATES;
  const documents = createDocumentService({
    store,
    queries: caseQueries,
    ruleSet: deps.ruleSet,
    templates,
    font: deps.documents?.font ?? DEFAULT_PDF_FONT,
  });
  const delegations = createDelegationService({ store, today: deps.today });
  const cases = createCaseService({ store, temporal: deps.temporal, ruleSet: deps.ruleSet, records: personnel, attachments, delegations });
  const publicNotices = createPublicNoticeService({
    store,
    temporal: deps.temporal,
    templates,
    secret: deps.publicChallengeSecret,
  });
  return {
    store,
    personnel,
    attachments,
    documents,
    publicNotices,
    attachmentLimits: { ...DEFAULT_ATTACHMENT_LIMITS, ...deps.attachments?.limits },
    cases,
    caseGroups: createCaseGroupService({ store, temporal: deps.temporal, ruleSet: deps.ruleSet, records: personnel, cases }),
    assessments: createAssessmentService({ store, temporal: deps.temporal, ruleSet: deps.ruleSet, cases }),
    caseQueries,
    audit: createAuditService({ store, assertVisible: caseQueries.assertVisible }),
    reference: createReferenceService({ store, ruleSet: deps.ruleSet }),
    users: createUserService({ store }),
    phrases: createPhraseService({ store }),
    delegations,
    auth: createAuthService({ store, login: deps.login ?? {} }),
    health: createHealthService({ store, temporal: deps.temporal, logger: deps.logger }),
    ledger: createLedgerService({ store, signer: deps.ledgerSigner, checkpointFile: deps.ledgerCheckpointFile }),
    notifications: createNotificationService({ store, webhookAllowHttp: deps.webhookAllowHttp ?? false }),
    archive: createArchiveService({
      store,
      bundles: deps.archive?.bundles ?? null,
      attachmentObjects: deps.attachments?.objects ?? null,
      documents,
      temporal: deps.temporal,
      logger: deps.logger,
      archivedBy: deps.archive?.archivedBy ?? 'api',
    }),
  };
}

export type Services = ReturnType<typeof createServices>;

/** Every operation under /api/v1, in the order the OpenAPI document lists them. */
export function apiOperations(services: Services, metrics: Metrics): Operation[] {
  return [
    ...caseOperations({ cases: services.cases, queries: services.caseQueries, audit: services.audit, metrics }),
    ...caseGroupOperations(services.caseGroups),
    ...assessmentOperations(services.assessments),
    ...attachmentOperations(services.attachments, services.attachmentLimits.maxFileBytes),
    ...documentOperations(services.documents),
    ...publicOperations(services.publicNotices),
    ...auditOperations(services.audit),
    ...ledgerOperations(services.ledger),
    ...archiveOperations(services.archive),
    ...notificationOperations(services.notifications),
    ...personnelOperations(services.personnel),
    ...referenceOperations(services.reference),
    ...userOperations(services.users),
    ...phraseOperations(services.phrases),
    ...delegationOperations(services.delegations),
    ...authOperations(services.auth),
  ];
}

export function apiDocument(operations: Operation[]) {
  return openApiDocument(operations, {
    title: 'Community-worker case approvals',
    version: '1',
    description:
      'Personnel cases of community workers (社区工作者) under Jiangsu’s 16 measures: submit, decide, audit. Errors are RFC 9457 problem details.',
  });
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** The HTTP API; every dependency is passed in, so tests run it against the real Temporal and PostgreSQL. */
export function createApp(deps: AppDeps, services: Services = createServices(deps)): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const metrics = createMetrics(services.store);

  // A request id on every log line and in the response, taken from the caller when it looks like one.
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // A 503 is designed back-pressure (a dependency down or behind, with Retry-After), said as a warning like
      // the database's; other 5xx answers are faults.
      customLogLevel: (_req, res, err) =>
        res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // No bodies, no headers, no query values: a search for a national ID number must not land in the logs.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => {
          const [pathOnly, query] = req.url.split('?');
          return {
            id: req.id,
            method: req.method,
            path: pathOnly,
            ...(query ? { queryKeys: [...new URLSearchParams(query).keys()] } : {}),
          };
        },
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          // Images are previewed from blob: URLs (fetched with the bearer token); PDFs are drawn by PDF.js from
          // their bytes, in a worker served from 'self' (script-src).
          'img-src': ["'self'", 'data:', 'blob:'],
          // The web UI exchanges the OIDC authorization code at the provider's token endpoint.
          'connect-src': ["'self'", ...(deps.login?.oidc ? [new URL(deps.login.oidc.tokenUrl).origin] : [])],
        },
      },
    }),
  );
  app.use((req, res, next) => {
    const end = metrics.httpDuration.startTimer({ method: req.method });
    res.once('finish', () => end({ route: routeOf(req), status: String(res.statusCode) }));
    next();
  });

  app.use(healthRoutes(services.health));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const operations = apiOperations(services, metrics);
  const document = apiDocument(operations);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  const swaggerUi = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  app.get('/docs', (req, res, next) => (req.path === '/docs' ? res.redirect(301, '/docs/') : next()));
  app.get('/docs/swagger-initializer.js', (_req, res) => {
    res.type('application/javascript').send(
      // The token typed into "Authorize" lives in this page only: persistAuthorization would keep it in localStorage,
      // where any script of this origin (and anyone at the browser later) could read it.
      "window.onload = () => { window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: false }); };",
    );
  });
  app.use('/docs', express.static(swaggerUi, { index: 'index.html' }));

  const authenticate = bearerAuthenticator(deps.verifyToken, services.auth.callerFor);
  const perMinute = deps.rateLimitPerMinute ?? 600;
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Per user once authenticated (the token's subject), else per address.
    keyGenerator: (req) => req.caller?.id ?? `ip:${ipKeyGenerator(req.ip ?? '')}`,
    handler: (_req, _res, next) => {
      next(new HttpProblem('rate-limited', `more than ${perMinute} requests a minute; retry after the time in Retry-After`));
    },
  });
  // Residents' objections are the one write without sign-in: a tighter limit per address, besides the challenge.
  const perHour = deps.publicObjectionsPerHour ?? 10;
  app.post(
    '/api/v1/public/notices/:noticeId/objections',
    rateLimit({
      windowMs: 3_600_000,
      limit: perHour,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => `objection:${ipKeyGenerator(req.ip ?? '')}`,
      handler: (_req, _res, next) => next(new HttpProblem('rate-limited', `more than ${perHour} objections an hour from this address`)),
    }),
  );
  app.use(
    '/api/v1',
    express.json({ limit: '256kb' }),
    mountOperations(operations, {
      authenticate,
      idempotent: (request, run) => idempotent(services.store.idempotency, request, run),
      limit: (req: Request) =>
        new Promise<void>((resolve, reject) =>
          limiter(req, req.res as express.Response, (err?: unknown) =>
            err ? reject(err instanceof Error ? err : new Error('the rate limiter failed', { cause: err })) : resolve(),
          ),
        ),
    }),
  );

  if (deps.codec) app.use(codecRoutes(deps.codec, authenticate));

  if (deps.webRoot) {
    const webRoot = deps.webRoot;
    app.use(express.static(webRoot, { index: 'index.html', maxAge: '1h' }));
    // The web app routes in the browser: any other page path gets its shell.
    app.get(/^\/(?!api\/|codec\/|openapi\.json|docs|metrics|healthz|readyz).*/, (req, res, next) => {
      if (!req.accepts('html')) return next();
      res.sendFile(path.join(webRoot, 'index.html'));
    });
  }

  app.use((req, _res, next) => next(new HttpProblem('not-found', `no route ${req.method} ${req.path}`)));
  app.use(problemHandler(deps.logger));
  return app;
}

/** The declared route of a request ("/api/v1/cases/:id"), so metrics do not explode with ids. */
function routeOf(req: Request): string {
  // Express types the matched route as `any`; its path is a string where a route matched.
  const route = (req as { route?: { path?: string } }).route?.path;
  return route ? `${req.baseUrl}${route}` : 'unmatched';
}

/** The kind of a body-parser error (express.json): "entity.parse.failed", "entity.too.large", … */
const bodyErrorType = (err: unknown) =>
  err !== null && typeof err === 'object' && 'type' in err && typeof err.type === 'string' ? err.type : undefined;

function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let problem: HttpProblem;
    const bodyError = bodyErrorType(err);
    if (err instanceof HttpProblem) problem = err;
    else if (bodyError === 'entity.parse.failed') problem = new HttpProblem('invalid-request', 'the body is not valid JSON');
    // The router decodes path parameters before any operation sees them; bytes that are not UTF-8 (%ED%A0%80) fail there.
    else if (err instanceof URIError)
      problem = invalid('path: not valid percent-encoded UTF-8', [{ field: 'path', message: 'not valid percent-encoded UTF-8' }]);
    else if (bodyError === 'entity.too.large') problem = new HttpProblem('payload-too-large', 'the body exceeds 256 kB');
    else if (bodyError === 'encoding.unsupported' || bodyError === 'charset.unsupported')
      problem = new HttpProblem('unsupported-media-type', (err as Error).message);
    else if (databaseUnavailable(err)) {
      // PostgreSQL is down or restarting: the request may succeed later, so 503 (never 500) with the reason.
      logger.warn({ path: req.path, reason: databaseUnavailable(err) }, 'database unavailable');
      problem = unavailable(`the database is unavailable (${databaseUnavailable(err)})`, RETRY_AFTER_SECONDS.database);
    } else {
      logger.error({ err, path: req.path }, 'unhandled error');
      problem = new HttpProblem('internal', 'an unexpected error occurred');
    }
    if (problem.type === 'rate-limited' && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '60');
    // Every 503 tells the client when to try again (RFC 9110 §10.2.3).
    if (problem.status === 503) res.setHeader('Retry-After', String(problem.retryAfterSeconds ?? RETRY_AFTER_SECONDS.busy));
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(problem.status).type('application/problem+json').json(problem.toJSON(req.originalUrl));
  };
}
