// Version 1 of the exit definition, as cases started with it run: frozen, never edited (README, "Versioning running workflows").
import { z } from 'zod';
import type { ProcessDefinition } from '../../../process/definition';
import type { RuleSet } from '../../../rules/rule-set';

/**
 * 退出: ending a worker's service. An elected 两委 member is first removed from office (免职 / 罢免), then the
 * contract ends; a hired worker's contract is ended directly. The worker may be heard first.
 */
export const exitPayload = (rules: RuleSet) =>
  z.object({
    reason: z
      .enum(rules.exit.reasons.map((r) => r.code))
      .describe(`one of the rule set's exit situations: ${rules.exit.reasons.map((r) => `${r.code} (${r.title.en})`).join('; ')}`),
    detail: z.string().trim().min(1).max(4000).describe('the facts behind the reason'),
  });

export const definition = {
  type: 'exit' as const,
  version: 1,
  title: { zh: '社区工作者退出', en: 'Exit' },
  description: {
    zh: '街道党工委审核退出情形，听取本人陈述；两委成员依法依规免职或罢免后解除劳动合同，聘用人员依法解除劳动合同。',
    en: 'The street party working committee reviews the exit situation and the worker is heard; an elected 两委 member is removed from office before the contract ends; a hired worker’s contract is ended directly.',
  },
  payload: exitPayload,
  stages: [
    {
      id: 'street-review',
      title: { zh: '街道党工委审核', en: 'Street party working committee reviews' },
      actor: { level: 'street', department: 'party_committee' },
      mode: 'any',
      deadline: 'exit.decision',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      escalateTo: { level: 'county', department: 'social_work' },
      recheckEligibility: true,
    },
    {
      id: 'hearing',
      title: { zh: '听取本人陈述', en: 'The worker is heard' },
      kind: 'record',
      actor: { level: 'street', department: 'street_office' },
      mode: 'any',
      deadline: 'exit.hearing',
      onExpiry: 'none',
      fields: [
        { name: 'statement', title: { zh: '本人陈述', en: 'Statement' }, type: 'string' },
        { name: 'waived', title: { zh: '本人放弃陈述', en: 'The worker waived the hearing' }, type: 'boolean' },
      ],
    },
    {
      id: 'removal',
      title: { zh: '免职或罢免', en: 'Removal from office' },
      actor: { level: 'street', department: 'party_committee' },
      mode: 'any',
      deadline: 'exit.removal',
      onExpiry: 'none',
      when: { path: 'subject.employmentType', equals: 'elected' },
      fields: [
        {
          name: 'method',
          title: { zh: '方式（免职/罢免）', en: 'Method (dismissal / recall)' },
          type: 'enum',
          options: ['dismissal', 'recall'],
          required: true,
        },
        { name: 'effectiveOn', title: { zh: '生效日期', en: 'Effective on' }, type: 'date', required: true },
      ],
    },
    {
      id: 'contract-termination',
      title: { zh: '解除劳动合同', en: 'Contract terminated' },
      actor: { level: 'street', department: 'street_office' },
      mode: 'any',
      deadline: 'exit.contract',
      onExpiry: 'none',
      fields: [{ name: 'terminatedOn', title: { zh: '解除日期', en: 'Terminated on' }, type: 'date', required: true }],
    },
  ],
} satisfies ProcessDefinition<ReturnType<typeof exitPayload>>;
