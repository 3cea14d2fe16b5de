import { z } from 'zod';
import { CASE_GROUP_KINDS } from '../domain/case-groups';
import { NOTIFICATION_KINDS } from '../domain/notifications';
import { LEDGER_PAGE_DEFAULT, LEDGER_PAGE_FORMAT, LEDGER_PAGE_MAX } from '../domain/ledger';
import { DELEGATION_STATES } from '../domain/delegation';
import { ROLES } from '../domain/org';
import {
  ASSESSMENT_RESULTS,
  DISCIPLINE_KINDS,
  EDUCATION_LEVELS,
  EMPLOYMENT_TYPES,
  PARTY_POSTS,
  POST_TYPES,
  QUALIFICATION_ELIGIBILITY_BASES,
  QUALIFICATION_LEVELS,
  RESIDENTS_COMMITTEE_POSTS,
  WORKER_STATUSES,
} from '../domain/personnel';
import { CASE_ACTIONS, CASE_STATUSES, STAGE_MODES } from '../domain/process/vocabulary';

/**
 * Response shapes of the API, defined once, here: they type the handlers, appear in the OpenAPI document (named
 * by their meta id), the contract tests validate real responses against them, and the web UI takes its
 * response types from them (`z.infer`, type-only imports: web/src/types.ts). So this module imports only zod
 * and pure domain modules, nothing of the server.
 */

export const Localized = z.object({ zh: z.string(), en: z.string() }).meta({ id: 'Localized' });
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('a local date, YYYY-MM-DD');
const instant = z.string().describe('an ISO 8601 instant');

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          message: z.string().describe('in English'),
          code: z
            .string()
            .optional()
            .describe(
              "what is wrong, for a client to say in its own language: zod's issue code (too_small, too_big, invalid_type, …; custom for a schema's own check, named by key)",
            ),
          limit: z.number().optional().describe('the limit a too_small or too_big value passed'),
          origin: z.string().optional().describe('what the limit counts: string (characters), number, array (items), …'),
          format: z.string().optional().describe('the format an invalid_format value is not in'),
          key: z.string().optional().describe("the schema's own check a custom error is"),
        }),
      )
      .optional(),
    reasons: z.array(z.unknown()).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const EligibilityReason = z
  .object({
    ruleId: z.string(),
    passed: z.boolean(),
    detail: Localized,
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'EligibilityReason' });

export const Eligibility = z
  .object({
    eligible: z.boolean(),
    reasons: z.array(EligibilityReason),
    proposal: z
      .object({ fromGrade: z.number().int(), toGrade: z.number().int(), postType: z.enum(POST_TYPES), effectiveFrom: date })
      .optional()
      .describe('for an eligible promotion: the grade it leads to, and from when'),
  })
  .meta({ id: 'Eligibility' });

/** What a payload field naming another case refers to (an appeal's original, an extension's secondment). */
export const CaseReferences = z
  .array(
    z.object({
      field: z.string().describe('the payload field that names it: appealOf, extensionOf'),
      id: z.string().describe('the id the payload holds (for audit screens; people read the number)'),
      case: z
        .object({
          number: z.string().nullable().describe('the short case number, e.g. 晋升-2026-0012'),
          type: z.string(),
          subject: z.object({ id: z.string(), name: z.string() }),
          visible: z.boolean().describe('whether the caller may open it'),
          archived: z.boolean(),
        })
        .nullable()
        .describe('the case named; null when the id names a disciplinary record, or nothing'),
      disciplinaryRecord: z
        .object({ kind: z.string(), startDate: date, reason: z.string() })
        .nullable()
        .describe("the subject's disciplinary record named (an appeal of a measure)"),
    }),
  )
  .meta({ id: 'CaseReferences' });

