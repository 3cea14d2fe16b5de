/**
 * The part of JSON Schema (2020-12) the forms read: what the server's z.toJSONSchema writes for a payload or
 * stage-data schema (objects of strings, enums, numbers, booleans and dates).
 */
export interface JsonSchema {
  type?: string;
  title?: string;
  description?: string;
  enum?: string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}
