import { z } from 'zod';
import { ASSESSMENT_RESULTS, DISCIPLINE_KINDS, EDUCATION_LEVELS, POST_TYPES } from '../personnel';

/** Schemas of the values rule sections share, for the rule-set schema (schema.ts) and the case types' sections. */
export const localized = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
export const count = z.int().min(0);
export const positive = z.int().min(1);
export const assessmentResult = z.enum(ASSESSMENT_RESULTS);
export const postType = z.enum(POST_TYPES);
export const education = z.enum(EDUCATION_LEVELS);
export const disciplineKind = z.enum(DISCIPLINE_KINDS);