export const CaseView = z
  .object({
    id: z.string(),
    number: z
      .string()
      .nullable()
      .describe(
        'the short case number people say and search (晋升-2026-0012): type, year of submission, sequence; null only while the case is first recorded',
      ),
    type: z.string(),
    status: z.enum(CASE_STATUSES),
    outcome: z.string().nullable(),
    subject: z.object({ id: z.string(), name: z.string() }),
    orgUnitId: z.string(),
    applicantId: z.string(),
    payload: z.record(z.string(), z.unknown()),
    currentStage: z
      .object({ id: z.string().describe('the stage id, as in GET /case-types'), title: Localized, mode: z.string() })
      .nullable(),
    assignees: z.array(z.string()).describe('users the case is waiting for'),
    dueAt: instant.nullable(),
    overdue: z.boolean(),
    submittedAt: instant,
    decidedAt: instant.nullable(),
    updatedAt: instant,
    ruleSet: z.object({ id: z.string(), version: z.number().int() }),
    definitionVersion: z.number().int(),
    lastSeq: z.number().int(),
    allowedActions: z.array(z.enum(CASE_ACTIONS)).describe('what the caller may do now'),
    appeals: z
      .array(z.object({ id: z.string(), status: z.enum(CASE_STATUSES), outcome: z.string().nullable() }))
      .optional()
      .describe(
        'GET /cases/:id only: the appeals (复核/申诉) of this case, oldest first; an appeal names its original in payload.appealOf',
      ),
    references: CaseReferences.optional().describe(
      'GET /cases/:id only: the cases (or disciplinary record) its payload names (appealOf, extensionOf), by number and subject',
    ),
    actingFor: z
      .array(
        z.object({
          userId: z.string(),
          name: z.string(),
          from: z.string().describe('the delegation holds from this day'),
          to: z.string().describe('to this day, inclusive'),
          allowedActions: z.array(z.enum(CASE_ACTIONS)).describe('what the caller may do now on their behalf'),
        }),
      )
      .optional()
      .describe('GET /cases/:id only: 委托, the assignees the caller acts for today (POST /cases/:id/actions?onBehalfOf=)'),
  })
  .meta({ id: 'Case' });
export type CaseView = z.infer<typeof CaseView>;

