import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { ensureOwnerOnlyFolder, writeSecretFile } from './secret-files';

/** Where `npm start` keeps its demo secret: beside the other generated secrets, owner-only. */
export const demoJwtSecretFile = (dataDir: string) => path.join(dataDir, 'secrets', 'dev-jwt-secret');

/**
 * The HS256 secret: AUTH_JWT_SECRET when set; otherwise a random demo secret kept in the data folder, shared
 * by `npm start` and `npm run token`. Deployments set AUTH_JWT_SECRET or use an OIDC provider (AUTH_JWKS_URL).
 */
export function resolveJwtSecret(config: Config): { secret: string; demo: boolean } {
  if (config.auth.jwtSecret) return { secret: config.auth.jwtSecret, demo: false };
  const file = demoJwtSecretFile(config.dataDir);
  // Data folders of earlier releases kept it at the top of DATA_DIR, which may be readable by others: moved in,
  // so tokens signed before keep working.
  const legacy = path.join(config.dataDir, 'dev-jwt-secret');
  if (!fs.existsSync(file) && fs.existsSync(legacy)) {
    ensureOwnerOnlyFolder(path.dirname(file));
    fs.renameSync(legacy, file);
  }
  writeSecretFile(file, () => randomBytes(32).toString('base64url'));
  return { secret: fs.readFileSync(file, 'utf8').trim(), demo: true };
}
