import { z } from 'zod';
import { CASE_TYPE_NAMES, type CaseTypeName } from '../case-types/names';

/**
 * The wording of the official documents (公文), as data beside the rule set: a county changes titles, issuing
 * bodies, paragraphs and where residents object without touching code (DOCUMENT_TEMPLATES_FILE, JSON of this
 * shape, validated at start-up). Texts take placeholders in braces, e.g. "{name}同志"; every placeholder must be
 * one of PLACEHOLDERS (or {payload.<field>}), so a misspelt one fails at start-up rather than in a printed letter.
 */

export const DOCUMENT_KINDS = [
  'approval-form',
  'public-notice',
  'error-tolerance-ruling',
  'clearance-letter',
  'commendation-decision',
  'termination-notice',
  'appeal-reply',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** What a text may say: the facts of the case a document is made of (services/documents.ts fills them). */
export const PLACEHOLDERS = [
  'name',
  'gender',
  'community',
  'street',
  'county',
  'post',
  'grade',
  'caseType',
  'proposal',
  'submittedDate',
  'decisionDate',
  'noticeStart',
  'noticeEnd',
  'telephone',
  'mailbox',
  'address',
  'ruling',
  'exitReason',
  'reasoning',
  'number',
  'today',
  'year',
] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;
const known = new Set<string>(PLACEHOLDERS);

/** The placeholders of a text that are not known: what start-up refuses. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string).filter((p) => !known.has(p) && !/^payload\.[A-Za-z][\w]*$/.test(p));
}

const text = z
  .string()
  .min(1)
  .max(2000)
  .superRefine((value, ctx) => {
    const unknown = unknownPlaceholders(value);
    if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown placeholder ${unknown.map((u) => `{${u}}`).join(', ')}` });
  });
const paragraphs = z.array(text).min(1).max(20);
const byType = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(CASE_TYPE_NAMES.map((t) => [t, value])) as { [K in CaseTypeName]: T });

/** A letter with a number (文号): who issues it, the number's prefix ("{street}党工委〔{year}〕{number}号"), its text. */
const letter = z.object({
  title: text,
  issuer: text.describe('the issuing body; document numbers are gapless per issuer and year'),
  numberFormat: text.describe('the 文号, e.g. "宁南党〔{year}〕{number}号"; {year} and {number} are the document\'s own'),
  recipient: text.optional(),
  paragraphs,
});

export const documentTemplatesSchema = z.object({
  /** What each case type proposes, in a phrase ("晋升为{grade}级"); used in titles and the notice. */
  proposal: byType(text),
  'approval-form': z.object({ title: byType(text), note: text.optional() }),
  'public-notice': z.object({
    title: text,
    issuer: text,
    paragraphs,
    /** Where residents object (公示受理): the rule set's county sets its own. */
    contact: z.object({ telephone: z.string().min(1).max(100), mailbox: z.string().min(1).max(200), address: z.string().min(1).max(300) }),
    scope: text.describe('where the notice is posted (公示范围)'),
  }),
  /** The ruling's wording by its code: the current definition's (tolerated, mitigated, not-tolerated) and earlier ones'. */
  'error-tolerance-ruling': letter.extend({ rulings: z.record(z.string().min(1).max(40), text) }),
  'clearance-letter': letter,
  'commendation-decision': letter,
  'termination-notice': letter.extend({
    /** 送达回证: the proof-of-service slip printed after the notice. */
    serviceSlip: z.object({ title: text, rows: z.array(text).min(1).max(12) }),
  }),
  /** The written reply to an appeal (复核决定书); {ruling} is the wording of its result (upheld, dismissed). */
  'appeal-reply': letter.extend({ results: z.record(z.string().min(1).max(40), text) }),
});
export type DocumentTemplates = z.output<typeof documentTemplatesSchema>;

/** Parses a county's templates, naming every problem with its path; throws for start-up to refuse. */
export function parseDocumentTemplates(json: unknown, source: string): DocumentTemplates {
  const parsed = documentTemplatesSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`document templates ${source} are invalid: ${problems}`);
  }
  return parsed.data;
}