/** Each case of a batch approval: approved (the case after it), or refused on its own (the problem). */
export const BatchApprovalResult = z
  .object({
    items: z.array(
      z.object({
        caseId: z.string(),
        approved: z.boolean(),
        case: CaseView.nullable(),
        problem: z.object({ type: z.string(), status: z.number().int(), detail: z.string() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'BatchApprovalResult' });

export const CaseSummary = CaseView.omit({
  payload: true,
  ruleSet: true,
  definitionVersion: true,
  lastSeq: true,
  allowedActions: true,
  appeals: true,
  actingFor: true,
})
  .extend({
    group: z
      .object({ id: z.string(), kind: z.enum(CASE_GROUP_KINDS) })
      .nullable()
      .describe('the case group the case is a member of (a yearly promotion round, an annual assessment), or null for a case on its own'),
  })
  .meta({ id: 'CaseSummary' });

/** A case in the inbox: waiting for the caller, or for someone the caller acts for today (委托). */
export const InboxItem = CaseSummary.extend({
  onBehalfOf: z
    .object({ id: z.string(), name: z.string() })
    .optional()
    .describe('委托: the case waits for this person, who delegated to the caller today (代…审批)'),
}).meta({ id: 'InboxItem' });

export const CaseEvent = z
  .object({
    caseId: z.string(),
    seq: z.number().int(),
    at: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    fromStatus: z.enum(CASE_STATUSES).nullable(),
    toStatus: z.enum(CASE_STATUSES),
    stage: z.string().nullable(),
    comment: z.string().nullable(),
    data: z.unknown(),
    prevHash: z.string().describe('hash of the previous event of the case (64 zeros for the first)'),
    hash: z.string().describe('SHA-256 over the canonical JSON of every other field'),
    caseDigest: z
      .string()
      .optional()
      .describe(
        'SHA-256 of the case facts the event leaves (type, subject, org unit and path, applicant, payload, status, outcome, stage data); on events of cases started since the ledger',
      ),
  })
  .meta({ id: 'CaseEvent' });

export const CaseEventList = z.object({ caseId: z.string(), items: z.array(CaseEvent) });

const StageActor = z.object({ level: z.string(), department: z.string(), role: z.string() });

export const CaseType = z
  .object({
    type: z.string(),
    version: z.number().int(),
    title: Localized,
    description: Localized,
    payloadSchema: z.record(z.string(), z.unknown()).describe('JSON Schema (2020-12) of the payload'),
    stages: z.array(
      z.object({
        id: z.string(),
        title: Localized,
        kind: z.enum(['decision', 'record', 'follow_up']),
        mode: z.enum(STAGE_MODES),
        actor: StageActor.nullable().describe("who decides, from the rule set's approval matrix; null when a payload field chooses"),
        actorByPayload: z
          .object({ field: z.string(), actors: z.record(z.string(), StageActor) })
          .nullable()
          .describe('who decides for each value of a payload field (a name clearing: the body that verified the complaint)'),
        deadline: z.string().nullable().describe('rule-set period key'),
        condition: z.unknown().nullable(),
        dataSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the data recorded at the stage'),
        batchApproval: z.boolean().describe('whether its cases may be approved several at once (POST /cases/batch-approval)'),
      }),
    ),
    publicNotice: z.object({ afterStage: z.string(), period: z.unknown() }).nullable(),
  })
  .meta({ id: 'CaseType' });

export const CaseTypeList = z.object({ items: z.array(CaseType) });

export const Dossier = z
  .object({
    case: CaseSummary,
    subject: z.object({
      id: z.string(),
      name: z.string(),
      nationalId: z.string(),
      orgUnit: z.object({ id: z.string(), name: z.string() }),
      postType: z.string(),
      grade: z.number(),
      status: z.string(),
    }),
    payload: z.unknown(),
    references: CaseReferences,
    process: z.object({
      type: z.string(),
      version: z.number(),
      title: Localized,
      ruleSet: z.object({ id: z.string(), version: z.number() }),
      stages: z
        .array(
          z.object({
            id: z.string(),
            title: Localized,
            kind: z.enum(['decision', 'record', 'follow_up']),
            mode: z.enum(STAGE_MODES),
            deadline: z.unknown(),
          }),
        )
        .describe("the case's plan: its type's stages and those added by 加签 (add-approver)"),
      publicNotice: z
        .object({
          afterStage: z.string(),
          period: z.unknown(),
          objectionsPause: z
            .boolean()
            .optional()
            .describe('whether an objection pauses the notice (absent: cases started before, which paused)'),
        })
        .nullable(),
    }),
    stageData: z.record(z.string(), z.unknown()),
    decisions: z.array(CaseEvent),
    votes: z.array(CaseEvent),
    objections: z.array(z.unknown()),
    suspensions: z.array(z.object({ from: z.string(), to: z.string().nullable() })),
    eligibility: z.object({ atSubmission: z.unknown(), rechecks: z.array(z.unknown()) }),
    events: z.array(CaseEvent),
    chain: z.object({ lastSeq: z.number().int(), lastHash: z.string() }),
  })
  .meta({ id: 'Dossier' });

export const NationalIdReveal = z
  .object({ workerId: z.string(), nationalId: z.string(), revealedAt: instant })
  .meta({ id: 'NationalIdReveal' });

export const NationalIdRevealLog = z
  .object({
    items: z.array(z.object({ id: z.string(), userId: z.string(), workerId: z.string(), reason: z.string(), at: instant })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'NationalIdRevealLog' });

const AuditEvent = CaseEvent.extend({
  case: z.object({ type: z.string(), subjectName: z.string() }).nullable().describe("the case's type and subject (null once archived)"),
}).meta({ id: 'AuditEvent' });

export const AuditEventPage = z.object({ items: z.array(AuditEvent), nextCursor: z.string().nullable() }).meta({ id: 'AuditEventPage' });

const ChainBreak = z.object({
  caseId: z.string(),
  seq: z.number().int(),
  reason: z.enum(['hash-mismatch', 'prev-hash-mismatch', 'sequence-gap', 'missing-tail', 'case-facts-mismatch']),
});

export const Verification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().describe('events checked'),
    cases: z.number().int().describe('cases checked'),
    broken: z.array(ChainBreak).describe('every broken case, at its first broken link'),
    firstBroken: ChainBreak.optional().describe('the first of them'),
  })
  .meta({ id: 'ChainVerification' });

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const LedgerPublicKey = z
  .object({ keyId: hex64, algorithm: z.literal('Ed25519'), publicKeyPem: z.string().describe('SPKI, PEM') })
  .meta({ id: 'LedgerPublicKey' });

export const LedgerCheckpoint = z
  .object({ size: z.number().int(), headHash: hex64, at: z.string(), keyId: hex64, signature: z.string().describe('base64') })
  .meta({ id: 'LedgerCheckpoint' });

export const LedgerLatestCheckpoint = z
  .object({
    checkpoint: LedgerCheckpoint.nullable().describe('none before the first signing'),
    signatureValid: z.boolean().describe("the signature holds under the service's current key"),
    ledgerSize: z.number().int().describe('entries in the ledger now; those past checkpoint.size are not yet signed'),
  })
  .meta({ id: 'LedgerLatestCheckpoint' });

export const LedgerPageQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(0)
    .describe('the ledgerSeq the page starts after: 0, then each page’s nextAfter'),
  limit: z.coerce.number().int().min(1).max(LEDGER_PAGE_MAX).default(LEDGER_PAGE_DEFAULT).describe('entries per page'),
});

export const LedgerPage = z
  .object({
    format: z.literal(LEDGER_PAGE_FORMAT),
    exportedAt: z.string(),
    afterSeq: z.number().int().describe('the page’s entries follow this one'),
    prevHash: hex64.describe('the hash of entry afterSeq (64 zeros when afterSeq is 0)'),
    entries: z.array(
      z.object({ ledgerSeq: z.number().int(), caseId: z.string(), seq: z.number().int(), eventHash: hex64, prevHash: hex64, hash: hex64 }),
    ),
    checkpoints: z
      .array(LedgerCheckpoint)
      .describe('the signed checkpoints whose size falls in this page (on the last page, every one after afterSeq), oldest first'),
    coveredBy: LedgerCheckpoint.nullable().describe(
      'the earliest signed checkpoint that covers the page’s last entry; null while none does',
    ),
    nextAfter: z.number().int().nullable().describe('pass as ?after= for the next page; null on the last page'),
  })
  .meta({ id: 'LedgerPage' });

export const WorkerSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    gender: z.enum(['male', 'female']),
    nationalId: z
      .string()
      .describe('masked for everyone (320106********123X); the full number only by POST /workers/{id}/national-id/reveal'),
    orgUnitId: z.string(),
    postType: z.enum(POST_TYPES),
    employmentType: z.enum(EMPLOYMENT_TYPES),
    grade: z.number().int(),
    gradeSince: date,
    status: z.enum(WORKER_STATUSES),
  })
  .meta({ id: 'WorkerSummary' });

