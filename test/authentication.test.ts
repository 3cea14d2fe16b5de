import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { issueToken } from '../api/auth';
import { spawnEntryPoint, waitUntilReady, readiness } from '../app/processes';
import { startApi, type ApiHandle } from '../app/runtime';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { freePort } from '../infra/processes';
import { TEST_AUTH } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { testEnv } from './helpers/env';
import { uniqueTaskQueue } from './helpers/temporal';

/**
 * Signing in: demo sign-in is opt-in (`npm start` turns it on, `npm run api` does not), a production API does not
 * start without real authentication, and an OIDC provider's subject is matched only against externalSub.
 */
describe('authentication', () => {
  let db: TestDatabase;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-test-'));
    dirs.push(dir);
    return dir;
  };
  beforeAll(async () => {
    db = await createTestDatabase({ seeded: true });
  });
  afterAll(async () => {
    await db.drop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** `npm run api` (scripts/api.ts) as its own process, with only these variables besides the servers'. */
  function api(env: Record<string, string>) {
    const dataDir = tempDir();
    const entry = spawnEntryPoint('api', {
      script: 'scripts/api.ts',
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: testEnv('temporalAddress'),
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('auth'),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ...env,
      },
      logFile: path.join(dataDir, 'api.log'),
      log: () => undefined,
    });
    const exited = new Promise<number | null>((resolve) => entry.child.once('exit', (code) => resolve(code)));
    return { entry, exited, dataDir, log: () => fs.readFileSync(path.join(dataDir, 'api.log'), 'utf8') };
  }

  test.each([
    [
      'no authentication at all',
      {},
      /NODE_ENV=production needs real authentication: set AUTH_JWKS_URL \(an OIDC provider\) or AUTH_JWT_SECRET/,
    ],
    ['demo sign-in', { AUTH_DEMO_SIGN_IN: 'true', AUTH_JWT_SECRET: TEST_AUTH.jwtSecret as string }, /AUTH_DEMO_SIGN_IN=true is refused/],
    ['a short secret', { AUTH_JWT_SECRET: 'secret' }, /AUTH_JWT_SECRET: must be at least 32 bytes/],
    ['a JWKS URL without TLS', { AUTH_JWKS_URL: 'http://idp.example/jwks' }, /AUTH_JWKS_URL: must be an https URL/],
  ])('with NODE_ENV=production, npm run api refuses to start with %s, naming the variable', async (_what, env, message) => {
    const { exited, log } = api({ NODE_ENV: 'production', ...env });
    expect(await exited).toBe(1);
    expect(log()).toMatch(message);
  });

  test('npm run api offers no demo sign-in; tokens signed with the demo secret still work outside production', async () => {
    const port = await freePort();
    const { entry, dataDir, log } = api({ PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(entry, readiness.http(url), 60_000);
      expect(await (await fetch(`${url}/api/v1/auth/config`)).json()).toMatchObject({ demoLogin: false });
      expect((await fetch(`${url}/api/v1/auth/demo-users`)).status).toBe(404);
      const login = await fetch(`${url}/api/v1/auth/demo-login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId: 'admin-1' }),
      });
      expect(login.status).toBe(404);
      expect(log()).toMatch(/tokens are signed with the demo secret/);
      // npm run token signs with the same secret.
      const secret = fs.readFileSync(path.join(dataDir, 'dev-jwt-secret'), 'utf8').trim();
      const token = await issueToken({ ...TEST_AUTH, jwtSecret: secret }, 'clerk-jsl', 'clerk-jsl');
      expect((await fetch(`${url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await entry.stop();
    }
  });

  describe('in process', () => {
    let running: ApiHandle | undefined;
    afterEach(async () => {
      await running?.stop();
      running = undefined;
    });
    const start = async (env: Record<string, string>) => {
      const config = loadConfig({
        PORT: '0',
        DATA_DIR: tempDir(),
        TEMPORAL_ADDRESS: testEnv('temporalAddress'),
        LOG_LEVEL: 'silent',
        ...env,
      });
      running = await startApi({ config, prisma: db.prisma, logger: createLogger('silent'), ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet });
      return running.url;
    };

    test('AUTH_DEMO_SIGN_IN=true (what npm start sets) offers demo sign-in', async () => {
      const url = await start({ AUTH_DEMO_SIGN_IN: 'true' });
      expect(await (await fetch(`${url}/api/v1/auth/config`)).json()).toMatchObject({ demoLogin: true });
      const login = await fetch(`${url}/api/v1/auth/demo-login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId: 'clerk-jsl' }),
      });
      const { token } = (await login.json()) as { token: string };
      const me = await fetch(`${url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ id: 'clerk-jsl' });
    });

    test("an OIDC provider's subject signs in only as the account whose externalSub it is, never by user id", async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      // The provider's key set, served on the loopback interface (the one place AUTH_JWKS_URL may be plain http).
      const idp = http.createServer((_req, res) => res.setHeader('Content-Type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
      await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
      try {
        const url = await start({ AUTH_JWKS_URL: `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks` });
        await db.prisma.user.update({ where: { id: 'clerk-jsl' }, data: { externalSub: 'idp|4711' } });
        const tokenFor = (sub: string) =>
          new SignJWT({})
            .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
            .setSubject(sub)
            .setIssuer('community-cases')
            .setAudience('community-cases-api')
            .setExpirationTime('5m')
            .sign(privateKey);
        const me = async (sub: string) => fetch(`${url}/api/v1/me`, { headers: { Authorization: `Bearer ${await tokenFor(sub)}` } });

        const asInternalId = await me('admin-1');
        expect(asInternalId.status).toBe(401);
        expect(await asInternalId.json()).toMatchObject({ detail: 'the token names no active user' });
        expect((await me('clerk-jsl')).status).toBe(401);
        const linked = await me('idp|4711');
        expect(linked.status).toBe(200);
        expect(await linked.json()).toMatchObject({ id: 'clerk-jsl' });
      } finally {
        idp.close();
      }
    });
  });
});
