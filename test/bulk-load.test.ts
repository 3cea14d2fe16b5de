import { Pool } from 'pg';
import { bulkLoad, prepareHistoryOrg, samplePayload } from '../bench/bulk-load';
import type { Json } from '../domain/history';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/**
 * The benchmark's bulk load (bench/bulk-load.ts) makes its cases with the real engine from payloads made from
 * the current definitions: a definition that gains a required field must not break the load again (it did:
 * error-tolerance v2 added accountabilityRef and accountabilityStartedOn). A small load here, its chains verified
 * with every other test database's when the database is dropped.
 */
describe('bulk load of engine-made cases', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase({ seeded: true });
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  test('every case type of the load fits its current payload schema, and the cases load with valid chains', async () => {
    const org = await prepareHistoryOrg(pool, 2);
    const load = await bulkLoad(pool, org, 400, { openShare: 0.05, years: 1, seed: 7 }, () => undefined);
    expect(load.anomalySamples).toEqual([]);
    expect(load.cases).toBe(400);
    const { rows } = await pool.query<{ type: string }>(`SELECT DISTINCT type FROM "Case" ORDER BY type`);
    expect(rows.map((r) => r.type)).toEqual(['commendation', 'error-tolerance', 'exit', 'name-clearing', 'promotion', 'recruitment']);
    const { rows: tolerance } = await pool.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM "Case" WHERE type = 'error-tolerance' LIMIT 1`,
    );
    expect(tolerance[0]?.payload).toMatchObject({ accountabilityRef: '鼓纪问〔2025〕7号', accountabilityStartedOn: '2025-08-01' });
  });

  test.each([
    [
      'a required text field from its description',
      { type: 'object', properties: { a: { type: 'string', description: '说明' } }, required: ['a'] },
      { a: '说明' },
    ],
    ['an optional field left out', { type: 'object', properties: { a: { type: 'string' } } }, {}],
    ['a date', { type: 'object', properties: { d: { type: 'string', format: 'date' } }, required: ['d'] }, { d: '2025-07-15' }],
    [
      'the first of an enum, a boolean, a minimum',
      {
        type: 'object',
        properties: { e: { enum: ['x', 'y'] }, b: { type: 'boolean' }, n: { type: 'integer', minimum: 3 } },
        required: ['e', 'b', 'n'],
      },
      { e: 'x', b: false, n: 3 },
    ],
    [
      'the first branch of a union',
      { oneOf: [{ type: 'object', properties: { kind: { const: 'regular' } }, required: ['kind'] }, { type: 'object' }] },
      { kind: 'regular' },
    ],
    ['text padded to its minimum length', { type: 'string', minLength: 4, description: '甲' }, '甲。。。'],
  ] as [string, Json, Json][])('samplePayload: %s', (_what, schema, expected) => {
    expect(samplePayload(schema)).toEqual(expected);
  });
});