/** An exit that took effect but waits while its appeal (复核/申诉) is open: who, which cases, since when. */
const ExitHeld = z
  .object({
    exitCaseId: z.string().describe('the exit case whose effect is held'),
    appealCaseId: z.string().describe('the open appeal that holds it'),
    since: date.describe('the day the appeal was filed'),
  })
  .meta({ id: 'ExitHeld' });

export const WorkerDetail = WorkerSummary.extend({
  age: z.number().int().describe('周岁 today; the birth date is not shown (it would rebuild the masked national ID number)'),
  nationalIdRevealable: z.boolean().describe('whether the caller may reveal the full national ID number of this record'),
  education: z.enum(EDUCATION_LEVELS),
  hireDate: date,
  postSince: date.describe('任现岗位时间: since when the worker holds the current post type'),
  partyPost: z.enum(PARTY_POSTS).nullable(),
  residentsCommitteePost: z.enum(RESIDENTS_COMMITTEE_POSTS).nullable(),
  secretaryFullTerms: z.number().int(),
  userId: z.string().nullable(),
  qualification: z.object({
    level: z.enum(QUALIFICATION_LEVELS),
    obtainedOn: date.nullable(),
    eligibility: z
      .object({ since: date, basis: z.enum(QUALIFICATION_ELIGIBILITY_BASES), evidence: z.string() })
      .nullable()
      .describe('when the worker became eligible for the social-work exam, on what basis and with what evidence'),
  }),
  assessments: z.array(z.object({ year: z.number().int(), result: z.enum(ASSESSMENT_RESULTS) })),
  disciplinary: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(DISCIPLINE_KINDS),
      startDate: date,
      termEnd: date.nullable(),
      reason: z.string(),
      migratedFrom: z.string().nullable().describe('the kind first recorded, for a record the rules-right migration converted'),
    }),
  ),
  gradeHistory: z.array(
    z.object({
      fromGrade: z.number().int(),
      toGrade: z.number().int(),
      effectiveFrom: date,
      reason: z.string(),
      caseId: z.string().nullable(),
    }),
  ),
  awards: z.array(z.object({ title: z.string(), level: z.string(), awardedOn: date, caseId: z.string().nullable() })),
  errorToleranceRulings: z.array(
    z.object({
      caseId: z.string(),
      ruling: z.string(),
      incidentDate: date,
      correctionRequired: z.boolean(),
      correctionVerifiedOn: date.nullable(),
      decidedOn: date,
    }),
  ),
  nameClearances: z.array(
    z.object({ caseId: z.string(), accusationRef: z.string(), method: z.string(), findingSummary: z.string(), clearedOn: date }),
  ),
  returnVisits: z.array(z.object({ caseId: z.string().nullable(), visitedOn: date, officerId: z.string(), notes: z.string() })),
  statusChanges: z.array(
    z.object({
      fromStatus: z.enum(WORKER_STATUSES),
      toStatus: z.enum(WORKER_STATUSES),
      reason: z.string(),
      effectiveFrom: date,
      caseId: z.string().nullable(),
    }),
  ),
  secondments: z
    .array(
      z.object({
        caseId: z.string().nullable(),
        borrowingBody: z.string(),
        reason: z.string(),
        from: date,
        to: date.describe('last day at the borrowing body; back at post the day after'),
        extensionOf: z.string().nullable().describe('the case id of the secondment this one extends'),
      }),
    )
    .describe('借调, oldest first'),
  appeals: z
    .array(
      z.object({
        caseId: z.string().describe('the appeal case'),
        appealOf: z.string().describe('the case (or disciplinary record) whose decision was appealed'),
        ground: z.string(),
        result: z.enum(['upheld', 'dismissed']),
        reasoning: z.string(),
        decidedOn: date,
        reversal: z.json().describe('what the records changed: {} for a dismissed appeal'),
      }),
    )
    .describe('decided appeals (复核/申诉): entries beside the decisions they review, which stay as they were'),
  exitHeld: ExitHeld.nullable().describe(
    'the exit on the records is held by its open appeal (rule appeal.holdsExit): the worker is read as at post until the appeal is decided; null when no exit is held',
  ),
  qualificationDeadline: z
    .object({ deadline: date, countsFrom: date, daysLeft: z.number().int(), overdue: z.boolean(), warn: z.boolean() })
    .nullable()
    .describe('取得社会工作者职业资格证书期限; null when none runs (certified, no date of eligibility, or hired before the rule)'),
  exitTriggers: z.array(
    z.object({ reasonCode: z.string(), ruleId: z.string(), detail: Localized, data: z.record(z.string(), z.unknown()) }),
  ),
}).meta({ id: 'WorkerDetail' });

