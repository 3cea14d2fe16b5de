import type { Express } from 'express';
import request from 'supertest';
import { createPrisma, type PrismaClient } from '../infra/prisma';
import { bearer, testApp } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * The API's database work per request on the hot path — submit, act, GET a case, the inbox — counted in SQL
 * statements (Prisma's query events of the API's own client; the worker's statements go through another client
 * and are not counted). Each route has a budget: a change that adds a round trip to every request fails here,
 * by count, not by time. The budgets are what the routes issue now; each statement is named below.
 */
describe('statements per request on the hot path', () => {
  const stack = useApiStack('hot-path-statements');
  let counted: PrismaClient;
  let app: Express;
  const statements: string[] = [];

  beforeAll(async () => {
    counted = createPrisma(stack.db.url, 5, (sql) => statements.push(sql));
    app = testApp({ prisma: counted, client: stack.temporal.client, taskQueue: stack.taskQueue });
  });
  afterAll(async () => {
    await counted.$disconnect();
  });

  /** The statements the API issued while answering `send`'s request (requests run one at a time here). */
  async function measure(send: () => Promise<request.Response>) {
    statements.length = 0;
    const res = await send();
    // Work the API finishes after answering (none is expected) would land in the next window; let it run here.
    await new Promise((resolve) => setImmediate(resolve));
    return { res, sql: [...statements] };
  }

  const submit = async (idempotencyKey: string) =>
    request(app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer('clerk-jsl'))
      .set('Idempotency-Key', idempotencyKey)
      .send({ type: 'promotion', subjectId: 'w-jsl-03', payload: { kind: 'regular' } });

  test('each hot-path route stays within its statement budget', async () => {
    // A first request warms the caches the API keeps for its whole life (rule set, org tree), so the counts are
    // those of every later request.
    await request(app)
      .get('/api/v1/inbox')
      .set('Authorization', await bearer('sec-jsl'));

    const submitted = await measure(() => submit('hot-path-1'));
    expect(submitted.res.status).toBe(201);
    const caseId = submitted.res.body.id as string;

    const again = await measure(() => submit('hot-path-1'));
    expect(again.res.status).toBe(201);
    expect(again.res.body.id).toBe(caseId);

    const read = await measure(async () =>
      request(app)
        .get(`/api/v1/cases/${caseId}`)
        .set('Authorization', await bearer('sec-jsl')),
    );
    expect(read.res.status).toBe(200);

    const inbox = await measure(async () =>
      request(app)
        .get('/api/v1/inbox')
        .set('Authorization', await bearer('sec-jsl')),
    );
    expect(inbox.res.status).toBe(200);
    expect(inbox.res.body.items.map((c: { id: string }) => c.id)).toContain(caseId);

    const acted = await measure(async () =>
      request(app)
        .post(`/api/v1/cases/${caseId}/actions`)
        .set('Authorization', await bearer('sec-jsl'))
        .set('Idempotency-Key', 'hot-path-2')
        .send({ action: 'approve', comment: '同意推荐' }),
    );
    expect(acted.res.status).toBe(200);

    const measured = {
      submit: submitted,
      'submit again (same Idempotency-Key)': again,
      'GET /cases/:id': read,
      'GET /inbox': inbox,
      act: acted,
    };
    for (const [route, { sql }] of Object.entries(measured)) {
      const budget = BUDGET[route as keyof typeof BUDGET];
      // The statements themselves in the failure message, so whoever adds one sees which.
      if (sql.length > budget) throw new Error(`${route}: ${sql.length} statements, budget ${budget}:\n  ${sql.map(oneLine).join('\n  ')}`);
    }
    // The budgets are tight: a route that needs fewer now has its budget lowered with it.
    expect(Object.fromEntries(Object.entries(measured).map(([route, { sql }]) => [route, sql.length]))).toEqual(BUDGET);
  });
});

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 200);

/**
 * Statements per request. Every request: the caller with their roles (one statement, roles joined). A mutating
 * request: its Idempotency-Key looked up, and its answer stored. Submit: the subject's entry (visibility), the
 * caller's own record (回避), the subject's record for the eligibility rules and the working calendar (years and
 * days joined), the case's projection confirmed (which also reads its short number). Act: the case row (visibility), the caller's own record, the
 * confirmation. GET /cases/:id: the case row, its appeals. GET /inbox: the count and the page.
 */
const BUDGET = {
  submit: 8,
  'submit again (same Idempotency-Key)': 2,
  // The user, the case, its appeals, and the delegations the caller holds today (委托: whom they may act for here).
  'GET /cases/:id': 4,
  // The user, the delegations the caller holds today (委托: the delegators' 待办 join theirs), the count, the page.
  'GET /inbox': 4,
  act: 6,
};
