import { createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Caller } from '../domain/access';
import type { CaseTypeName } from '../domain/case-types/names';
import { fill } from '../domain/documents/compose';
import type { DocumentTemplates } from '../domain/documents/templates';
import { jsonText, type Json } from '../domain/history';
import { POST_TYPE_LABELS } from '../domain/personnel';
import { PUBLIC_OBJECTOR } from '../domain/process/case-actions';
import { FINAL_STATUSES, type CaseCommand, type CaseStatus } from '../domain/process/engine';
import type { Store } from '../store';
import { actUpdate } from '../workflows/messages';
import { HttpProblem, notFound } from './problem';
import { callTemporal, type TemporalAccess } from './temporal';

/**
 * The public notice (公示) for residents, without sign-in: the cases in 公示 with only what a posted notice shows
 * (name, community, post, what is proposed, the period) under an opaque notice id, and residents' objections.
 * An objection passes a challenge first (an arithmetic question signed with HMAC-SHA256, answered once, within
 * ten minutes: no third-party captcha), then its resident's name and telephone are stored in PostgreSQL, and the
 * case records it as an `object` action with channel `public` by the system actor, referencing that row — the
 * resident's details never enter Temporal. The objection goes to the notice's deciding body like any other.
 */

export const publicObjectionBody = z.object({
  name: z.string().trim().min(1, 'your name is needed').max(50),
  telephone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,30}$/, 'a telephone number of digits, spaces, +, - or parentheses'),
  content: z.string().trim().min(5, 'say what the objection is (at least 5 characters)').max(2000),
  challenge: z.object({ token: z.string().min(1).max(500), answer: z.string().trim().min(1).max(10) }),
});

const CHALLENGE_TTL_MS = 10 * 60_000;

export interface PublicNoticeServiceDeps {
  store: Pick<Store, 'publicNotices' | 'cases'>;
  temporal: TemporalAccess;
  templates: DocumentTemplates;
  /** Signs the challenges: one secret for every API process, so any of them accepts what another issued. */
  secret: string;
}