export const WorkerEligibility = z
  .object({
    workerId: z.string(),
    asOf: z.string(),
    ruleSet: z.object({ id: z.string(), version: z.number() }),
    results: z.record(z.string(), Eligibility),
  })
  .meta({ id: 'EligibilitySummary' });

export const AuthConfig = z
  .object({
    demoLogin: z.boolean().describe('true: the demo sign-in (choose a seeded user) is available'),
    oidc: z.object({ authorizationUrl: z.string(), tokenUrl: z.string(), clientId: z.string(), scope: z.string() }).nullable(),
  })
  .meta({ id: 'AuthConfig' });

export const DemoUserList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      roles: z.array(z.object({ role: z.string(), orgUnitId: z.string(), orgUnitName: z.string() })),
    }),
  ),
});

export const DemoLogin = z.object({ token: z.string(), user: z.object({ id: z.string(), name: z.string() }) });

export const RoleGrant = z.object({ role: z.enum(Object.keys(ROLES) as [keyof typeof ROLES]), orgUnitId: z.string() });
export const User = z.object({ id: z.string(), name: z.string(), roles: z.array(RoleGrant) }).meta({ id: 'User' });
export const UserList = z.object({ items: z.array(User) });

export const OpinionPhraseList = z.object({ items: z.array(z.string()) }).meta({ id: 'OpinionPhraseList' });

export const Delegation = z
  .object({
    id: z.string(),
    delegatorId: z.string().describe('who is away: the delegation acts for them'),
    delegatorName: z.string(),
    delegateId: z.string().describe('who acts for them'),
    delegateName: z.string(),
    from: z.string().describe('the first day (YYYY-MM-DD, China time)'),
    to: z.string().describe('the last day, inclusive'),
    caseTypes: z.array(z.string()).describe('the case types it covers; empty: every type'),
    reason: z.string(),
    createdBy: z.string(),
    createdAt: instant,
    revokedAt: instant.nullable(),
    revokedBy: z.string().nullable(),
    state: z.enum(DELEGATION_STATES).describe("where it stands on the service's day (China time)"),
  })
  .meta({ id: 'Delegation' });
export const DelegationList = z.object({ items: z.array(Delegation) }).meta({ id: 'DelegationList' });

export const OrgUnit = z
  .object({
    id: z.string(),
    name: z.string(),
    level: z.enum(['province', 'city', 'county', 'street', 'community']),
    kind: z.enum(['area', 'department']),
    departmentType: z.string().nullable(),
    parentId: z.string().nullable(),
    path: z.string(),
  })
  .meta({ id: 'OrgUnit' });

export const OrgUnitList = z.object({ items: z.array(OrgUnit) });

/** The rule set in force as GET /rule-set answers it: the domain's RuleSet, of which only the head is declared. */
export const RuleSetView = z.object({ id: z.string(), version: z.number(), title: Localized }).loose().meta({ id: 'RuleSet' });

