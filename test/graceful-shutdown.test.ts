import { startApi } from '../app/runtime';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { bearer, TEST_AUTH } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { testEnv } from './helpers/env';
import { uniqueTaskQueue } from './helpers/temporal';

/** Stopping the API (SIGTERM in `npm run api`) lets requests in flight finish, and takes no new ones. */
describe('graceful shutdown', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ seeded: true });
  });
  afterAll(async () => {
    await db.drop();
  });

  test('a request in flight gets its answer; the server then closes', async () => {
    const config = loadConfig({
      PORT: '0',
      AUTH_JWT_SECRET: TEST_AUTH.jwtSecret,
      // No worker polls this queue: the submission waits on Temporal for the whole deadline.
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('nobody'),
      TEMPORAL_ADDRESS: testEnv('temporalAddress'),
      TEMPORAL_RPC_TIMEOUT_MS: '1500',
      LOG_LEVEL: 'silent',
    });
    const api = await startApi({
      config,
      prisma: db.prisma,
      logger: createLogger('silent'),
      ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet,
    });
    const inFlight = fetch(`${api.url}/api/v1/cases`, {
      method: 'POST',
      headers: { Authorization: await bearer('clerk-jsl'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'promotion', subjectId: 'w-jsl-03', payload: { kind: 'regular' } }),
    });
    await new Promise((r) => setTimeout(r, 300));
    const stopped = api.stop().then(() => 'stopped');
    const response = await inFlight;
    expect(response.status).toBe(503); // the dependency timed out, but the client got an answer
    expect(await stopped).toBe('stopped');
    await expect(fetch(`${api.url}/healthz`)).rejects.toThrow();
  });
});
