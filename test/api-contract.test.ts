import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { apiOperations, createServices } from '../api/app';
import { createMetrics } from '../api/metrics';
import { openApiPath, type Operation } from '../api/operation';
import { Problem } from '../api/schemas';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { ledgerSigner } from '../infra/ledger-key';
import { createStore } from '../store';
import { bearer, testApp } from './helpers/api';
import { ROLES, ROUTES, type Fixture, type RoleName } from './helpers/api-routes';
import { TEST_CHALLENGE_SECRET, TEST_LEDGER_KEY } from './helpers/database';
import { useApiStack } from './helpers/stack';

/**
 * The API keeps its contract: the OpenAPI document lists every operation and validates as OpenAPI 3.1, real
 * responses match the schemas the document declares, errors are problem details, and the cross-cutting
 * behaviour (idempotency, rate limits, request ids, security headers, metrics, docs) holds.
 */
describe('API contract', () => {
  const stack = useApiStack('contract');
  let operations: Operation[];
  let fixture: Fixture;

  beforeAll(async () => {
    const services = createServices({
      store: createStore(stack.db.prisma),
      temporal: { client: stack.temporal.client, taskQueue: stack.taskQueue, rpcTimeoutMs: 1000 },
      verifyToken: async () => ({ sub: 'x', issuedBy: 'service' }),
      ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet,
      logger: {} as never,
      ledgerSigner: ledgerSigner(TEST_LEDGER_KEY),
      publicChallengeSecret: TEST_CHALLENGE_SECRET,
    });
    operations = apiOperations(services, createMetrics(services.store));
    const inside = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    const outside = await stack.drive.submitted('clerk-mtj', 'promotion', 'w-mtj-03', { kind: 'regular' });
    fixture = {
      cases: { inside: inside.id, outside: outside.id },
      workers: { inside: 'w-jsl-03', outside: 'w-mtj-04' },
      communities: { inside: 'jsl', outside: 'mtj' },
    };
  });

  test('the served document lists every operation and validates as OpenAPI 3.1', async () => {
    const served = await request(stack.app).get('/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body.openapi).toBe('3.1.0');
    for (const op of operations) {
      expect({ op: op.operationId, present: Boolean(served.body.paths[`/api/v1${openApiPath(op.path)}`]?.[op.method]) }).toEqual({
        op: op.operationId,
        present: true,
      });
    }
    // The validator is an ES module; the script runs it natively.
    const output = execFileSync(
      process.execPath,
      [require.resolve('tsx/cli'), path.join(__dirname, '..', 'scripts', 'openapi.ts'), '--check'],
      { encoding: 'utf8' },
    );
    expect(output).toMatch(/^valid OpenAPI 3\.1\.0/);
  });

  /** The first role the matrix lets make the request, so the sample succeeds. */
  const permitted = (operationId: string): RoleName => {
    const route = ROUTES.find((r) => r.operationId === operationId);
    const role = (Object.keys(ROLES) as RoleName[]).find(
      (r) => route && route.expect(r, 'inside') >= 200 && route.expect(r, 'inside') < 300,
    );
    return role ?? 'auditor';
  };

  /** Validates against the served document itself (JSON Schema 2020-12), as external clients and fuzzers do. */
  async function documentValidator() {
    const document = (await request(stack.app).get('/openapi.json')).body;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...document, $id: 'openapi' });
    return (op: Operation, status: number, contentType: string) => {
      const pointer = ['paths', `/api/v1${openApiPath(op.path)}`, op.method, 'responses', String(status), 'content', contentType, 'schema']
        .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/');
      return ajv.compile({ $ref: `openapi#/${pointer}` });
    };
  }

  test('real responses of every operation match their declared schemas', async () => {
    const validatorFor = await documentValidator();
    let n = 5000;
    for (const op of operations) {
      const route = ROUTES.find((r) => r.operationId === op.operationId);
      expect({ op: op.operationId, sampled: Boolean(route) }).toEqual({ op: op.operationId, sampled: true });
      n += 2; // odd calls of verifyChains check one case, which every permitted role may do
      const res = await route!.call(stack.app, await bearer(ROLES[permitted(op.operationId)]), 'inside', fixture, n + 1);
      const spec = op.responses[res.status];
      expect({ op: op.operationId, status: res.status, declared: Boolean(spec) }).toEqual({
        op: op.operationId,
        status: res.status,
        declared: true,
      });
      if (spec?.schema && res.headers['content-type']?.includes('json')) {
        const parsed = spec.schema.safeParse(res.body);
        expect({ op: op.operationId, problems: parsed.success ? [] : parsed.error.issues }).toEqual({ op: op.operationId, problems: [] });
        const validate = validatorFor(op, res.status, res.status >= 400 ? 'application/problem+json' : 'application/json');
        validate(res.body);
        expect({ op: op.operationId, problems: validate.errors ?? [] }).toEqual({ op: op.operationId, problems: [] });
      }
    }
  });

  test('errors are problem details: invalid input, unknown ids, wrong content type, malformed and oversized bodies', async () => {
    const auth = await bearer('clerk-jsl');
    const cases = [
      await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send({ type: 'promotion' }),
      await request(stack.app).get('/api/v1/cases/nope').set('Authorization', auth),
      await request(stack.app).post('/api/v1/cases').set('Authorization', auth).set('Content-Type', 'text/plain').send('type=promotion'),
      await request(stack.app).post('/api/v1/cases').set('Authorization', auth).set('Content-Type', 'application/json').send('{"type": '),
      await request(stack.app)
        .post('/api/v1/cases')
        .set('Authorization', auth)
        .send({ type: 'promotion', subjectId: 'w-jsl-03', payload: { reason: 'x'.repeat(300_000) } }),
      await request(stack.app).get('/api/v1/cases?sort=sideways').set('Authorization', auth),
      await request(stack.app).get('/api/v1/cases?cursor=garbage').set('Authorization', auth),
      await request(stack.app).get('/api/v1/nothing-here').set('Authorization', auth),
      // Cursors that are JSON, but not of the shape the route hands out.
      await request(stack.app)
        .get(`/api/v1/cases?cursor=${Buffer.from('{"x":1}').toString('base64url')}`)
        .set('Authorization', auth),
      await request(stack.app)
        .get(`/api/v1/audit/events?cursor=${Buffer.from('{"at":1}').toString('base64url')}`)
        .set('Authorization', await bearer('auditor-1')),
    ];
    expect(cases.map((r) => r.status)).toEqual([400, 404, 415, 400, 413, 400, 400, 404, 400, 400]);
    for (const r of cases) {
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Problem.safeParse(r.body).success).toBe(true);
    }
    expect(cases[0]?.body.errors.map((e: { field: string }) => e.field)).toEqual(['subjectId', 'payload']);
  });

  test('the same Idempotency-Key with another body is refused with 422', async () => {
    const auth = await bearer('clerk-jyj');
    const first = await request(stack.app)
      .post('/api/v1/cases')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'k-1')
      .send({ type: 'promotion', subjectId: 'w-jyj-03', payload: { kind: 'regular' } });
    expect(first.status).toBe(201);
    const replay = await request(stack.app)
      .post('/api/v1/cases')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'k-1')
      .send({ type: 'promotion', subjectId: 'w-jyj-03', payload: { kind: 'regular' } });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.headers.location).toBe(`/api/v1/cases/${first.body.id}`);
    expect(first.headers.location).toBe(replay.headers.location);
    const other = await request(stack.app)
      .post('/api/v1/cases')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'k-1')
      .send({ type: 'promotion', subjectId: 'w-jyj-02', payload: { kind: 'regular' } });
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
  });

  test('per-user rate limits answer 429 with Retry-After', async () => {
    const limited = testApp({ prisma: stack.db.prisma, client: stack.temporal.client, taskQueue: stack.taskQueue, rateLimitPerMinute: 3 });
    const auth = await bearer('auditor-2');
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 5; i += 1) {
      last = await request(limited).get('/api/v1/me').set('Authorization', auth);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    // Another user is not affected.
    expect(
      (
        await request(limited)
          .get('/api/v1/me')
          .set('Authorization', await bearer('auditor-1'))
      ).status,
    ).toBe(200);
  });

  test('before sign-in the limit counts per address: public operations and refused tokens alike', async () => {
    const limited = testApp({ prisma: stack.db.prisma, client: stack.temporal.client, taskQueue: stack.taskQueue, rateLimitPerMinute: 3 });
    const statuses = [
      (await request(limited).get('/api/v1/auth/config')).status,
      (await request(limited).get('/api/v1/me').set('Authorization', 'Bearer not-a-token')).status,
      (await request(limited).post('/api/v1/auth/demo-login').send({ userId: 'no-such-user' })).status,
      (await request(limited).get('/api/v1/auth/config')).status,
      (await request(limited).get('/api/v1/me').set('Authorization', 'Bearer not-a-token')).status,
    ];
    expect(statuses).toEqual([200, 401, expect.any(Number), 429, 429]);
    expect(statuses[2]).not.toBe(429);
    // A signed-in user is counted on their own.
    expect(
      (
        await request(limited)
          .get('/api/v1/me')
          .set('Authorization', await bearer('auditor-1'))
      ).status,
    ).toBe(200);
  });

  test('request ids, security headers, metrics and interactive docs', async () => {
    const res = await request(stack.app).get('/healthz').set('X-Request-Id', 'req-123');
    expect(res.headers['x-request-id']).toBe('req-123');
    expect((await request(stack.app).get('/healthz')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();

    const metrics = await request(stack.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/cases\/:id"/);
    expect(metrics.text).toMatch(/case_starts_total\{type="promotion"\} \d+/);
    expect(metrics.text).toMatch(/case_stages_overdue \d+/);

    const docs = await request(stack.app).get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
    expect((await request(stack.app).get('/docs/swagger-initializer.js')).text).toContain('/openapi.json');
  });
});
