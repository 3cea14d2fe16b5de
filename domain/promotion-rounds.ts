import type { Localized } from './localized';
import { largestWithin, type PromotionRoundRules, type RoundQuota } from './rules/rule-set';

/**
 * 年度晋升: promotions are decided in a yearly round per street. The street checks the list the communities
 * proposed against its quota before its party committee decides the list at one meeting; the rule set gives the
 * quota per street, as a count or as a share of the workers eligible that year.
 */

export function quotaOf(rules: PromotionRoundRules, streetId: string): RoundQuota {
  return Object.prototype.hasOwnProperty.call(rules.quotas, streetId) ? (rules.quotas[streetId] as RoundQuota) : rules.defaultQuota;
}

/**
 * The most people a round may promote. A share is a ceiling (以内): the largest whole number of people within it
 * (strict: below it), in integer arithmetic so a third of 9 is exactly 3.
 */
export function quotaLimit(quota: RoundQuota, eligible: number): number {
  return quota.kind === 'count' ? quota.max : largestWithin(eligible, quota.share);
}

export interface QuotaCheck {
  within: boolean;
  proposed: number;
  eligible: number;
  limit: number;
  reason: Localized;
}

/** Whether a round's list fits its quota, with the reason as the street's check states it. */
export function checkRoundQuota(quota: RoundQuota, proposed: number, eligible: number): QuotaCheck {
  const limit = quotaLimit(quota, eligible);
  const within = proposed <= limit;
  const basis: Localized =
    quota.kind === 'count'
      ? { zh: `名额${quota.max}人`, en: `a quota of ${quota.max}` }
      : {
          zh: `名额为符合条件人数（${eligible}人）的${quota.share.numerator}/${quota.share.denominator}${quota.share.strict ? '以下' : '以内'}，即${limit}人`,
          en: `a quota of ${quota.share.strict ? 'less than' : 'at most'} ${quota.share.numerator}/${quota.share.denominator} of the ${eligible} eligible, i.e. ${limit}`,
        };
  return {
    within,
    proposed,
    eligible,
    limit,
    reason: within
      ? { zh: `拟晋升${proposed}人，未超过${basis.zh}`, en: `${proposed} proposed, within ${basis.en}` }
      : { zh: `拟晋升${proposed}人，超过${basis.zh}`, en: `${proposed} proposed, over ${basis.en}` },
  };
}

/**
 * Batch approval (select several cases, one action) is for the community stage of a round's promotions only: the
 * community party organisation recommends a list. Decisions that end employment, discipline or remedies
 * (exits, disciplinary matters, appeals) are weighed one case at a time, so they are never batched, and nor is
 * any other stage or type: the list is an allow-list. A promotion proposed on its own, outside a round, is
 * recommended on its own too: the list a batch recommends is the round's.
 */
export const BATCH_APPROVABLE: Readonly<Record<string, readonly string[]>> = { promotion: ['community-recommendation'] };

/** Why a case cannot be approved in a batch, or null when it can. `roundId`: the round the case is a member of. */
export function batchRefusal(type: string, stageId: string | null, roundId: string | null): Localized | null {
  const stages = Object.prototype.hasOwnProperty.call(BATCH_APPROVABLE, type) ? BATCH_APPROVABLE[type] : undefined;
  if (!stages) {
    return {
      zh: `${type}类事项须逐件审批，不能批量审批`,
      en: `${type} cases are decided one at a time, never in a batch`,
    };
  }
  if (stageId === null || !stages.includes(stageId)) {
    return {
      zh: `只有${stages.join('、')}环节可以批量审批（本件在${stageId ?? '无待办环节'}）`,
      en: `only the ${stages.join(', ')} stage may be approved in a batch (this case is at ${stageId ?? 'no open stage'})`,
    };
  }
  if (roundId === null) {
    return {
      zh: '本件不属于年度晋升名单，须逐件审批，不能批量审批',
      en: 'a promotion outside a yearly round is decided on its own, never in a batch',
    };
  }
  return null;
}
