import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Caller } from '../domain/access';
import { HttpProblem } from '../services/problem';
import { parseOr400, refuseUnsafeInput } from '../services/validation';

/**
 * One declaration per HTTP operation: its path, its request and response schemas (zod) and its handler. The
 * same declaration validates requests, types the handler, and produces the OpenAPI 3.1 document, so the
 * documentation cannot drift from what the API accepts and returns.
 */

type Method = 'get' | 'post' | 'put' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
  /**
   * OpenAPI links: operations a client can call next with values from this response. Schemathesis' stateful
   * phase follows them, so the fuzzer reaches cases and records that exist instead of random ids.
   */
  links?: Record<string, ResponseLink>;
}

/** One OpenAPI link: the next operation, and where its parameters come from (`$response.body#/id`). */
export interface ResponseLink {
  operationId: string;
  /** Keyed `path.id`, `query.cursor`, ...; values are runtime expressions. */
  parameters: Record<string, string>;
  description?: string;
}

/** A link to each operation named, with the same parameters. */
export function linksTo(operationIds: string[], parameters: Record<string, string>): Record<string, ResponseLink> {
  return Object.fromEntries(operationIds.map((operationId) => [operationId, { operationId, parameters }]));
}

export interface HandlerInput<P, Q, B> {
  req: Request;
  res: Response;
  /** The authenticated caller (undefined only on public operations). */
  caller: Caller;
  /** The Idempotency-Key header of an idempotent operation. */
  idempotencyKey?: string;
  params: P;
  query: Q;
  body: B;
}

export interface HandlerResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Operation<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: Method;
  /** Express-style path under /api/v1, e.g. "/cases/:id". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** No bearer token needed. */
  public?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** A body the handler reads itself (a multipart upload), documented with its content type and schema. */
  rawBody?: { contentType: string; schema: Record<string, unknown> };
  /** Honours the Idempotency-Key header. */
  idempotent?: boolean;
  responses: Record<number, ResponseSpec>;
  /** Returns the response, or writes it itself (streams) and returns nothing. */
  handler: (input: HandlerInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<HandlerResult | void>;
}

/** Declares an operation with its handler typed from its schemas. */
export function operation<P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUnknown>(
  op: Operation<P, Q, B>,
): Operation {
  return op;
}

export interface OperationGate {
  /** The caller of a bearer token, or a 401 problem. */
  authenticate: (req: Request) => Promise<Caller>;
  /** Counts the request against its caller (or address, before sign-in); a 429 problem beyond the limit. */
  limit: (req: Request) => Promise<void>;
  /** Runs an idempotent operation once per Idempotency-Key, answering a repeated key with the stored response. */
  idempotent: (request: IdempotentRequest, run: () => Promise<HandlerResult>) => Promise<HandlerResult>;
}

export interface IdempotentRequest {
  userId: string;
  key: string | undefined;
  method: string;
  path: string;
  body: unknown;
}

/** The Idempotency-Key header, trimmed, or a 400 problem when it is empty or too long. */
function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) return undefined;
  const trimmed = key.trim();
  if (!trimmed || trimmed.length > 200) throw new HttpProblem('invalid-request', 'Idempotency-Key must be 1–200 characters');
  return trimmed;
}

/**
 * Registers the operations on an Express router: authentication and the rate limit, then validation (input
 * PostgreSQL can store, then the operation's schemas), then the handler, once per Idempotency-Key where the
 * operation is idempotent. Every operation is limited, public ones and requests with a refused token included
 * (per address).
 */
export function mountOperations(operations: Operation[], gate: OperationGate): Router {
  const router = Router();
  for (const op of operations) {
    router[op.method](op.path, async (req, res) => {
      if (!op.public) {
        req.caller = await gate.authenticate(req).catch(async (err: unknown) => {
          await gate.limit(req);
          throw err;
        });
      }
      await gate.limit(req);
      // Before any schema reads them: characters PostgreSQL cannot store, and nesting that would exhaust a parser.
      refuseUnsafeInput(req.params, 'params');
      refuseUnsafeInput(req.query, 'query');
      refuseUnsafeInput(req.body, '');
      const params = op.params ? parseOr400(op.params, req.params, 'params') : req.params;
      const query = op.query ? parseOr400(op.query, req.query, 'query') : req.query;
      const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      if (op.body && hasBody && !req.is('application/json')) {
        throw new HttpProblem('unsupported-media-type', 'send the body as application/json');
      }
      const body = op.body ? parseOr400(op.body, req.body, '') : undefined;
      const caller = req.caller as Caller;
      const idempotencyKey = op.idempotent ? idempotencyKeyOf(req.headers['idempotency-key']) : undefined;
      const run = async () => op.handler({ req, res, caller, params, query, body, idempotencyKey });
      const result = op.idempotent
        ? await gate.idempotent(
            { userId: caller.id, key: idempotencyKey, method: req.method, path: req.path, body },
            async () => (await run()) ?? {},
          )
        : await run();
      if (!result) return;
      for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
      res.status(result.status ?? 200);
      if (result.body === undefined) res.end();
      else res.json(result.body);
    });
  }
  return router;
}

/** Express ":id" → OpenAPI "{id}". */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const PROBLEM_CONTENT = 'application/problem+json';

/** JSON Schema of a zod schema, with named schemas (meta id) referenced from components. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
}

/** Splits an object schema into OpenAPI parameters. */
function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** Moves every "$defs" entry produced by zod into components.schemas. */
function hoistDefinitions(node: unknown, components: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((n) => hoistDefinitions(n, components));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    if (key === '$defs' && value && typeof value === 'object') {
      for (const [name, def] of Object.entries(value as Record<string, unknown>)) components[name] ??= hoistDefinitions(def, components);
      continue;
    }
    out[key] = hoistDefinitions(value, components);
  }
  if (typeof out.$ref === 'string') out.$ref = out.$ref.replace('#/$defs/', '#/components/schemas/');
  return out;
}

export function openApiDocument(
  operations: Operation[],
  info: { title: string; version: string; description: string },
  extra: Record<string, unknown> = {},
) {
  const components: Record<string, unknown> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = `/api/v1${openApiPath(op.path)}`;
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(op.responses)) {
      const contentType = spec.contentType ?? (Number(status) >= 400 ? PROBLEM_CONTENT : 'application/json');
      responses[status] = {
        description: spec.description,
        ...(spec.schema ? { content: { [contentType]: { schema: hoistDefinitions(jsonSchema(spec.schema, 'output'), components) } } } : {}),
        ...(spec.links ? { links: spec.links } : {}),
      };
    }
    const parametersList = [
      ...parameters(op.params, 'path'),
      ...parameters(op.query, 'query'),
      ...(op.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Repeating a request with the same key returns the first result.',
              schema: { type: 'string', maxLength: 200 },
            },
          ]
        : []),
    ];
    paths[path] ??= {};
    paths[path][op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: op.tags,
      ...(op.public ? { security: [] } : {}),
      ...(parametersList.length ? { parameters: hoistDefinitions(parametersList, components) } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: hoistDefinitions(jsonSchema(op.body, 'input'), components) } },
            },
          }
        : op.rawBody
          ? { requestBody: { required: true, content: { [op.rawBody.contentType]: { schema: op.rawBody.schema } } } }
          : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }, schemas: components },
    ...extra,
  };
}
