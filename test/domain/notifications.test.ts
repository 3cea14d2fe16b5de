import type { ChainedEvent, Json } from '../../domain/history';
import { deliveryKey, notificationsOf, retryDelayMs, type NotifiedCase } from '../../domain/notifications';

/**
 * What each event tells whom (domain/notifications.ts), event by event: one row per event name, with the case
 * after it, and the (kind, recipient) pairs it must give. test/notifications.test.ts runs the same mapping
 * through the projection, the outbox and the real SMTP server and webhook receiver.
 */

let seq = 0;
function event(action: string, fields: Partial<ChainedEvent> & { data?: Json } = {}): ChainedEvent {
  seq += 1;
  return {
    caseId: 'c-1',
    seq,
    at: '2026-12-01T08:00:00.000Z',
    actorId: null,
    action,
    fromStatus: 'in_review',
    toStatus: 'in_review',
    stage: 'street-decision',
    comment: null,
    data: {},
    prevHash: '0'.repeat(64),
    hash: `h${seq}`.padEnd(64, '0'),
    ...fields,
  };
}

const CASE: NotifiedCase = { applicantId: 'clerk-jsl', assignees: ['dgw-1', 'dgw-2'], observers: ['hr-county'] };

const table: [string, ChainedEvent, NotifiedCase, [string, string][]][] = [
  [
    'a stage opened tells its assignees',
    event('stage_opened', { data: { assignees: ['sec-jsl'], mode: 'single' } }),
    CASE,
    [['task', 'sec-jsl']],
  ],
  [
    'an added approver',
    event('add-approver', { actorId: 'dgw-1', data: { userId: 'dgw-9', position: 'after' } }),
    CASE,
    [['task', 'dgw-9']],
  ],
  [
    'a transfer tells whom it went to',
    event('transfer', { actorId: 'dgw-1', data: { from: 'dgw-1', to: 'dgw-3' } }),
    CASE,
    [['task', 'dgw-3']],
  ],
  ['a reminder by the clock', event('reminder', { data: { to: ['dgw-1'], dueAt: null } }), CASE, [['reminder', 'dgw-1']]],
  [
    'a reminder by the applicant',
    event('remind', { actorId: 'clerk-jsl', data: { to: ['dgw-1', 'dgw-2'] } }),
    CASE,
    [
      ['reminder', 'dgw-1'],
      ['reminder', 'dgw-2'],
    ],
  ],
  [
    'the due date passed',
    event('deadline_passed', { data: { dueAt: null, onExpiry: 'escalate' } }),
    CASE,
    [
      ['overdue', 'dgw-1'],
      ['overdue', 'dgw-2'],
    ],
  ],
  [
    'an escalation: a task for those added, a notice for those already on it',
    event('escalated', { data: { added: ['dgw-2'] } }),
    CASE,
    [
      ['task', 'dgw-2'],
      ['escalated', 'dgw-1'],
    ],
  ],
  [
    'returned for changes',
    event('return', { actorId: 'dgw-1', toStatus: 'returned', data: { to: 'applicant' } }),
    CASE,
    [['returned', 'clerk-jsl']],
  ],
  [
    'rejected: the applicant and the observers',
    // As the engine records it: the status set before the event (fromStatus already rejected).
    event('reject', { actorId: 'dgw-1', fromStatus: 'rejected', toStatus: 'rejected' }),
    CASE,
    [
      ['decision', 'clerk-jsl'],
      ['decision', 'hr-county'],
    ],
  ],
  [
    'a decided stage copied (抄送): a copy to each observer it names, not to those copied before',
    event('copied', {
      stage: 'collective-decision',
      data: { to: [{ level: 'county', department: 'organisation_hr' }], observers: ['zzb-1', 'zzb-2'] },
    }),
    CASE,
    [
      ['copy', 'zzb-1'],
      ['copy', 'zzb-2'],
    ],
  ],
  [
    'completed by the clock',
    event('complete', { actorId: null, fromStatus: 'public_notice', toStatus: 'completed' }),
    CASE,
    [
      ['decision', 'clerk-jsl'],
      ['decision', 'hr-county'],
    ],
  ],
  [
    'withdrawn by the applicant: not told of their own act',
    event('withdraw', { actorId: 'clerk-jsl', toStatus: 'withdrawn' }),
    CASE,
    [['decision', 'hr-county']],
  ],
  [
    'an objection goes to those who review it',
    event('object', {
      actorId: null,
      fromStatus: 'public_notice',
      toStatus: 'objection_review',
      data: { objectionId: 'o1', channel: 'public' },
    }),
    CASE,
    [
      ['objection', 'dgw-1'],
      ['objection', 'dgw-2'],
    ],
  ],
  [
    'an objection with nobody to review it yet tells the applicant',
    event('object', { actorId: 'sec-jsl', toStatus: 'public_notice', data: { objectionId: 'o2', channel: 'phone' } }),
    { ...CASE, assignees: [] },
    [['objection', 'clerk-jsl']],
  ],
  ['an attachment tells nobody', event('attachment_added', { actorId: 'clerk-jsl', data: { sha256: 'x' } }), CASE, []],
  ['a comment tells nobody', event('comment', { actorId: 'dgw-1' }), CASE, []],
  ['approving tells nobody by itself', event('approve', { actorId: 'dgw-1' }), CASE, []],
  [
    'a decided case told again (outcome_applied keeps the status) tells nobody',
    event('outcome_applied', { fromStatus: 'completed', toStatus: 'completed' }),
    CASE,
    [],
  ],
];

describe('notificationsOf', () => {
  test.each(table)('%s', (_name, e, after, expected) => {
    const got = notificationsOf([e], after);
    expect(got.map((n) => [n.kind, n.recipientId])).toEqual(expected);
    for (const n of got) expect(n).toMatchObject({ caseId: e.caseId, seq: e.seq, stage: e.stage, at: e.at });
  });

  test('ids are stable for (event, kind, recipient) and differ when the event is replaced', () => {
    const e = event('stage_opened', { data: { assignees: ['a', 'b'] } });
    const first = notificationsOf([e], CASE);
    expect(notificationsOf([e], CASE)).toEqual(first);
    expect(new Set(first.map((n) => n.id)).size).toBe(2);
    const replaced = notificationsOf([{ ...e, hash: 'f'.repeat(64) }], CASE);
    expect(replaced.map((n) => n.id)).not.toEqual(first.map((n) => n.id));
  });

  test('a recipient named twice in one event is told once', () => {
    const e = event('remind', { actorId: 'clerk-jsl', data: { to: ['dgw-1', 'dgw-1'] } });
    expect(notificationsOf([e], CASE)).toHaveLength(1);
  });

  test('delivery keys', () => {
    expect(deliveryKey.email('n1')).toBe('email:n1');
    expect(deliveryKey.webhook('t1', { caseId: 'c', seq: 3 }, 'task')).toBe('webhook:t1:c:3:task');
  });

  test.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 30_000],
    [20, 30_000],
  ])('retry delay of attempt %i is %i ms (base 1 s, cap 30 s)', (attempt, ms) => {
    expect(retryDelayMs(attempt, 1000, 30_000)).toBe(ms);
  });
});
