import { addPeriod, remainingPeriod } from '../calendar';
import { byActor, type ActionRules } from './action-rule';
import { emit } from './events';
import { conflict, forbidden, invalid, isApplicant, isSubject, participants } from './permissions';
import { completeNotice, enterStage, openStageStatus, planIndexOf, rejectCase } from './stages';
import {
  currentStage,
  iso,
  type CaseCounts,
  type CaseState,
  type NoticeState,
  type Objection,
  type OpenStage,
  type RecordedCaseState,
  type Refusal,
  type ReturnState,
  type StageInstance,
} from './state';

const LIMITED = { comments: 'comments', objections: 'objections', reminds: 'reminders' } as const;

/** Refuses one more comment, objection or reminder once the case holds as many as its limits allow. */
function overLimit(state: RecordedCaseState, kind: keyof CaseCounts): Refusal | null {
  const limit = state.limits?.[kind];
  return limit !== undefined && (state.counts?.[kind] ?? 0) >= limit
    ? conflict(`this case has reached its limit of ${limit} ${LIMITED[kind]}`)
    : null;
}

/** Counts what the limits bound (cases started before them count nothing). */
function count(state: CaseState, kind: keyof CaseCounts): void {
  if (!state.limits) return;
  state.counts ??= { comments: 0, objections: 0, reminds: 0 };
  state.counts[kind] += 1;
}

/**
 * The actor of objections residents raise through the public notice page (no account of theirs exists): a
 * system actor, with the resident's own details kept in PostgreSQL and referenced from the event.
 */
export const PUBLIC_OBJECTOR = 'system:public-notice';

/**
 * The actions on the case as a whole: the applicant's (resubmit, withdraw, remind), comments by anyone taking
 * part, and objections during the public notice (公示) with the deciding body's ruling on them.
 */