export const CalendarYear = z
  .object({
    year: z.number().int(),
    source: z.string(),
    provisional: z.boolean(),
    holidays: z.array(z.string()),
    makeUpWorkdays: z.array(z.string()),
  })
  .meta({ id: 'CalendarYear' });

export const Page = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      total: z.number().int().describe('matching items across all pages'),
      nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last page'),
    })
    .meta({ id });

export const CasePage = Page(CaseSummary, 'CasePage');
export const InboxPage = Page(InboxItem, 'InboxPage');
export const WorkerPage = Page(WorkerSummary, 'WorkerPage');

/** Where one worker serves on a date: at post, or at the borrowing body of a running secondment. */
export const Placement = z
  .object({
    workerId: z.string(),
    name: z.string(),
    orgUnitId: z.string().describe('the community of the post'),
    placement: z.discriminatedUnion('at', [
      z.object({ at: z.literal('post') }),
      z.object({ at: z.literal('secondment'), borrowingBody: z.string(), from: date, to: date, caseId: z.string().nullable() }),
    ]),
    exitHeld: ExitHeld.optional().describe('present when the worker exited but an open appeal holds the exit (appeal.holdsExit)'),
  })
  .meta({ id: 'Placement' });
export const PlacementPage = z
  .object({
    date,
    items: z.array(Placement),
    nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last page'),
  })
  .meta({ id: 'PlacementPage' });