/** The wording for the Jiangsu rule set (the demo rule set uses it too). Contact values are the county's to set. */
export const JIANGSU_DOCUMENT_TEMPLATES: DocumentTemplates = parseDocumentTemplates(
  {
    proposal: {
      promotion: '晋升一个岗位等级',
      recruitment: '定向招录（聘）为{payload.post}',
      'error-tolerance': '容错纠错认定',
      'name-clearing': '澄清正名',
      commendation: '授予“{payload.awardTitle}”称号',
      exit: '退出社区工作者队伍',
      appeal: '复核原决定',
      secondment: '借调至{payload.borrowingBody}',
      assessment: '{payload.year}年度考核',
    },
    'approval-form': {
      title: {
        promotion: '社区工作者岗位等级晋升审批表',
        recruitment: '社区工作者定向招录（聘）审批表',
        'error-tolerance': '社区工作者容错纠错认定审批表',
        'name-clearing': '社区工作者澄清正名审批表',
        commendation: '社区工作者表彰奖励审批表',
        exit: '社区工作者退出审批表',
        appeal: '社区工作者复核申诉审批表',
        secondment: '社区工作者借调审批表',
        assessment: '社区工作者年度考核登记表',
      },
      note: '本表由系统根据案件记录生成，各环节意见、签署人及日期均取自不可篡改的办理记录。',
    },
    'public-notice': {
      title: '关于{name}同志拟{proposal}的公示',
      issuer: '{street}党工委',
      scope: '{community}及{street}公开栏、政务公开网站',
      paragraphs: [
        '经社区党组织推荐、{street}党工委研究，拟对{community}社区工作者{name}同志{proposal}。现予以公示。',
        '公示期为{noticeStart}至{noticeEnd}。',
        '公示期间，如对公示对象有异议，可通过电话、信函或来访方式向{street}党工委反映。反映问题应实事求是，以个人名义反映的请署真实姓名和联系方式。',
        '受理电话：{telephone}；受理邮箱：{mailbox}；来信来访地址：{address}。',
      ],
      contact: { telephone: '025-00000000（县区组织人事部门设置）', mailbox: 'sqgz@example.gov.cn', address: '{street}党群服务中心' },
    },
    'error-tolerance-ruling': {
      title: '容错纠错认定书',
      issuer: '{county}纪委监委',
      numberFormat: '纪容〔{year}〕{number}号',
      recipient: '{name}同志：',
      paragraphs: [
        '你于{payload.incidentDate}发生的问题，经受理、核实并听取你本人陈述，经集体研究，认定如下：',
        '{ruling}',
        '本认定书抄送组织人事部门。',
      ],
      rulings: {
        tolerated: '予以容错，对你免予追究责任。',
        mitigated: '予以容错，对你从轻或减轻处理。',
        // Cases on the definition's first version ruled this way.
        'partially-tolerated': '予以部分容错，对你从轻或减轻处理。',
        'not-tolerated': '不予容错。',
      },
    },
    'clearance-letter': {
      title: '澄清函',
      issuer: '{street}纪工委',
      numberFormat: '纪澄〔{year}〕{number}号',
      recipient: '{community}：',
      paragraphs: [
        '经调查核实，反映你社区工作者{name}同志的有关问题失实：{payload.findingSummary}',
        '为保护干事创业积极性，现予以澄清正名。',
      ],
    },
    'commendation-decision': {
      title: '关于授予{name}同志“{payload.awardTitle}”称号的决定',
      issuer: '{street}党工委',
      numberFormat: '党工委〔{year}〕{number}号',
      paragraphs: [
        '{community}社区工作者{name}同志，{payload.achievements}',
        '为表彰先进，经研究决定，授予{name}同志“{payload.awardTitle}”称号。',
        '希望受表彰的同志珍惜荣誉、再接再厉。',
      ],
    },
    'termination-notice': {
      title: '解除（终止）劳动合同通知书',
      issuer: '{street}办事处',
      numberFormat: '退出〔{year}〕{number}号',
      recipient: '{name}同志：',
      paragraphs: [
        '因你存在以下情形：{exitReason}（{payload.detail}），经{street}党工委审核并听取你本人陈述，决定自{decisionDate}起与你解除（终止）劳动合同。',
        '请于收到本通知之日起十五日内办理工作交接手续。如对本决定不服，可依法申请劳动人事争议仲裁。',
      ],
      serviceSlip: {
        title: '送达回证',
        rows: [
          '送达文书：解除（终止）劳动合同通知书（{number}）',
          '受送达人：{name}',
          '送达地点：',
          '送达方式：',
          '受送达人签收：　　　　　年　月　日',
          '送达人：　　　　　　　见证人：',
        ],
      },
    },
    'appeal-reply': {
      title: '复核决定书',
      issuer: '{county}委社会工作部',
      numberFormat: '社复〔{year}〕{number}号',
      recipient: '{name}同志：',
      paragraphs: [
        '你对{payload.appealOf}号决定不服，申请复核。经受理并听取你本人陈述，现作出复核决定如下：',
        '{ruling}',
        '理由：{reasoning}',
        '原决定的办理记录不作改动；复核决定记入本人档案。',
      ],
      results: {
        upheld: '撤销（变更）原决定。',
        dismissed: '维持原决定。',
      },
    },
  },
  'built-in (jiangsu-2025)',
);

/** Built-in wording by rule set id; a rule set without its own reads Jiangsu's. */
export const BUILT_IN_DOCUMENT_TEMPLATES: Record<string, DocumentTemplates> = {
  'jiangsu-2025': JIANGSU_DOCUMENT_TEMPLATES,
  demo: JIANGSU_DOCUMENT_TEMPLATES,
};