export const CASE_LEVEL_ACTIONS: ActionRules<'resubmit' | 'withdraw' | 'remind' | 'comment' | 'object' | 'resolve-objection'> = {
  resubmit: {
    who(state, actorId) {
      if (!isApplicant(state, actorId)) return forbidden('only the applicant can resubmit the case');
      return state.status === 'returned' ? null : conflict('the case has not been returned');
    },
    apply(state, command, now, out) {
      const base = byActor(state, command);
      const returned = state.returned as ReturnState;
      state.payload = command.payload;
      state.returned = null;
      const suspension = state.suspensions[state.suspensions.length - 1];
      if (suspension) suspension.to = iso(now);
      emit(state, now, out, 'resubmit', { ...base, comment: command.comment, data: { payload: command.payload } });
      const c = state.current as OpenStage;
      if (returned.resumeStage === c.stageId) {
        // Back to the stage that returned it, with what was left of its deadline.
        const s = currentStage(state) as StageInstance;
        c.dueAt = returned.remaining ? iso(addPeriod(now, returned.remaining, state.calendar)) : c.dueAt;
        c.deadlinePassed = false;
        state.status = openStageStatus(s);
        emit(state, now, out, 'clock_resumed', { stage: c.stageId, data: { dueAt: c.dueAt, suspendedSince: returned.at } });
      } else {
        // Back to an earlier stage, which opens afresh.
        state.status = 'in_review';
        emit(state, now, out, 'clock_resumed', { stage: returned.resumeStage, data: { suspendedSince: returned.at } });
        enterStage(state, planIndexOf(state, returned.resumeStage), now, out);
      }
    },
  },

  withdraw: {
    who: (state, actorId) => (isApplicant(state, actorId) ? null : forbidden('only the applicant can withdraw the case')),
    apply(state, command, now, out) {
      const base = byActor(state, command);
      state.current = null;
      state.notice = null;
      state.returned = null;
      state.decidedAt = iso(now);
      emit(state, now, out, 'withdraw', { ...base, comment: command.comment, status: 'withdrawn' });
    },
  },

  remind: {
    who(state, actorId) {
      if (!isApplicant(state, actorId)) return forbidden('only the applicant can send a reminder');
      if (!state.current || state.status === 'returned') return conflict('no stage is waiting for a decision');
      return overLimit(state, 'reminds');
    },
    apply(state, command, now, out) {
      const c = state.current as OpenStage;
      count(state, 'reminds');
      emit(state, now, out, 'remind', { ...byActor(state, command), comment: command.comment, data: { to: c.assignees } });
      // A stage nobody could take is looked up again: role assignments may have been fixed since.
      if (c.phase === 'open' && c.assignees.length === 0) c.phase = 'resolving';
    },
  },

  comment: {
    who(state, actorId) {
      if (isSubject(state, actorId)) return forbidden('the subject of a case cannot comment on it (回避)');
      return participants(state).has(actorId) ? overLimit(state, 'comments') : forbidden('only participants of the case can comment');
    },
    apply(state, command, now, out) {
      count(state, 'comments');
      emit(state, now, out, 'comment', { ...byActor(state, command), comment: command.comment });
    },
  },

  object: {
    who(state, actorId) {
      if (isSubject(state, actorId)) return forbidden('the subject of a case cannot object to it');
      return state.status === 'public_notice' || state.status === 'objection_review'
        ? overLimit(state, 'objections')
        : conflict('objections are accepted only during the public notice (公示)');
    },
    content(_state, command) {
      const channel = command.channel ?? 'online';
      if ((channel === 'public') !== (command.actorId === PUBLIC_OBJECTOR)) {
        return invalid('the channel "public" is the public notice page\'s, and that page records no other');
      }
      return null;
    },
    apply(state, command, now, out) {
      count(state, 'objections');
      const channel = command.channel ?? 'online';
      const objection: Objection = {
        id: `objection-${state.objections.length + 1}`,
        by: command.actorId,
        at: iso(now),
        text: command.comment,
        status: 'open',
        ...(command.channel ? { channel } : {}),
      };
      state.objections.push(objection);
      const notice = state.notice as NoticeState;
      const period = state.definition.publicNotice?.period;
      emit(state, now, out, 'object', {
        ...byActor(state, command),
        stage: notice.afterStage,
        comment: command.comment,
        // Objections recorded before channels existed carry no channel in their event; their content is unchanged.
        data: command.channel
          ? { objectionId: objection.id, channel, ...(command.reference ? { reference: command.reference } : {}) }
          : { objectionId: objection.id },
      });
      // The first objection pauses the notice (异议核查) when the rules say so (cases started before it was a rule
      // value always paused); what is left of it runs again once every objection is dismissed.
      const pauses = state.definition.publicNotice?.objectionsPause !== false;
      if (pauses && state.status === 'public_notice' && notice.dueAt && period) {
        notice.remaining = remainingPeriod(now, new Date(notice.dueAt), period, state.calendar);
        notice.dueAt = null;
        emit(state, now, out, 'notice_paused', {
          stage: notice.afterStage,
          status: 'objection_review',
          data: { remaining: notice.remaining },
        });
      }
    },
  },

  'resolve-objection': {
    who(state, actorId) {
      // Under review: the notice is paused, or (when objections do not pause it) runs with an objection open.
      const underReview =
        state.status === 'objection_review' || (state.status === 'public_notice' && state.objections.some((o) => o.status === 'open'));
      if (!underReview) return conflict('no objection is under review');
      return state.notice?.resolvers.includes(actorId) ? null : forbidden('only the deciding body of the notice can rule on objections');
    },
    content(state, command) {
      const objection = state.objections.find((o) => o.id === command.objectionId);
      if (!objection) return invalid(`unknown objection "${command.objectionId}"`);
      if (objection.status !== 'open') return invalid(`objection "${command.objectionId}" is already ${objection.status}`);
      if (command.resolution === 'upheld' && !command.effect) return invalid('an upheld objection needs an effect: reconsider or reject');
      return null;
    },
    apply(state, command, now, out) {
      const notice = state.notice as NoticeState;
      const objection = state.objections.find((o) => o.id === command.objectionId) as Objection;
      objection.status = command.resolution;
      objection.resolvedBy = command.actorId;
      objection.resolvedAt = iso(now);
      objection.resolution = command.comment;
      emit(state, now, out, 'resolve-objection', {
        ...byActor(state, command),
        stage: notice.afterStage,
        comment: command.comment,
        data: { objectionId: objection.id, resolution: command.resolution, effect: command.effect ?? null },
      });
      if (command.resolution === 'upheld' && command.effect === 'reject') {
        rejectCase(state, now);
        emit(state, now, out, 'notice_cancelled', { stage: notice.afterStage, status: 'rejected', data: { objectionId: objection.id } });
      } else if (command.resolution === 'upheld') {
        // Back to the deciding stage: it decides again, and a fresh notice follows a new approval.
        state.notice = null;
        emit(state, now, out, 'notice_cancelled', { stage: notice.afterStage, status: 'in_review', data: { objectionId: objection.id } });
        enterStage(state, planIndexOf(state, notice.afterStage), now, out);
      } else if (!state.objections.some((o) => o.status === 'open') && notice.remaining) {
        notice.dueAt = iso(addPeriod(now, notice.remaining, state.calendar));
        notice.remaining = null;
        emit(state, now, out, 'notice_resumed', { stage: notice.afterStage, status: 'public_notice', data: { dueAt: notice.dueAt } });
      } else if (!state.objections.some((o) => o.status === 'open') && state.status === 'objection_review' && notice.dueAt === null) {
        // The period ran out while objections were verified (they did not pause it): the notice is over now.
        completeNotice(state, now, out);
      }
    },
  },
};
