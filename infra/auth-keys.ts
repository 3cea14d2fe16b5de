import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';

/**
 * The HS256 secret: AUTH_JWT_SECRET when set; otherwise a random demo secret kept in the data folder, shared
 * by `npm start` and `npm run token`. Deployments set AUTH_JWT_SECRET or use an OIDC provider (AUTH_JWKS_URL).
 */
export function resolveJwtSecret(config: Config): { secret: string; demo: boolean } {
  if (config.auth.jwtSecret) return { secret: config.auth.jwtSecret, demo: false };
  const file = path.join(config.dataDir, 'dev-jwt-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return { secret: fs.readFileSync(file, 'utf8').trim(), demo: true };
}
