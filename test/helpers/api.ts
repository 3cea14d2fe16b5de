import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import { createApp, type AppDeps } from '../../api/app';
import { createTokenVerifier, issueToken, type AuthSettings } from '../../api/auth';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { ledgerSigner } from '../../infra/ledger-key';
import { createLogger } from '../../infra/logger';
import type { PrismaClient } from '../../infra/prisma';
import { createStore } from '../../store';
import { TEST_CHALLENGE_SECRET, TEST_LEDGER_KEY } from './database';
import { TEST_TODAY } from './env';

export const TEST_AUTH: AuthSettings = {
  issuer: 'community-cases',
  audience: 'community-cases-api',
  jwtSecret: 'test-secret-of-at-least-32-characters!!',
  jwksAlgorithms: [],
};

type TestAppOptions = {
  prisma: PrismaClient;
  client: Client;
  taskQueue: string;
  ruleSet?: RuleSet;
  rpcTimeoutMs?: number;
  /** The built web UI (web/dist), served at / like `npm start` does. */
  webRoot?: string;
  rateLimitPerMinute?: number;
  /** The payload codec endpoint (/codec/*), as the API serves it when payloads are encrypted. */
  codec?: AppDeps['codec'];
  attachments?: AppDeps['attachments'];
  /** Where archive bundles go (services/archive.ts); absent: the bundle route answers 503. */
  archive?: AppDeps['archive'];
  publicObjectionsPerHour?: number;
  webhookAllowHttp?: boolean;
  /** The challenges' secret (default: the tests' own); two apps given one accept each other's challenges. */
  publicChallengeSecret?: string;
};

/** The real Express app over the real Temporal client and database, with a test signing secret. */
export function testApp(options: TestAppOptions): Express {
  return createApp(testAppDeps(options));
}

/** What testApp runs on, for tests that also call a service directly (e.g. the attachments' clean-up). */
export function testAppDeps(options: TestAppOptions): AppDeps {
  const today = () => TEST_TODAY;
  return {
    store: createStore(options.prisma),
    temporal: { client: options.client, taskQueue: options.taskQueue, rpcTimeoutMs: options.rpcTimeoutMs ?? 15_000 },
    verifyToken: createTokenVerifier(TEST_AUTH),
    ruleSet: options.ruleSet ?? (BUILT_IN_RULE_SETS['demo'] as RuleSet),
    logger: createLogger('silent'),
    today,
    login: { demoLogin: (userId, name) => issueToken(TEST_AUTH, userId, name) },
    webRoot: options.webRoot,
    rateLimitPerMinute: options.rateLimitPerMinute,
    ledgerSigner: ledgerSigner(TEST_LEDGER_KEY),
    codec: options.codec,
    attachments: options.attachments,
    archive: options.archive,
    // Tests that walk every route run many objections from one address; the limit's own test sets it low.
    publicObjectionsPerHour: options.publicObjectionsPerHour ?? 1000,
    webhookAllowHttp: options.webhookAllowHttp,
    publicChallengeSecret: options.publicChallengeSecret ?? TEST_CHALLENGE_SECRET,
  };
}

const tokens = new Map<string, Promise<string>>();
let auth: AuthSettings = TEST_AUTH;
/** Tokens for a running service's API (test/helpers/stack.ts, runAgainstService) instead of the test app's. */
export function useAuth(settings: AuthSettings): void {
  auth = settings;
  tokens.clear();
}

/** A bearer header for a seeded user. */
export async function bearer(userId: string): Promise<string> {
  if (!tokens.has(userId)) tokens.set(userId, issueToken(auth, userId, userId));
  return `Bearer ${await tokens.get(userId)}`;
}
