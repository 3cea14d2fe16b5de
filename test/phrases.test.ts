import request from 'supertest';
import { DEFAULT_PHRASES, PHRASES_MAX } from '../domain/phrases';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/** 常用语 through the API on the real database: the defaults, adding, removing, and what is refused. */
describe('saved opinion phrases (常用语)', () => {
  const stack = useApiStack('phrases');
  const call = async (user: string, method: 'get' | 'post' | 'delete', body?: unknown, query?: Record<string, string>) => {
    const agent = request(stack.app);
    const req = agent[method]('/api/v1/me/phrases').set('Authorization', await bearer(user));
    if (query) void req.query(query);
    return body === undefined ? req : req.send(body as object);
  };

  test('everyone starts from the defaults; each person changes only their own list', async () => {
    expect((await call('sec-jsl', 'get')).body).toEqual({ items: [...DEFAULT_PHRASES] });
    const added = await call('sec-jsl', 'post', { text: '  经核对   档案无误 ' });
    expect(added.status).toBe(200);
    expect(added.body.items).toEqual([...DEFAULT_PHRASES, '经核对 档案无误']);
    // The same phrase again changes nothing.
    expect((await call('sec-jsl', 'post', { text: '经核对 档案无误' })).body.items).toEqual([...DEFAULT_PHRASES, '经核对 档案无误']);
    const removed = await call('sec-jsl', 'delete', undefined, { text: '材料齐全' });
    expect(removed.status).toBe(200);
    expect(removed.body.items).toEqual(['同意推荐', '情况属实', '请补充材料', '经核对 档案无误']);
    expect((await call('sec-jsl', 'get')).body.items).toEqual(['同意推荐', '情况属实', '请补充材料', '经核对 档案无误']);
    // Someone else still has the defaults; removing a default first writes the rest of them.
    expect((await call('sec-jyj', 'get')).body.items).toEqual([...DEFAULT_PHRASES]);
    expect((await call('sec-jyj', 'delete', undefined, { text: '同意推荐' })).body.items).toEqual(DEFAULT_PHRASES.slice(1));
  });

  test('an empty or overlong phrase is a 400; a full list is a 409 naming the limit', async () => {
    const empty = await call('clerk-jsl', 'post', { text: '   ' });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('cannot be empty');
    expect((await call('clerk-jsl', 'post', { text: '长'.repeat(101) })).status).toBe(400);
    expect((await call('clerk-jsl', 'post', {})).status).toBe(400);
    for (let n = DEFAULT_PHRASES.length; n < PHRASES_MAX; n += 1)
      expect((await call('clerk-jsl', 'post', { text: `意见 ${n}` })).status).toBe(200);
    const full = await call('clerk-jsl', 'post', { text: '再多一条' });
    expect(full.status).toBe(409);
    expect(full.body.detail).toContain(`at most ${PHRASES_MAX}`);
    expect((await call('clerk-jsl', 'get')).body.items).toHaveLength(PHRASES_MAX);
  });

  test('without a token the phrases are not read', async () => {
    expect((await request(stack.app).get('/api/v1/me/phrases')).status).toBe(401);
  });
});
