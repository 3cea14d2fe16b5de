/**
 * `prisma generate` without Prisma's schema engine: generation never runs the engine, but the CLI insists on
 * finding one, and machines without internet cannot download it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any
 * existing file satisfies the check. The generated client needs no engine (WASM query compiler + adapter-pg).
 */
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../infra/config';
import { schemaEngineAvailable } from '../infra/migrate';

const env = { ...process.env };
if (!schemaEngineAvailable(env)) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
const result = spawnSync('npx', ['prisma', 'generate'], { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
