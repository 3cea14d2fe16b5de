import type { Prisma, PrismaClient } from '../infra/prisma';

/**
 * What a store module reads and writes through: the client, or a transaction of it (an outcome applier reads a
 * personnel record inside the transaction that changes it).
 */
export type Db = PrismaClient | Prisma.TransactionClient;

/** A date column (midnight UTC) as YYYY-MM-DD. */
export const day = (d: Date) => d.toISOString().slice(0, 10);
export const dayOrNull = (d: Date | null) => (d ? day(d) : null);
/** YYYY-MM-DD as a date column's value. */
export const dateValue = (d: string) => new Date(`${d}T00:00:00.000Z`);
