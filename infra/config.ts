import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CALENDAR_DATE_MESSAGE, isIsoDate } from '../domain/dates';
import type { S3Settings } from './object-store';

/** Project root, whatever the working directory of the process. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const optionalUrl = optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional());
const flag = z.enum(['true', 'false']).default('false');

/** Hosts that never leave this machine: the one place a key set may be fetched without TLS (a test's own server). */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
/** HS256 keys shorter than the hash are weak (RFC 7518, section 3.2, asks for at least 256 bits). */
export const MIN_JWT_SECRET_BYTES = 32;
/**
 * Cases a worker keeps in memory between their tasks. Each costs about 1 MB in the SDK's reusable V8 context (its
 * own evaluation of the workflow bundle's modules), so the SDK's default, sized from the heap limit (~2,300 on a
 * 4 GiB heap), lets a busy worker grow by gigabytes; a case evicted is replayed at its next task, which a case that
 * waits days between actions is anyway (bench/results/regression-2026-12-02.md, worker sizing).
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/**
 * Every environment variable the service reads, in one place. The README's configuration table mirrors this
 * schema; keep them in step.
 */
const envSchema = z
  .object({
    PORT: port(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().default(path.join(PROJECT_ROOT, '.data')),

    DATABASE_URL: optionalString,
    EMBEDDED_PG_PORT: port(54329),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),

    TEMPORAL_ADDRESS: optionalString,
    TEMPORAL_NAMESPACE: z.string().default('default'),
    TEMPORAL_TASK_QUEUE: z.string().default('community-cases'),
    TEMPORAL_PORT: port(7233),
    TEMPORAL_UI_PORT: port(8233),
    TEMPORAL_CLI_PATH: optionalString,
    TEMPORAL_TEST_SERVER_PATH: optionalString,
    TEMPORAL_RPC_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    // Updates one API process sends to one workflow at a time (services/update-turns.ts); Temporal admits 10.
    TEMPORAL_UPDATES_PER_WORKFLOW: z.coerce.number().int().min(1).max(10).default(2),
    TEMPORAL_TLS_CA_FILE: optionalString,
    TEMPORAL_TLS_CERT_FILE: optionalString,
    TEMPORAL_TLS_KEY_FILE: optionalString,
    TEMPORAL_TLS_SERVER_NAME: optionalString,
    TEMPORAL_API_KEY: optionalString,
    // Payload encryption (infra/payload-codec.ts): on unless turned off; keys as id:base64key, newest first.
    PAYLOAD_CODEC: z.enum(['aes-256-gcm', 'off']).default('aes-256-gcm'),
    PAYLOAD_CODEC_KEYS: optionalString,
    PAYLOAD_CODEC_KEYS_FILE: optionalString,
    // The Temporal Web UI's origin, the only one whose pages may call /codec/* from the browser.
    CODEC_CORS_ORIGIN: optionalUrl,
    // The full server's binaries and schemas (npm run provision -- --cluster); read where they are resolved.
    TEMPORAL_SERVER_PATH: optionalString,
    TEMPORAL_SQL_TOOL_PATH: optionalString,
    TEMPORAL_SCHEMA_DIR: optionalString,
    // The Ed25519 key (PKCS#8 PEM file) that signs the ledger's checkpoints; unset: one generated in DATA_DIR.
    LEDGER_SIGNING_KEY_FILE: optionalString,
    // How often the API signs the ledger's head (when it moved), and the file each checkpoint is also appended to.
    LEDGER_CHECKPOINT_INTERVAL_S: z.coerce.number().int().min(1).default(300),
    LEDGER_CHECKPOINT_FILE: optionalString,
    // pg_dump and pg_restore for npm run backup / restore (infra/postgres-client.ts); read where they are resolved.
    POSTGRES_BIN_DIR: optionalString,
    // OpenTelemetry tracing of the API and the worker, on when the endpoint is set; read where it starts (infra/tracing.ts).
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
    OTEL_SERVICE_NAME: optionalString,
    // The worker's Prometheus endpoint (its SDK metrics: task latencies, slots, polls, sticky cache); unset: none.
    WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    // A workflow bundle built ahead (npm run cluster, the Dockerfile), instead of bundling at every worker start.
    WORKFLOW_BUNDLE_PATH: optionalString,
    // Cases a worker keeps in memory between their workflow tasks (bench/results/README.md, worker sizing).
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(DEFAULT_MAX_CACHED_WORKFLOWS),
    // npm run cluster restarts a process that died after this long (as Kubernetes or systemd would).
    CLUSTER_RESTART_DELAY_MS: z.coerce.number().int().min(0).default(2_000),

    CASE_MAX_COMMENTS: z.coerce.number().int().min(1).default(200),
    CASE_MAX_OBJECTIONS: z.coerce.number().int().min(1).default(20),
    CASE_MAX_REMINDERS: z.coerce.number().int().min(0).default(20),
    // Temporal warns at 10,240 events of a workflow's history and ends it at 51,200.
    CASE_HISTORY_LIMIT: z.coerce.number().int().min(100).max(40_000).default(10_000),

    RULE_SET: z.string().default('jiangsu-2025'),
    RULES_FILE: optionalString,
    // The date eligibility is evaluated on, pinned (test suites against a running service; a demo on a fixed day).
    EVALUATION_DATE: optionalString.refine((v) => v === undefined || isIsoDate(v), CALENDAR_DATE_MESSAGE),

    NODE_ENV: optionalString,
    AUTH_DEMO_SIGN_IN: flag,
    AUTH_JWT_SECRET: optionalString,
    AUTH_JWKS_URL: optionalUrl,
    AUTH_JWT_ALGORITHMS: z.string().default('RS256,ES256'),
    AUTH_OIDC_AUTHORIZATION_URL: optionalUrl,
    AUTH_OIDC_TOKEN_URL: optionalUrl,
    AUTH_OIDC_CLIENT_ID: optionalString,
    AUTH_OIDC_SCOPE: z.string().default('openid profile'),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    AUTH_ISSUER: z.string().default('community-cases'),

    PUBLIC_CHALLENGE_SECRET_FILE: optionalString,
    PUBLIC_OBJECTIONS_PER_HOUR: z.coerce.number().int().min(1).default(10),
    DOCUMENT_TEMPLATES_FILE: optionalString,
    DOCUMENT_FONT_FILE: z.string().default('/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc'),
    DOCUMENT_FONT_NAME: z.string().default('NotoSerifCJKsc-Regular'),

    ATTACHMENTS_MAX_FILE_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(20 * 1024 * 1024),
    ATTACHMENTS_MAX_CASE_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(200 * 1024 * 1024),
    ATTACHMENTS_PENDING_HOURS: z.coerce.number().min(0.01).default(24),
    ATTACHMENTS_S3_BUCKET: optionalString,
    ATTACHMENTS_S3_ENDPOINT: optionalUrl,
    ATTACHMENTS_S3_REGION: z.string().default('us-east-1'),
    ATTACHMENTS_S3_ACCESS_KEY_ID: optionalString,
    ATTACHMENTS_S3_SECRET_ACCESS_KEY: optionalString,
    ATTACHMENTS_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
    ATTACHMENTS_S3_PREFIX: z.string().default('attachments/'),
    AUTH_AUDIENCE: z.string().default('community-cases-api'),

    // Archival (services/archive.ts, docs/ledger.md): closed cases decided more than ARCHIVE_AFTER_DAYS ago leave
    // the database for bundles in ARCHIVE_S3_BUCKET (through the attachments' S3 endpoint and keys) or ARCHIVE_DIR.
    // 365 days is inferred (an operational bound on the hot database, not a records rule): the archive keeps every
    // bundle, it never deletes one.
    ARCHIVE_AFTER_DAYS: z.coerce.number().min(0).default(365),
    ARCHIVE_DIR: optionalString,
    ARCHIVE_S3_BUCKET: optionalString,
    ARCHIVE_S3_PREFIX: z.string().default('archive/'),

    NOTIFY_SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional()),
    NOTIFY_EMAIL_FROM: z.string().default('社区工作者人事事项审批 <no-reply@community-cases.invalid>'),
    NOTIFY_APP_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('http://localhost:3000'),
    NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5000),
    NOTIFY_RETRY_CAP_MS: z.coerce.number().int().min(10).default(3_600_000),
    NOTIFY_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
    NOTIFY_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
    NOTIFY_WEBHOOK_ALLOW_HTTP: z.enum(['true', 'false']).default('false'),
  })
  .superRefine((e, ctx) => {
    // An endpoint or keys without a bucket would quietly keep the files in PostgreSQL.
    const s3 = ['ATTACHMENTS_S3_ENDPOINT', 'ATTACHMENTS_S3_ACCESS_KEY_ID', 'ATTACHMENTS_S3_SECRET_ACCESS_KEY'] as const;
    const s3Set = s3.filter((k) => e[k] !== undefined);
    if (s3Set.length > 0 && e.ATTACHMENTS_S3_BUCKET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ATTACHMENTS_S3_BUCKET'], message: `needed with ${s3Set.join(', ')}` });
    }
    // A pinned date in production would judge every case on a day that is not today's.
    if (e.EVALUATION_DATE !== undefined && e.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['EVALUATION_DATE'], message: 'pins the date of every eligibility check; not in production' });
    }
    if (e.ATTACHMENTS_MAX_CASE_BYTES < e.ATTACHMENTS_MAX_FILE_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['ATTACHMENTS_MAX_CASE_BYTES'], message: 'must be at least ATTACHMENTS_MAX_FILE_BYTES' });
    }
    if (e.AUTH_JWT_SECRET !== undefined && Buffer.byteLength(e.AUTH_JWT_SECRET, 'utf8') < MIN_JWT_SECRET_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_JWT_SECRET'],
        message: `must be at least ${MIN_JWT_SECRET_BYTES} bytes (e.g. openssl rand -base64 32)`,
      });
    }
    // The keys that sign every token must not be open to tampering on the way; a test's key server on this
    // machine's loopback interface crosses no network, so only there may it be plain http.
    if (e.AUTH_JWKS_URL !== undefined) {
      const url = new URL(e.AUTH_JWKS_URL);
      if (url.protocol !== 'https:' && !LOOPBACK.test(url.hostname)) {
        ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'must be an https URL (http only on a loopback address)' });
      }
    }
    if (e.AUTH_DEMO_SIGN_IN === 'true' && e.AUTH_JWKS_URL !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_DEMO_SIGN_IN'],
        message: 'demo sign-in issues HS256 tokens, which an OIDC deployment (AUTH_JWKS_URL) does not accept',
      });
    }
    // The web UI's OIDC sign-in needs all three; a partial setting would silently leave the demo sign-in on.
    const oidc = ['AUTH_OIDC_AUTHORIZATION_URL', 'AUTH_OIDC_TOKEN_URL', 'AUTH_OIDC_CLIENT_ID'] as const;
    const missing = oidc.filter((k) => e[k] === undefined);
    if (missing.length > 0 && missing.length < oidc.length) {
      ctx.addIssue({ code: 'custom', path: [missing.join(', ')], message: `set with the other AUTH_OIDC_* variables, or unset them all` });
    }
    // A certificate without its key (or the reverse) would quietly connect without client authentication.
    if ((e.TEMPORAL_TLS_CERT_FILE === undefined) !== (e.TEMPORAL_TLS_KEY_FILE === undefined)) {
      const missing = e.TEMPORAL_TLS_CERT_FILE === undefined ? 'TEMPORAL_TLS_CERT_FILE' : 'TEMPORAL_TLS_KEY_FILE';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'set with the other of TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE, or unset both',
      });
    }
    for (const variable of ['TEMPORAL_TLS_CA_FILE', 'TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_KEY_FILE'] as const) {
      const file = e[variable];
      if (file === undefined) continue;
      try {
        fs.accessSync(file, fs.constants.R_OK);
      } catch {
        ctx.addIssue({ code: 'custom', path: [variable], message: `${file} is not a readable file` });
      }
    }
    const secured = ['TEMPORAL_TLS_CA_FILE', 'TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_API_KEY'] as const;
    const set = secured.filter((k) => e[k] !== undefined);
    if (set.length > 0 && e.TEMPORAL_ADDRESS === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [set.join(', ')],
        message: 'needs TEMPORAL_ADDRESS (the dev server that npm start runs speaks plain gRPC)',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  /** Id of the built-in rule set in force, unless rulesFile names a county's own. */
  ruleSet: string;
  rulesFile?: string;
  /** EVALUATION_DATE: the date (YYYY-MM-DD) eligibility is evaluated on instead of today's, in API and worker alike. */
  evaluationDate?: string;
  database: { url?: string; embeddedPort: number; poolSize: number };
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    devServerPort: number;
    uiPort: number;
    cliPath?: string;
    testServerPath?: string;
    rpcTimeoutMs: number;
    /** Updates one API process sends to one workflow at a time (services/update-turns.ts). */
    updatesPerWorkflow: number;
    /** TLS towards the frontend: present when any TEMPORAL_TLS_* variable is set. */
    tls?: { caFile?: string; certFile?: string; keyFile?: string; serverName?: string };
    /** Temporal Cloud's API key (sent as a bearer token; implies TLS). */
    apiKey?: string;
    /** The payload codec (infra/payload-codec.ts): its key ring as given, or from a file, or generated in DATA_DIR. */
    codec: { enabled: boolean; keys?: string; keysFile?: string; corsOrigin?: string };
  };
  /** NODE_ENV=production: the API starts only with real authentication (app/runtime.ts, apiAuthentication). */
  production: boolean;
  auth: {
    /** Offer demo sign-in as any seeded user (AUTH_DEMO_SIGN_IN; `npm start` turns it on). Never in production. */
    demoSignIn: boolean;
    jwtSecret?: string;
    jwksUrl?: string;
    jwksAlgorithms: string[];
    issuer: string;
    audience: string;
    oidc?: { authorizationUrl: string; tokenUrl: string; clientId: string; scope: string };
  };
  rateLimitPerMinute: number;
  attachments: AttachmentSettings;
  archive: ArchiveSettings;
  documents: { templatesFile?: string; font: { file: string; postscriptName?: string } };
  publicNotice: { challengeSecretFile?: string; objectionsPerHour: number };
  /** What a new case takes besides decisions, and how long its workflow history grows before it continues as new. */
  cases: { limits: { comments: number; objections: number; reminds: number }; historyLimit: number };
  /** npm run cluster: how long after a process died it is started again. */
  clusterRestartDelayMs: number;
  /** The event ledger's checkpoints (docs/ledger.md): the signing key's file, how often, and the file outside PostgreSQL. */
  ledger: { signingKeyFile?: string; checkpointIntervalMs: number; checkpointFile: string };
  /** Port of the worker's Prometheus endpoint (its SDK metrics), if any. */
  workerMetricsPort?: number;
  notifications: NotificationSettings;
  /** The workflows bundled ahead of time (app/runtime.ts buildWorkflowBundle), for the worker to load. */
  workflowBundlePath?: string;
  /** Cases a worker keeps in memory between their workflow tasks (WORKER_MAX_CACHED_WORKFLOWS; 0: none). */
  workerMaxCachedWorkflows: number;
}

