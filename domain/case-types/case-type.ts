import type { z } from 'zod';
import type { EligibilityRule } from '../eligibility/types';
import type { ProcessDefinition } from '../process/definition';
import type { CaseTypeName } from './names';

/**
 * What a case type is, in its folder (domain/case-types/<type>/): its process (definition.ts: stages, who
 * acts, the data recorded at each stage, its payload schema), who may be its subject (eligibility.ts) and its
 * rule values (rules.ts, which the built-in rule sets assemble). Its outcome on the personnel records is an
 * activity (activities/outcomes/<type>.ts).
 */
export interface CaseType<Name extends CaseTypeName = CaseTypeName, Payload extends z.ZodType = z.ZodType> {
  definition: ProcessDefinition<Payload> & { type: Name };
  /**
   * The earlier versions of the definition, as cases started with them run (versions/v<N>.ts, frozen): a case runs
   * the version it started with, whatever the current one is.
   */
  previousVersions: ProcessDefinition[];
  /** Checked at submission and where a stage re-checks it; null: anyone the payload names may be the subject. */
  eligibility: EligibilityRule | null;
}