/** Standard error responses, added to every operation. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description:
          {
            400: 'invalid input (the failing fields are listed)',
            401: 'missing or invalid bearer token',
            403: 'not permitted',
            404: 'not found, or not visible to the caller',
            409: 'not allowed in the current state',
            410: 'the case was archived: the problem holds its archived record and where its bundle is',
            415: 'the body must be application/json',
            422: 'refused by a business rule (the reasons are listed)',
            429: 'too many requests; see Retry-After',
            503: 'a dependency (Temporal or the database) is unavailable',
          }[status] ?? 'error',
        schema: Problem,
      },
    ]),
  );

export const Attachment = z
  .object({
    id: z.string(),
    caseId: z.string().nullable().describe('null while the file is your pending upload'),
    name: z.string().describe('the sanitised file name'),
    mediaType: z.string().describe('the type its bytes are (PDF, OFD, JPEG, PNG, DOCX, XLSX), never the one the client claimed'),
    size: z.number().int(),
    sha256: z.string(),
    kind: z.string().nullable().describe('考核表, 证书, 会议纪要, 情况说明, ...'),
    stage: z.string().nullable(),
    uploaderId: z.string(),
    uploadedAt: instant,
    attachedAt: instant.nullable().describe("when the case's history recorded it (null while pending)"),
    seq: z.number().int().nullable().describe('its attachment_added event in the case history'),
    removed: z.boolean(),
    contentUrl: z.string(),
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof Attachment>;
export const AttachmentList = z.object({ items: z.array(Attachment) });

export const DocumentList = z.object({
  items: z.array(
    z.object({
      kind: z
        .string()
        .describe(
          'approval-form, public-notice, error-tolerance-ruling, clearance-letter, commendation-decision, termination-notice, appeal-reply',
        ),
      title: z.string(),
      url: z.string(),
      numbered: z.boolean().describe('whether the document carries a 文号'),
      issued: z.boolean().describe('whether its 文号 was already assigned'),
    }),
  ),
});

export const PublicNotice = z
  .object({
    noticeId: z.string().describe('an opaque id of this notice'),
    name: z.string(),
    community: z.string(),
    post: z.string(),
    proposal: z.string().describe('what is proposed'),
    period: z.object({ start: z.string(), end: z.string().nullable() }).describe('dates (YYYY-MM-DD, China Standard Time)'),
    paused: z.boolean().describe('the period is paused while an objection is reviewed'),
  })
  .meta({ id: 'PublicNotice' });
export const PublicRoundNotice = z
  .object({
    street: z.string(),
    year: z.number().int(),
    period: z
      .object({ start: z.string(), end: z.string().nullable() })
      .describe("from the first name's opening to the last name's end (YYYY-MM-DD, China Standard Time)"),
    names: z
      .array(PublicNotice)
      .describe('each person on the list with their own notice id, period and objections: an upheld objection removes that one person'),
  })
  .meta({ id: 'PublicRoundNotice' });
export const PublicNoticeList = z.object({
  items: z.array(PublicNotice).describe('notices of cases on their own'),
  rounds: z.array(PublicRoundNotice).describe("a yearly promotion round's (年度晋升) list as one notice"),
  contact: z.object({ telephone: z.string(), mailbox: z.string(), address: z.string() }).describe('where else to object'),
});
export const PublicChallenge = z.object({ token: z.string(), question: z.string(), expiresAt: instant });
export const PublicObjectionList = z.object({
  items: z.array(
    z.object({
      reference: z.string(),
      objectionId: z.string().nullable(),
      name: z.string(),
      telephone: z.string(),
      content: z.string(),
      receivedAt: instant,
    }),
  ),
});

// Notifications (通知) and their channels.
const notificationKind = z.enum(NOTIFICATION_KINDS);

export const NotificationItem = z
  .object({
    id: z.string(),
    caseId: z.string(),
    seq: z.number().int(),
    kind: notificationKind,
    stage: z.string().nullable(),
    caseType: z.string(),
    subjectName: z.string(),
    at: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'NotificationItem' });

export const NotificationPage = z
  .object({ items: z.array(NotificationItem), unread: z.number().int(), nextCursor: z.string().nullable() })
  .meta({ id: 'NotificationPage' });

export const NotificationsMarked = z.object({ marked: z.number().int(), unread: z.number().int() }).meta({ id: 'NotificationsMarked' });

export const NotificationPreferences = z
  .object({ inApp: z.boolean(), email: z.boolean(), mutedKinds: z.array(notificationKind) })
  .meta({ id: 'NotificationPreferences' });

export const UserEmail = z.object({ userId: z.string(), email: z.string().nullable() }).meta({ id: 'UserEmail' });

export const WebhookTarget = z
  .object({
    id: z.string(),
    name: z.string(),
    format: z.enum(['signed', 'dingtalk', 'wecom']),
    url: z.string(),
    hasSecret: z.boolean(),
    orgPath: z.string(),
    kinds: z.array(notificationKind),
    active: z.boolean(),
  })
  .meta({ id: 'WebhookTarget' });

export const NotificationDeliveries = z
  .array(
    z.object({
      id: z.string(),
      caseId: z.string(),
      case: z
        .object({ number: z.string().nullable(), type: z.string(), subject: z.object({ id: z.string(), name: z.string() }) })
        .nullable()
        .describe('the case by its short number, type and subject (null if its row is gone)'),
      seq: z.number().int(),
      kind: z.string(),
      channel: z.enum(['email', 'webhook']),
      targetId: z.string().nullable(),
      status: z.enum(['pending', 'sending', 'sent', 'failed']),
      attempts: z.number().int(),
      sentAt: z.iso.datetime().nullable(),
      lastError: z.string().nullable(),
      log: z.array(
        z.object({
          attempt: z.number().int(),
          at: z.iso.datetime(),
          ok: z.boolean(),
          status: z.number().int().nullable(),
          error: z.string().nullable(),
          durationMs: z.number().int(),
        }),
      ),
    }),
  )
  .meta({ id: 'NotificationDeliveries' });

const RoundMeetingMember = z.object({
  userId: z.string(),
  attendance: z.string(),
  vote: z.string().optional(),
  reason: z.string().optional(),
});

/** A round (年度晋升) with its members, each with their own case as the read model has it now. */
export const RoundView = z
  .object({
    id: z.string(),
    kind: z.literal('promotion-round'),
    orgUnitId: z.string().describe('the street'),
    year: z.number().int(),
    stage: z
      .enum(['recommendation', 'notice', 'closed'])
      .describe('recommendation: before the decision; notice: decided, cases in 公示; closed: every case ended'),
    decision: z
      .object({
        meetingDate: z.string(),
        members: z.array(RoundMeetingMember),
        minutes: z.string(),
        resolution: z.string(),
        recordedBy: z.string(),
        recordedAt: z.string(),
      })
      .nullable()
      .describe("the street committee's one decision on the list, recorded once on the round"),
    decisionReference: z.string().nullable().describe("how each member's case names the decision in its meeting record"),
    members: z.array(
      z.object({
        workerId: z.string(),
        name: z.string().nullable(),
        caseId: z.string(),
        status: z.string(),
        outcome: z.string().nullable(),
        currentStage: z.object({ id: z.string(), title: Localized }).loose().nullable(),
      }),
    ),
  })
  .meta({ id: 'PromotionRound' });