/** How notifications leave: the SMTP server, the links they carry, and how failed deliveries are retried. */
export interface NotificationSettings {
  /** smtp://user:pass@host:port or smtps://…; absent: no email is sent (deliveries wait in the outbox). */
  smtpUrl?: string;
  from: string;
  /** The web UI's address, for links in emails and webhooks. */
  appUrl: string;
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
  /** How often the dispatcher looks for due deliveries. */
  pollMs: number;
  /** How long a claimed delivery may take; past it (the sending process died) it is claimed and sent again. */
  leaseMs: number;
  /** Webhook targets may use plain http (a county's intranet, the tests); otherwise https only. */
  webhookAllowHttp: boolean;
}

/** Where archive bundles go and when a closed case is archived. */
export interface ArchiveSettings {
  afterDays: number;
  /** Used when no bucket is set. */
  dir: string;
  s3?: S3Settings;
}

/** Where attachments' bytes go and how large they may be. */
export interface AttachmentSettings {
  maxFileBytes: number;
  maxCaseBytes: number;
  /** Uploads nobody attached to a case within this many hours are deleted (and bytes whose metadata never landed). */
  pendingHours: number;
  /** The S3-compatible store; absent: the bytes are kept in PostgreSQL. */
  s3?: S3Settings;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.DATA_DIR),
    ruleSet: e.RULE_SET,
    rulesFile: e.RULES_FILE ? path.resolve(e.RULES_FILE) : undefined,
    evaluationDate: e.EVALUATION_DATE,
    database: { url: e.DATABASE_URL, embeddedPort: e.EMBEDDED_PG_PORT, poolSize: e.DATABASE_POOL_SIZE },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      devServerPort: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      cliPath: e.TEMPORAL_CLI_PATH,
      testServerPath: e.TEMPORAL_TEST_SERVER_PATH,
      rpcTimeoutMs: e.TEMPORAL_RPC_TIMEOUT_MS,
      updatesPerWorkflow: e.TEMPORAL_UPDATES_PER_WORKFLOW,
      tls:
        e.TEMPORAL_TLS_CA_FILE || e.TEMPORAL_TLS_CERT_FILE || e.TEMPORAL_TLS_SERVER_NAME
          ? {
              caFile: e.TEMPORAL_TLS_CA_FILE && path.resolve(e.TEMPORAL_TLS_CA_FILE),
              certFile: e.TEMPORAL_TLS_CERT_FILE && path.resolve(e.TEMPORAL_TLS_CERT_FILE),
              keyFile: e.TEMPORAL_TLS_KEY_FILE && path.resolve(e.TEMPORAL_TLS_KEY_FILE),
              serverName: e.TEMPORAL_TLS_SERVER_NAME,
            }
          : undefined,
      apiKey: e.TEMPORAL_API_KEY,
      codec: {
        enabled: e.PAYLOAD_CODEC !== 'off',
        keys: e.PAYLOAD_CODEC_KEYS,
        keysFile: e.PAYLOAD_CODEC_KEYS_FILE && path.resolve(e.PAYLOAD_CODEC_KEYS_FILE),
        corsOrigin: e.CODEC_CORS_ORIGIN && new URL(e.CODEC_CORS_ORIGIN).origin,
      },
    },
    production: e.NODE_ENV === 'production',
    auth: {
      demoSignIn: e.AUTH_DEMO_SIGN_IN === 'true',
      jwtSecret: e.AUTH_JWT_SECRET,
      jwksUrl: e.AUTH_JWKS_URL,
      jwksAlgorithms: e.AUTH_JWT_ALGORITHMS.split(',')
        .map((a) => a.trim())
        .filter(Boolean),
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      oidc:
        e.AUTH_OIDC_AUTHORIZATION_URL && e.AUTH_OIDC_TOKEN_URL && e.AUTH_OIDC_CLIENT_ID
          ? {
              authorizationUrl: e.AUTH_OIDC_AUTHORIZATION_URL,
              tokenUrl: e.AUTH_OIDC_TOKEN_URL,
              clientId: e.AUTH_OIDC_CLIENT_ID,
              scope: e.AUTH_OIDC_SCOPE,
            }
          : undefined,
    },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    publicNotice: {
      challengeSecretFile: e.PUBLIC_CHALLENGE_SECRET_FILE && path.resolve(e.PUBLIC_CHALLENGE_SECRET_FILE),
      objectionsPerHour: e.PUBLIC_OBJECTIONS_PER_HOUR,
    },
    documents: {
      templatesFile: e.DOCUMENT_TEMPLATES_FILE ? path.resolve(e.DOCUMENT_TEMPLATES_FILE) : undefined,
      font: { file: e.DOCUMENT_FONT_FILE, postscriptName: e.DOCUMENT_FONT_NAME.trim() || undefined },
    },
    attachments: {
      maxFileBytes: e.ATTACHMENTS_MAX_FILE_BYTES,
      maxCaseBytes: e.ATTACHMENTS_MAX_CASE_BYTES,
      pendingHours: e.ATTACHMENTS_PENDING_HOURS,
      s3: e.ATTACHMENTS_S3_BUCKET
        ? {
            bucket: e.ATTACHMENTS_S3_BUCKET,
            endpoint: e.ATTACHMENTS_S3_ENDPOINT,
            region: e.ATTACHMENTS_S3_REGION,
            accessKeyId: e.ATTACHMENTS_S3_ACCESS_KEY_ID,
            secretAccessKey: e.ATTACHMENTS_S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.ATTACHMENTS_S3_FORCE_PATH_STYLE === 'true',
            prefix: e.ATTACHMENTS_S3_PREFIX,
          }
        : undefined,
    },
    archive: {
      afterDays: e.ARCHIVE_AFTER_DAYS,
      dir: path.resolve(e.ARCHIVE_DIR ?? path.join(e.DATA_DIR, 'archive')),
      s3: e.ARCHIVE_S3_BUCKET
        ? {
            bucket: e.ARCHIVE_S3_BUCKET,
            endpoint: e.ATTACHMENTS_S3_ENDPOINT,
            region: e.ATTACHMENTS_S3_REGION,
            accessKeyId: e.ATTACHMENTS_S3_ACCESS_KEY_ID,
            secretAccessKey: e.ATTACHMENTS_S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.ATTACHMENTS_S3_FORCE_PATH_STYLE === 'true',
            prefix: e.ARCHIVE_S3_PREFIX,
          }
        : undefined,
    },
    cases: {
      limits: { comments: e.CASE_MAX_COMMENTS, objections: e.CASE_MAX_OBJECTIONS, reminds: e.CASE_MAX_REMINDERS },
      historyLimit: e.CASE_HISTORY_LIMIT,
    },
    clusterRestartDelayMs: e.CLUSTER_RESTART_DELAY_MS,
    notifications: {
      smtpUrl: e.NOTIFY_SMTP_URL,
      from: e.NOTIFY_EMAIL_FROM,
      appUrl: e.NOTIFY_APP_URL.replace(/\/+$/, ''),
      maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: e.NOTIFY_RETRY_BASE_MS,
      retryCapMs: e.NOTIFY_RETRY_CAP_MS,
      pollMs: e.NOTIFY_POLL_MS,
      leaseMs: e.NOTIFY_LEASE_MS,
      webhookAllowHttp: e.NOTIFY_WEBHOOK_ALLOW_HTTP === 'true',
    },
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH && path.resolve(e.WORKFLOW_BUNDLE_PATH),
    workerMaxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    ledger: {
      signingKeyFile: e.LEDGER_SIGNING_KEY_FILE && path.resolve(e.LEDGER_SIGNING_KEY_FILE),
      checkpointIntervalMs: e.LEDGER_CHECKPOINT_INTERVAL_S * 1000,
      checkpointFile: path.resolve(e.LEDGER_CHECKPOINT_FILE ?? path.join(e.DATA_DIR, 'ledger-checkpoints.jsonl')),
    },
  };
}
