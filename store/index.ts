import type { PrismaClient } from '../infra/prisma';
import { assessmentStore } from './assessments';
import { archiveStore } from './archive';
import { attachmentStore } from './attachments';
import { auditStore } from './audit';
import { calendarStore } from './calendar';
import { caseGroupStore } from './case-groups';
import { caseStore } from './cases';
import { delegationStore } from './delegations';
import { documentStore } from './documents';
import { healthStore } from './health';
import { idempotencyStore } from './idempotency';
import { ledgerStore } from './ledger';
import { notificationStore } from './notifications';
import { orgUnitStore } from './org-units';
import { personnelStore } from './personnel';
import { phraseStore } from './phrases';
import { publicNoticeStore } from './public-notices';
import { projectionStore } from './projection';
import { userStore } from './users';

/**
 * The store: every PostgreSQL read and write of the services, as typed functions over plain values, so nothing
 * above it sees Prisma. Each module is a factory over a client (or, where an activity needs it, a transaction).
 */
export function createStore(prisma: PrismaClient) {
  return {
    archive: archiveStore(prisma),
    assessments: assessmentStore(prisma),
    attachments: attachmentStore(prisma),
    audit: auditStore(prisma),
    calendar: calendarStore(prisma),
    caseGroups: caseGroupStore(prisma),
    cases: caseStore(prisma),
    delegations: delegationStore(prisma),
    documents: documentStore(prisma),
    health: healthStore(prisma),
    idempotency: idempotencyStore(prisma),
    ledger: ledgerStore(prisma),
    notifications: notificationStore(prisma),
    orgUnits: orgUnitStore(prisma),
    personnel: personnelStore(prisma),
    phrases: phraseStore(prisma),
    publicNotices: publicNoticeStore(prisma),
    projection: projectionStore(prisma),
    users: userStore(prisma),
  };
}

export type Store = ReturnType<typeof createStore>;
