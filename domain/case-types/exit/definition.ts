import { z } from 'zod';
import type { ProcessDefinition } from '../../process/definition';
import type { RuleSet } from '../../rules/rule-set';

/**
 * 退出: ending a worker's service. Further exit situations the records show while the case is open join it
 * (additionalReasons, added by the daily records check), so a worker never has two exit cases at once.
 */
export const exitPayload = (rules: RuleSet) => {
  const reason = z
    .enum(rules.exit.reasons.map((r) => r.code))
    .describe(`one of the rule set's exit situations: ${rules.exit.reasons.map((r) => `${r.code} (${r.title.en})`).join('; ')}`);
  const detail = z.string().trim().min(1).max(4000).describe('the facts behind the reason');
  return z.object({
    reason,
    detail,
    additionalReasons: z
      .array(z.object({ reason, detail }))
      .max(20)
      .optional()
      .describe('further exit situations that joined the case while it was open'),
  });
};

/**
 * Version 2: the worker is heard before the decision, not after; the street party committee decides collectively
 * at a meeting; a party post ends by removal (免职) by the party organisation above, a seat on the residents'
 * committee by recall (罢免) by the residents' meeting, each a stage of its own with its body; who decides each
 * stage is the approval matrix. Version 1 (heard after the decision, 免职/罢免 as one choice of the street): versions/v1.ts.
 */
export const definition = {
  type: 'exit' as const,
  version: 2,
  title: { zh: '社区工作者退出', en: 'Exit' },
  description: {
    zh: '街道核实退出情形，听取本人陈述后，街道（乡镇）党（工）委集体研究决定；担任社区党组织职务的由党组织免职，居民委员会成员由居民会议罢免，然后依法解除劳动合同；聘用人员依法解除劳动合同。',
    en: 'The street establishes the exit situation and hears the worker, then the street party committee decides collectively; party posts end by removal from post by the party organisation, a seat on the residents’ committee by recall by the residents’ meeting, and then the labour contract ends; a hired worker’s contract ends directly.',
  },
  payload: exitPayload,
  stages: [
    {
      id: 'verification',
      title: { zh: '核实退出情形', en: 'Exit situation established' },
      kind: 'record',
      actor: 'exit.verification',
      mode: 'any',
      deadline: 'exit.verification',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      recheckEligibility: true,
      fields: [{ name: 'findings', title: { zh: '核实情况', en: 'Findings' }, type: 'string', required: true }],
    },
    {
      id: 'hearing',
      title: { zh: '听取本人陈述', en: 'The worker is heard' },
      kind: 'record',
      actor: 'exit.hearing',
      mode: 'any',
      deadline: 'exit.hearing',
      onExpiry: 'none',
      fields: [
        { name: 'statement', title: { zh: '本人陈述', en: 'Statement' }, type: 'string' },
        { name: 'waived', title: { zh: '本人放弃陈述', en: 'The worker waived the hearing' }, type: 'boolean' },
      ],
    },
    {
      id: 'street-decision',
      title: { zh: '街道（乡镇）党（工）委集体研究决定', en: 'Street party committee decides collectively' },
      actor: 'exit.street-decision',
      mode: 'collective',
      deadline: 'exit.decision',
      reminders: ['reminder.first'],
      onExpiry: 'none',
    },
    {
      id: 'party-post-removal',
      title: { zh: '免去党内职务', en: 'Removal from party post' },
      kind: 'record',
      actor: 'exit.party-post-removal',
      mode: 'any',
      deadline: 'exit.partyPostRemoval',
      onExpiry: 'none',
      when: { path: 'subject.partyPost', exists: true },
      fields: [
        { name: 'effectiveOn', title: { zh: '免职日期', en: 'Removed on' }, type: 'date', required: true },
        { name: 'documentRef', title: { zh: '免职文号', en: 'Decision reference' }, type: 'string', required: true },
      ],
    },
    {
      id: 'recall',
      title: { zh: '居民会议罢免', en: 'Recall by the residents’ meeting' },
      kind: 'record',
      actor: 'exit.recall',
      mode: 'any',
      deadline: 'exit.recall',
      onExpiry: 'none',
      when: { path: 'subject.residentsCommitteePost', exists: true },
      headcountVote: true,
      fields: [
        { name: 'meetingDate', title: { zh: '居民会议日期', en: 'Date of the residents’ meeting' }, type: 'date', required: true },
        { name: 'entitled', title: { zh: '应到人数', en: 'Entitled to attend' }, type: 'number', required: true, min: 1 },
        { name: 'present', title: { zh: '实到人数', en: 'Present' }, type: 'number', required: true, min: 0 },
        { name: 'votesFor', title: { zh: '赞成罢免票数', en: 'Votes for the recall' }, type: 'number', required: true, min: 0 },
      ],
      decisive: [
        {
          when: { path: 'data.tally.passed', equals: false },
          effect: 'reject',
          reason: {
            zh: '居民会议未通过罢免，不能解除劳动合同',
            en: 'The residents’ meeting did not pass the recall: the contract cannot end',
          },
        },
      ],
    },
    {
      id: 'contract-termination',
      title: { zh: '解除劳动合同', en: 'Contract terminated' },
      actor: 'exit.contract-termination',
      mode: 'any',
      deadline: 'exit.contract',
      onExpiry: 'none',
      fields: [{ name: 'terminatedOn', title: { zh: '解除日期', en: 'Terminated on' }, type: 'date', required: true }],
    },
  ],
} satisfies ProcessDefinition<ReturnType<typeof exitPayload>>;
