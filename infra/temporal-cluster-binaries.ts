import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { goAvailable, goEnv, resolveTool, TOOLS_DIR, type ResolveOptions, type ToolSpec } from './temporal-binaries';

/**
 * The full Temporal server (all services in one process, on PostgreSQL) and its SQL schema tool, for the
 * production topology. Neither has a PyPI wheel, so they are found like the other tools (env var, PATH,
 * .tools) and otherwise built from the Go module proxy; building the server takes ~4 minutes on 2 cores, so
 * only `npm run provision -- --cluster` and the cluster bring-up do it, never `npm start` or `npm test`.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_MODULE = 'go.temporal.io/server';

export const TEMPORAL_SERVER_TOOL: ToolSpec = {
  // The release archives and the official image call it temporal-server; `go install` names it after its folder.
  command: 'temporal-server',
  envVar: 'TEMPORAL_SERVER_PATH',
  goModule: `${SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
  goBinary: 'server',
};

export const TEMPORAL_SQL_TOOL: ToolSpec = {
  command: 'temporal-sql-tool',
  envVar: 'TEMPORAL_SQL_TOOL_PATH',
  goModule: `${SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
  goBinary: 'sql',
};

/** Folder (relative to a schema root) of the versioned PostgreSQL schemas, one per database. */
export const POSTGRES_SCHEMAS = { temporal: 'temporal/versioned', visibility: 'visibility/versioned' } as const;

export interface ClusterTools {
  server: string;
  sqlTool: string;
  /** Holds temporal/versioned and visibility/versioned (the module's schema/postgresql/v12). */
  schemaDir: string;
}

function isSchemaRoot(dir: string): boolean {
  return Object.values(POSTGRES_SCHEMAS).every((sub) => fs.existsSync(path.join(dir, sub, 'v1.0')));
}

/**
 * The PostgreSQL schemas that belong to the server version: TEMPORAL_SCHEMA_DIR when set (e.g. the official
 * image's /etc/temporal/schema/postgresql/v12), else the module's own copy in Go's module cache
 * (`go mod download` fetches it once; later calls read the cache offline).
 */
export function locateSchemaDir(options: { env?: NodeJS.ProcessEnv; log: (line: string) => void }): string {
  const env = options.env ?? process.env;
  const fromEnv = env.TEMPORAL_SCHEMA_DIR?.trim();
  if (fromEnv) {
    if (!isSchemaRoot(fromEnv)) throw new Error(`TEMPORAL_SCHEMA_DIR=${fromEnv} holds no ${Object.values(POSTGRES_SCHEMAS).join(' and ')}`);
    return fromEnv;
  }
  if (!goAvailable()) {
    throw new Error(
      `Temporal's PostgreSQL schemas are needed: install Go, or set TEMPORAL_SCHEMA_DIR to a schema/postgresql/v12 folder of ${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`,
    );
  }
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  // Run outside any Go module so the project's folder has no say in what is resolved.
  const result = spawnSync('go', ['mod', 'download', '-json', `${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`], {
    cwd: TOOLS_DIR,
    env: goEnv(env),
    encoding: 'utf8',
  });
  let dir: string | undefined;
  try {
    dir = (JSON.parse(result.stdout) as { Dir?: string }).Dir;
  } catch {
    // reported below with go's own message
  }
  if (result.status !== 0 || !dir)
    throw new Error(`go mod download ${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION} failed: ${result.stderr || result.stdout}`);
  const schemaDir = path.join(dir, 'schema', 'postgresql', 'v12');
  if (!isSchemaRoot(schemaDir)) throw new Error(`${schemaDir} holds no ${Object.values(POSTGRES_SCHEMAS).join(' and ')}`);
  options.log(`using schemas in ${schemaDir}`);
  return schemaDir;
}

function resolved(spec: ToolSpec, options: ResolveOptions, log: (line: string) => void): string {
  const tool = resolveTool(spec, { ...options, log });
  if (!tool) {
    throw new Error(
      `${spec.command} not found: set ${spec.envVar}, put it on PATH, or install Go so that \`npm run provision -- --cluster\` can build ${spec.goModule}`,
    );
  }
  return tool.path;
}

/** Finds, else builds into .tools, the server and the SQL tool, and locates the schemas that go with them. */
export function resolveClusterTools(options: ResolveOptions = {}): ClusterTools {
  const log = options.log ?? ((line: string) => console.error(`[temporal cluster] ${line}`));
  return { server: resolved(TEMPORAL_SERVER_TOOL, options, log), ...resolveSchemaTools({ ...options, log }) };
}

/** The SQL tool and the schemas alone (the schema job of a container deployment, which runs no server). */
export function resolveSchemaTools(options: ResolveOptions = {}): Omit<ClusterTools, 'server'> {
  const log = options.log ?? ((line: string) => console.error(`[temporal cluster] ${line}`));
  return { sqlTool: resolved(TEMPORAL_SQL_TOOL, options, log), schemaDir: locateSchemaDir({ env: options.env, log }) };
}
