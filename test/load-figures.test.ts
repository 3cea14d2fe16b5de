import { figures, unexpectedAnswers, unexpectedByRoute, type Attempt } from './cluster/load';

/**
 * What the soak and the fault tests count as "not designed back-pressure": every 5xx but 503, every dropped
 * connection, and every answer later than the deadline, whatever its status; each with its route.
 */
describe('unexpected answers of a load run', () => {
  const at = Date.UTC(2026, 11, 1, 12, 0, 0);
  const attempt = (status: number, ms: number, route = 'POST /cases', detail?: string): Attempt => ({
    at,
    ms,
    what: 'submit',
    route,
    status,
    problemJson: status >= 400,
    ...(status === 503 ? { retryAfter: '1' } : {}),
    ...(detail ? { detail } : {}),
  });

  test.each([
    ['a 201 within the deadline', attempt(201, 300), undefined],
    ['a 503 with Retry-After (designed back-pressure)', attempt(503, 2_000), undefined],
    ['a 429 (the rate limit)', attempt(429, 5), undefined],
    ['a 409 (a conflict is an answer)', attempt(409, 40), undefined],
    ['a 500', attempt(500, 30, 'POST /cases', 'an unexpected error occurred'), 'server error'],
    ['a 502', attempt(502, 30), 'server error'],
    ['a dropped connection', attempt(0, 10), 'dropped connection'],
    ['a 200 one millisecond past the deadline', attempt(200, 10_001), 'past the deadline'],
    ['a 503 past the deadline', attempt(503, 12_500), 'past the deadline'],
    ['an answer exactly at the deadline', attempt(200, 10_000), undefined],
  ])('%s', (_, a, kind) => {
    const found = unexpectedAnswers([a], 10_000);
    expect(found.map((u) => u.kind)).toEqual(kind ? [kind] : []);
    if (kind) expect(found[0]).toMatchObject({ at: '2026-12-01T12:00:00.000Z', route: a.route, status: a.status, ms: a.ms });
  });

  test('counted by kind, status and route, and kept in full by the figures', () => {
    const attempts = [
      attempt(500, 30, 'POST /cases/:id/actions'),
      attempt(500, 31, 'POST /cases/:id/actions'),
      attempt(200, 15_000, 'POST /cases'),
      attempt(503, 900, 'POST /cases'),
      attempt(201, 100, 'POST /cases'),
    ];
    const f = figures('run', attempts, [], at, 10_000);
    expect(f).toMatchObject({ serverErrors: 2, pastDeadline: 1, unavailable503: 1, connectionErrors: 0 });
    expect(f.unexpected).toHaveLength(3);
    expect(unexpectedByRoute(f.unexpected)).toEqual({
      'server error 500 POST /cases/:id/actions': 2,
      'past the deadline 200 POST /cases': 1,
    });
  });
});