export const RoundDecisionResult = z
  .object({
    round: RoundView,
    items: z.array(
      z.object({
        caseId: z.string(),
        recorded: z.boolean().describe('the decision is recorded in the case'),
        pending: z
          .boolean()
          .describe('the case is not at the street decision yet (returned for amendment): it gets the decision once it is'),
        problem: z
          .object({ type: z.string(), status: z.number().int(), detail: z.string() })
          .nullable()
          .describe('why the case did not get the decision (it ended first, or its stage was decided without it)'),
      }),
    ),
  })
  .meta({ id: 'PromotionRoundDecision' });

export const WorkerRounds = z
  .object({
    items: z.array(
      z
        .object({
          groupId: z.string(),
          kind: z.string(),
          orgUnitId: z.string(),
          year: z.number().int(),
          stage: z.string(),
          caseId: z.string(),
        })
        .loose(),
    ),
  })
  .meta({ id: 'WorkerRounds' });

const ForwardProblem = z.object({ type: z.string(), status: z.number().int(), detail: z.string() }).nullable();
const AssessmentScore = z.object({
  evaluator: z.string().describe('who scored (a resident’s representative or a colleague, as on the score sheet)'),
  group: z.enum(['residents', 'colleagues']),
  score: z.number(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});

/** A community's annual assessment (年度考核) with each worker's case, scores and result. */
export const AssessmentView = z
  .object({
    id: z.string(),
    kind: z.literal('annual-assessment'),
    orgUnitId: z.string().describe('the community'),
    year: z.number().int(),
    stage: z
      .enum(['evaluation', 'confirmation', 'review', 'closed'])
      .describe(
        'evaluation: 述职 and 民主测评; confirmation: proposed, before the street; review: told, the review period runs; closed: results entered',
      ),
    proposal: z
      .object({
        results: z.array(z.object({ workerId: z.string(), result: z.enum(ASSESSMENT_RESULTS), reason: z.string().optional() })),
        recordedBy: z.string(),
        recordedAt: z.string(),
      })
      .nullable(),
    confirmation: z
      .object({ recordedBy: z.string(), recordedAt: z.string(), comment: z.string().optional() })
      .nullable()
      .describe(
        'the street party committee’s confirmation as the group recorded it (null before it, and on assessments opened before assessment-forwarding, whose cases hold it)',
      ),
    notification: z.object({ notifiedAt: z.string(), reviewEndsAt: z.string(), recordedBy: z.string() }).nullable(),
    entered: z
      .array(
        z.object({
          workerId: z.string(),
          caseId: z.string(),
          state: z.enum(['entered', 'held', 'none']),
          result: z.enum(ASSESSMENT_RESULTS).nullable(),
          appealCaseId: z.string().nullable(),
        }),
      )
      .nullable()
      .describe('once the review period is over: each result entered, or held by its review'),
    members: z.array(
      z.object({
        workerId: z.string(),
        name: z.string().nullable(),
        caseId: z.string(),
        status: z.string(),
        outcome: z.string().nullable(),
        currentStage: z.object({ id: z.string(), title: Localized }).loose().nullable(),
        scores: z.array(AssessmentScore),
        evaluationScore: z.number().nullable().describe('the weighted 民主测评 score (annualAssessment.evaluationWeights)'),
        recorded: z.object({ result: z.enum(ASSESSMENT_RESULTS), recordedBy: z.string().nullable() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'AnnualAssessment' });

export const AssessmentStepResult = z
  .object({
    assessment: AssessmentView,
    items: z.array(
      z.object({
        workerId: z.string(),
        caseId: z.string(),
        recorded: z.boolean().describe('the step is recorded in the case'),
        pending: z
          .boolean()
          .optional()
          .describe('the case is not at the step’s stage yet: the group delivers it once it is (assessments since assessment-forwarding)'),
        problem: ForwardProblem,
      }),
    ),
  })
  .meta({ id: 'AnnualAssessmentStep' });

export const AssessmentCorrection = z
  .object({
    workerId: z.string(),
    year: z.number().int(),
    result: z.enum(ASSESSMENT_RESULTS),
    appealCaseId: z.string(),
    recordedBy: z.string().nullable(),
  })
  .meta({ id: 'AnnualAssessmentCorrection' });

export const WorkerAssessments = z
  .object({
    items: z.array(
      z
        .object({
          groupId: z.string(),
          year: z.number().int(),
          orgUnitId: z.string(),
          stage: z.string(),
          caseId: z.string(),
          status: z.string(),
          confirmed: z.string().nullable(),
          reviewEndsAt: z.string().nullable(),
          recorded: z.object({ result: z.enum(ASSESSMENT_RESULTS), recordedBy: z.string().nullable() }).nullable(),
        })
        .loose(),
    ),
  })
  .meta({ id: 'WorkerAssessments' });
