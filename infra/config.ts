import path from 'node:path';
import { z } from 'zod';

/** Project root, whatever the working directory of the process. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const optionalUrl = optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional());
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/**
 * Every environment variable the service reads, in one place. The README's configuration table mirrors this
 * schema; keep them in step.
 */
const envSchema = z.object({
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

  RULE_SET: z.string().default('jiangsu-2025'),
  RULES_FILE: optionalString,

  AUTH_JWT_SECRET: optionalString,
  AUTH_JWKS_URL: optionalUrl,
  AUTH_JWT_ALGORITHMS: z.string().default('RS256,ES256'),
  AUTH_OIDC_AUTHORIZATION_URL: optionalUrl,
  AUTH_OIDC_TOKEN_URL: optionalUrl,
  AUTH_OIDC_CLIENT_ID: optionalString,
  AUTH_OIDC_SCOPE: z.string().default('openid profile'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  AUTH_ISSUER: z.string().default('community-cases'),
  AUTH_AUDIENCE: z.string().default('community-cases-api'),
}).superRefine((e, ctx) => {
  // The web UI's OIDC sign-in needs all three; a partial setting would silently leave the demo sign-in on.
  const oidc = ['AUTH_OIDC_AUTHORIZATION_URL', 'AUTH_OIDC_TOKEN_URL', 'AUTH_OIDC_CLIENT_ID'] as const;
  const missing = oidc.filter((k) => e[k] === undefined);
  if (missing.length > 0 && missing.length < oidc.length) {
    ctx.addIssue({ code: 'custom', path: [missing.join(', ')], message: `set with the other AUTH_OIDC_* variables, or unset them all` });
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
  };
  auth: {
    jwtSecret?: string;
    jwksUrl?: string;
    jwksAlgorithms: string[];
    issuer: string;
    audience: string;
    oidc?: { authorizationUrl: string; tokenUrl: string; clientId: string; scope: string };
  };
  rateLimitPerMinute: number;
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
    },
    auth: {
      jwtSecret: e.AUTH_JWT_SECRET,
      jwksUrl: e.AUTH_JWKS_URL,
      jwksAlgorithms: e.AUTH_JWT_ALGORITHMS.split(',').map((a) => a.trim()).filter(Boolean),
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      oidc:
        e.AUTH_OIDC_AUTHORIZATION_URL && e.AUTH_OIDC_TOKEN_URL && e.AUTH_OIDC_CLIENT_ID
          ? { authorizationUrl: e.AUTH_OIDC_AUTHORIZATION_URL, tokenUrl: e.AUTH_OIDC_TOKEN_URL, clientId: e.AUTH_OIDC_CLIENT_ID, scope: e.AUTH_OIDC_SCOPE }
          : undefined,
    },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
  };
}
