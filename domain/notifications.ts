import { jsonDigest, type ChainedEvent, type Json } from './history';
import { FINAL_STATUSES, type CaseStatus } from './process/vocabulary';

/**
 * What a case's events tell people (通知): one pure mapping from a batch of chained events, and the case as it
 * stands after them, to notifications, each for one person. The projection writes them with the events (only
 * for events it wrote); the dispatcher sends them on by email and webhook. Attachment changes, comments, votes
 * and the clock's own bookkeeping tell nobody anything.
 */

export const NOTIFICATION_KINDS = [
  /** A stage opened with them among its assignees, they were added as an approver, handed a task, or escalated to. */
  'task',
  /** A reminder before the due date, by the clock or by someone. */
  'reminder',
  /** Their stage's due date passed. */
  'overdue',
  /** Their overdue stage was escalated to the supervising level (who got it see a task). */
  'escalated',
  /** The case came back to the applicant for changes (退回补正). */
  'returned',
  /** The case was decided: completed, rejected or withdrawn (told to the applicant and the observers). */
  'decision',
  /** A resident or a member of staff objected to the case in its public notice (异议). */
  'objection',
  /** A copy (抄送) of a decided stage to an observer the stage names (copyTo). */
  'copy',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The case after the batch, as far as the mapping needs it. */
export interface NotifiedCase {
  applicantId: string;
  /** Who must act now (progressOf(state).assignees). */
  assignees: string[];
  /** Those a decided stage's copies went to (抄送): told of the case's decision too. */
  observers: string[];
}

export interface CaseNotification {
  /** Stable for (event, kind, recipient): the in-app row's id and the root of every delivery's idempotency key. */
  id: string;
  caseId: string;
  seq: number;
  /** The event's hash: the outbox keeps a notification only when the stored history holds this very event. */
  eventHash: string;
  kind: NotificationKind;
  recipientId: string;
  stage: string | null;
  at: string;
}

const users = (value: Json | undefined): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];

const field = (data: Json, key: string): Json | undefined =>
  data !== null && typeof data === 'object' && !Array.isArray(data) ? data[key] : undefined;

/**
 * The events that decide a case, when they leave it in a final status: completion, a rejection by a person, the
 * clock, a vote, the data or an upheld objection, and withdrawal. (An event's fromStatus cannot tell: a rejecting
 * step may set the status before it records the event.)
 */
const DECIDING_EVENTS: readonly string[] = [
  'complete',
  'reject',
  'auto_reject',
  'vote_failed',
  'decided_by_data',
  'notice_cancelled',
  'withdraw',
];

/** Who an event tells what, before dropping the actor (nobody is told of their own action). */
function recipientsOf(event: ChainedEvent, after: NotifiedCase): [NotificationKind, string[]][] {
  const data = event.data;
  if (DECIDING_EVENTS.includes(event.action) && FINAL_STATUSES.includes(event.toStatus as CaseStatus)) {
    return [['decision', [after.applicantId, ...after.observers]]];
  }
  switch (event.action) {
    case 'copied':
      return [['copy', users(field(data, 'observers'))]];
    case 'stage_opened':
      return [['task', users(field(data, 'assignees'))]];
    case 'add-approver':
      return [['task', users(field(data, 'userId'))]];
    case 'transfer':
      return [['task', users(field(data, 'to'))]];
    case 'escalated': {
      const added = users(field(data, 'added'));
      return [
        ['task', added],
        ['escalated', after.assignees.filter((u) => !added.includes(u))],
      ];
    }
    case 'reminder':
    case 'remind':
      return [['reminder', users(field(data, 'to'))]];
    case 'deadline_passed':
      return [['overdue', after.assignees]];
    case 'return':
      return [['returned', [after.applicantId]]];
    case 'object':
      return [['objection', after.assignees.length > 0 ? after.assignees : [after.applicantId]]];
    default:
      return [];
  }
}

export function notificationsOf(events: readonly ChainedEvent[], after: NotifiedCase): CaseNotification[] {
  const out: CaseNotification[] = [];
  for (const event of events) {
    const seen = new Set<string>();
    for (const [kind, recipients] of recipientsOf(event, after)) {
      for (const recipientId of recipients) {
        if (recipientId === event.actorId || seen.has(`${kind}:${recipientId}`)) continue;
        seen.add(`${kind}:${recipientId}`);
        out.push({
          // The event's hash is in the key: should a lost attempt's event be replaced, its notification goes with it.
          id: jsonDigest({ event: event.hash, kind, recipientId }).slice(0, 32),
          caseId: event.caseId,
          seq: event.seq,
          eventHash: event.hash,
          kind,
          recipientId,
          stage: event.stage,
          at: event.at,
        });
      }
    }
  }
  return out;
}

/** The idempotency key of one delivery: a notification by email, or an event's kind to one webhook target. */
export const deliveryKey = {
  email: (notificationId: string) => `email:${notificationId}`,
  webhook: (targetId: string, event: { caseId: string; seq: number }, kind: NotificationKind) =>
    `webhook:${targetId}:${event.caseId}:${event.seq}:${kind}`,
};

/**
 * When a failed delivery is tried again: exponential backoff from `baseMs`, doubling per attempt up to `capMs`.
 * After `maxAttempts` it is given up (failed), and the case never waits for it.
 */
export function retryDelayMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