const dayOf = (d: Date | string) => new Date(new Date(d).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export function createPublicNoticeService({ store, temporal, templates, secret }: PublicNoticeServiceDeps) {
  const sign = (data: string) => createHmac('sha256', secret).update(data).digest('base64url');
  /** Checks a challenge's signature, expiry and answer, and marks it answered: each is good for one objection. */
  async function checkChallenge(token: string, answer: string) {
    const [data, mac] = token.split('.');
    const expected = data ? sign(data) : '';
    if (!data || !mac || mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
      throw new HttpProblem('invalid-request', 'the challenge is not valid; ask for a new one');
    }
    const { a, b, exp, nonce } = JSON.parse(Buffer.from(data, 'base64url').toString()) as {
      a: number;
      b: number;
      exp: number;
      nonce: string;
    };
    if (exp < Date.now()) throw new HttpProblem('invalid-request', 'the challenge has expired; ask for a new one');
    if (Number(answer) !== a + b) throw new HttpProblem('invalid-request', 'the answer to the challenge is wrong');
    // In PostgreSQL, so that an answer used at one API replica is refused at every other.
    if (!(await store.publicNotices.useChallenge(nonce, new Date(exp))))
      throw new HttpProblem('invalid-request', 'the challenge was used already; ask for a new one');
  }

  /**
   * Why an objection to this notice is not taken now, from where its case stands: the notice ended (409 with the
   * day: it ran its course, the case was decided, or a later notice followed), or the case is not in its public
   * notice (公示) at the moment (409: an upheld objection sent it back to its deciding stage, and a new notice
   * follows a new decision), or the case's own refusal while its notice runs (409, e.g. its limit of objections).
   */
  async function refusalOf(notice: { caseId: string; startedAt: Date }, refusal?: HttpProblem): Promise<HttpProblem> {
    const standing = await store.publicNotices.standing(notice.caseId, notice.startedAt);
    if (!standing) return notFound('notice');
    const final = FINAL_STATUSES.includes(standing.status as CaseStatus);
    const inNotice = standing.status === 'public_notice' || standing.status === 'objection_review';
    const ended = final || standing.endedBy === 'notice_completed' || standing.endedBy === 'notice_opened';
    if (ended || (inNotice && refusal?.type === 'not-found')) {
      const endedAt = standing.endedAt ?? standing.decidedAt;
      const endedOn = endedAt ? dayOf(endedAt) : null;
      return new HttpProblem(
        'conflict',
        `this public notice has ended${endedOn ? ` (on ${endedOn})` : ''}; objections are no longer accepted`,
        {
          reason: 'notice-ended',
          endedOn,
        },
      );
    }
    if (!inNotice) {
      return new HttpProblem('conflict', 'the case is not in its public notice (公示) now; objections are accepted only while it runs', {
        reason: 'not-in-public-notice',
      });
    }
    return refusal ?? new HttpProblem('conflict', 'the case does not take objections now');
  }

  async function visibleNotices() {
    const rows = await store.publicNotices.running();
    const ids = await store.publicNotices.noticeIds(rows);
    return rows.map((r) => ({ row: r, noticeId: ids.get(`${r.caseId}@${r.startedAt.toISOString()}`) as string }));
  }

  return {
    /**
     * The notices as posted: a case on its own is a notice of its own; the members of a yearly round (年度晋升)
     * are ONE notice with its list of names, as the street posts it. Each name keeps its own notice id, period and
     * objections (an upheld objection removes that one person; the rest of the list runs on).
     */
    async list() {
      const notices = await visibleNotices();
      const posted = notices.map(({ row, noticeId }) => {
        const payload = (row.payload ?? {}) as Record<string, Json>;
        const values = Object.fromEntries(Object.entries(payload).map(([k, v]) => [`payload.${k}`, jsonText(v)]));
        return {
          row,
          notice: {
            noticeId,
            name: row.subjectName,
            community: row.community,
            post: POST_TYPE_LABELS[row.postType as keyof typeof POST_TYPE_LABELS]?.zh ?? row.postType,
            proposal: fill(templates.proposal[row.type as CaseTypeName] ?? '', values),
            period: { start: dayOf(row.startedAt), end: row.dueAt ? dayOf(row.dueAt) : null },
            paused: row.status === 'objection_review',
          },
        };
      });
      const rounds = new Map<string, { street: string; year: number; names: (typeof posted)[number]['notice'][] }>();
      for (const { row, notice } of posted) {
        if (row.roundId === null) continue;
        const round = rounds.get(row.roundId) ?? { street: row.roundStreet ?? '', year: row.roundYear ?? 0, names: [] };
        round.names.push(notice);
        rounds.set(row.roundId, round);
      }
      return {
        items: posted.filter(({ row }) => row.roundId === null).map(({ notice }) => notice),
        rounds: [...rounds.values()].map((round) => {
          const names = round.names.sort((a, b) => a.community.localeCompare(b.community, 'zh') || a.name.localeCompare(b.name, 'zh'));
          const ends = names.map((n) => n.period.end);
          return {
            street: round.street,
            year: round.year,
            // The list's period: from its first name's opening to its last name's end (each name's own is beside it).
            period: {
              start: names.map((n) => n.period.start).sort()[0] as string,
              end: ends.includes(null) ? null : ((ends as string[]).sort().at(-1) as string),
            },
            names,
          };
        }),
        contact: templates['public-notice'].contact,
      };
    },

    /** A fresh challenge: an addition to answer, signed, valid for ten minutes and one objection. */
    challenge() {
      const a = randomInt(2, 20);
      const b = randomInt(2, 20);
      const exp = Date.now() + CHALLENGE_TTL_MS;
      const data = Buffer.from(JSON.stringify({ a, b, exp, nonce: randomBytes(12).toString('base64url') })).toString('base64url');
      return { token: `${data}.${sign(data)}`, question: `${a} + ${b} = ?`, expiresAt: new Date(exp).toISOString() };
    },

    /** A resident's objection: checked, stored with their details, recorded by the case as a public objection. */
    async object(noticeId: string, body: z.infer<typeof publicObjectionBody>) {
      await checkChallenge(body.challenge.token, body.challenge.answer);
      const notice = await store.publicNotices.notice(noticeId);
      if (!notice) throw notFound('notice');
      const [running] = await store.publicNotices.running(notice.caseId);
      if (!running || running.startedAt.getTime() !== notice.startedAt.getTime()) throw await refusalOf(notice);
      const id = randomUUID();
      // The objection's time in the case is when it reached the service, the same in every resend of the Update.
      const requestedAt = new Date().toISOString();
      await store.publicNotices.addObjection({
        id,
        noticeId,
        caseId: notice.caseId,
        name: body.name,
        telephone: body.telephone,
        content: body.content,
      });
      const command: CaseCommand = { action: 'object', actorId: PUBLIC_OBJECTOR, channel: 'public', comment: body.content, reference: id };
      try {
        await callTemporal(
          temporal,
          () =>
            temporal.client.workflow
              .getHandle(notice.caseId)
              .executeUpdate(actUpdate, { args: [command, { requestedAt }], updateId: `public-objection:${id}` }),
          { workflowId: notice.caseId },
        );
      } catch (err) {
        await store.publicNotices.deleteObjection(id);
        // The case refused it, or its workflow is gone (closed and past retention): say why from where the case
        // stands now. Bad input (400) and an unavailable Temporal (503 with Retry-After) are answered as they are.
        if (err instanceof HttpProblem && (err.type === 'conflict' || err.type === 'not-found')) throw await refusalOf(notice, err);
        throw err;
      }
      const recorded = (await store.cases.events(notice.caseId)).find(
        (e) => e.action === 'object' && (e.data as { reference?: string } | null)?.reference === id,
      );
      await store.publicNotices.objectionRecorded(id, (recorded?.data as { objectionId?: string } | undefined)?.objectionId ?? null);
      return { received: true, reference: id };
    },

    /** Residents' objections to a case with their contact details, for whoever sees the case. */
    async objectionsOf(caller: Caller, caseId: string) {
      if (!(await store.cases.visible(caller, caseId))) throw notFound('case');
      const rows = await store.publicNotices.objectionsOf(caseId);
      return {
        items: rows.map((r) => ({
          reference: r.id,
          objectionId: r.objectionId,
          name: r.name,
          telephone: r.telephone,
          content: r.content,
          receivedAt: r.createdAt.toISOString(),
        })),
      };
    },
  };
}

export type PublicNoticeService = ReturnType<typeof createPublicNoticeService>;
