import { WorkflowUpdateFailedError } from '@temporalio/client';
import request from 'supertest';
import { caseIdFor } from '../services/cases';
import { actUpdate } from '../workflows/messages';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * Input that PostgreSQL cannot store (the NUL character, lone surrogates) or that overflows a parser (JSON nested
 * thousands deep) is refused with a 400 naming the field, at the API before any schema reads it and in the case
 * workflow's Update validator, so no such input reaches a workflow, let alone freezes a case. Forged cursors and
 * NUL in a query are refused too, instead of failing in PostgreSQL with a 500.
 */
describe('input PostgreSQL cannot store, or nesting a parser cannot read, is a 400 naming the field', () => {
  const stack = useApiStack('unsafe-input');

  /** Raw JSON text, so escapes such as \ud800 reach the server as they are. */
  const post = async (path: string, user: string, json: string, headers: Record<string, string> = {}) =>
    request(stack.app)
      .post(path)
      .set('Authorization', await bearer(user))
      .set({ 'Content-Type': 'application/json', ...headers })
      .send(json);
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);
  const nested = (depth: number) => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;

  let caseId: string;
  beforeAll(async () => {
    caseId = (await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' })).id;
  });

  test.each([
    ['a NUL in a comment', '{"action":"comment","comment":"a\\u0000b"}', 'comment'],
    ['a lone high surrogate in a comment', '{"action":"comment","comment":"a\\ud800b"}', 'comment'],
    ['a lone low surrogate in a comment', '{"action":"comment","comment":"\\udc00"}', 'comment'],
    ['a NUL in stage data', '{"action":"approve","data":{"note":"x\\u0000"}}', 'data.note'],
    ['a NUL in a stage data key', '{"action":"approve","data":{"no\\u0000te":"x"}}', 'data.no\u0000te'],
    ['a lone surrogate deep in stage data', '{"action":"approve","data":{"note":{"list":["ok","\\ud83d"]}}}', 'data.note.list.1'],
  ])('%s: refused', async (_what, json, field) => {
    const res = await post(`/api/v1/cases/${caseId}/actions`, 'sec-jsl', json);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual([field]);
  });

  test('a paired surrogate (an emoji) is text like any other', async () => {
    const res = await post(`/api/v1/cases/${caseId}/actions`, 'clerk-jsl', '{"action":"comment","comment":"请尽快办理 \\ud83d\\ude4f"}');
    expect(res.status).toBe(200);
  });

  test('a payload nested 10,000 deep is refused before any schema reads it', async () => {
    const action = await post(`/api/v1/cases/${caseId}/actions`, 'sec-jsl', `{"action":"approve","data":{"x":${nested(10_000)}}}`);
    expect(action.status).toBe(400);
    expect(action.body.detail).toMatch(/^data\.x(\.a\.0)+: is nested deeper than 32 levels$/);
    const submit = await post(
      '/api/v1/cases',
      'clerk-jsl',
      `{"type":"promotion","subjectId":"w-jsl-02","payload":{"kind":${nested(10_000)}}}`,
    );
    expect(submit.status).toBe(400);
    expect(submit.body.detail).toMatch(/^payload\.kind(\.a\.0)+: is nested deeper than 32 levels$/);
  });

  test('at submission: refused, and no workflow is started', async () => {
    for (const [json, field] of [
      ['{"type":"promotion","subjectId":"w-jsl-02","payload":{"kind":"regular","reason":"\\u0000"}}', 'payload.reason'],
      ['{"type":"promotion","subjectId":"w-jsl-02\\u0000","payload":{"kind":"regular"}}', 'subjectId'],
      ['{"type":"promotion","subjectId":"w-jsl-02","payload":{"kind":"regular","\\ud800":1}}', 'payload.\ud800'],
    ] as const) {
      const key = `unsafe-${json.length}`;
      const res = await post('/api/v1/cases', 'clerk-jsl', json, { 'Idempotency-Key': key });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual([field]);
      await expect(stack.temporal.client.workflow.getHandle(caseIdFor('clerk-jsl', key)).describe()).rejects.toThrow(/not found/i);
    }
  });

  test("the workflow's Update validator refuses them too, when something reaches it without the API", async () => {
    const handle = stack.temporal.client.workflow.getHandle(caseId);
    for (const command of [
      { action: 'comment', comment: 'a\u0000b', actorId: 'clerk-jsl' },
      { action: 'comment', comment: '\ud800', actorId: 'clerk-jsl' },
      { action: 'approve', data: { note: 'x\u0000' }, actorId: 'sec-jsl' },
      // The SDK's own payload converter cannot write 10,000 levels; 2,000 are beyond the bound all the same.
      { action: 'approve', data: JSON.parse(`{"x":${nested(2_000)}}`) as Record<string, never>, actorId: 'sec-jsl' },
    ] as const) {
      const refused = await handle.executeUpdate(actUpdate, { args: [command as never] }).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'invalid' });
    }
    // Nothing was recorded, and the case moves on: the projection is not stuck behind an event it cannot write.
    const approved = await stack.drive.act('sec-jsl', caseId, { action: 'approve', comment: '同意推荐' });
    expect(approved.currentStage.id).toBe('street-decision');
    const events = await request(stack.app)
      .get(`/api/v1/cases/${caseId}/events`)
      .set('Authorization', await bearer('auditor-1'));
    expect(JSON.stringify(events.body)).not.toMatch(/\\u0000|\\ud800/);
  });

  test('NUL in a query, a path or a cursor, and forged cursors, are 400s, not 500s', async () => {
    const auth = await bearer('auditor-1');
    const get = (path: string) => request(stack.app).get(path).set('Authorization', auth);
    const forged = (cursor: object) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
    for (const [path, field] of [
      ['/api/v1/cases?q=a%00b', 'query.q'],
      ['/api/v1/workers?q=%00', 'query.q'],
      ['/api/v1/workers?cursor=w%00', 'query.cursor'],
      ['/api/v1/cases/a%00b', 'params.id'],
      ['/api/v1/workers/a%00b', 'params.id'],
      ['/api/v1/audit/events?actorId=%00', 'query.actorId'],
      [`/api/v1/cases?cursor=${forged({ v: 'not a date', id: 'x' })}`, 'query.cursor'],
      [`/api/v1/cases?sort=dueAt&cursor=${forged({ v: '2026-02-30T00:00:00.000Z', id: 'x' })}`, 'query.cursor'],
      [`/api/v1/inbox?cursor=${forged({ v: null, id: 7 })}`, 'query.cursor'],
      [`/api/v1/audit/events?cursor=${forged({ at: '2026-01-01T00:00:00.000Z', caseId: 'x', seq: 1e20 })}`, 'query.cursor'],
      [`/api/v1/audit/events?cursor=${forged({ at: 'yesterday', caseId: 'x', seq: 1 })}`, 'query.cursor'],
      ['/api/v1/cases?cursor=not-base64-json', 'query.cursor'],
      ['/api/v1/cases/%ED%A0%80', 'path'],
    ] as const) {
      const res = await get(path);
      expect({ path, status: res.status, fields: fieldsOf(res.body) }).toEqual({ path, status: 400, fields: [field] });
    }
  });
});
