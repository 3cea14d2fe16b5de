import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Secrets the service generates for itself (the demo JWT secret, the payload codec keys) live in a folder only
 * this OS user can enter (0700), each in a file only it can read (0600): a world-readable DATA_DIR, as a
 * default umask leaves it, must not hand them to other local users.
 */

/** The folder, created owner-only, or narrowed to owner-only when it exists with wider modes. */
export function ensureOwnerOnlyFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((fs.statSync(dir).mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

/**
 * Writes a secret once: when the file is missing, `content()` goes to a temporary name (0600) that is then
 * linked into place, so concurrent processes on one DATA_DIR agree on the first one written and no reader ever
 * sees half a file. An existing file is kept (and narrowed to 0600).
 */
export function writeSecretFile(file: string, content: () => string): void {
  ensureOwnerOnlyFolder(path.dirname(file));
  if (fs.existsSync(file)) {
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    return;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content(), { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * The HMAC key of the public objection form's challenges (services/public-notices.ts): PUBLIC_CHALLENGE_SECRET_FILE
 * when set, else DATA_DIR/secrets/public-challenge-secret, written once, so every API process over one DATA_DIR
 * (`npm run cluster`) accepts the challenges the others issue. In production nothing is generated: replicas on
 * separate hosts would each make their own and refuse each other's challenges, so the API refuses to start.
 */
export function resolvePublicChallengeSecret(options: { file?: string; dataDir: string; production?: boolean }): {
  secret: string;
  generated: boolean;
} {
  const read = (file: string) => {
    const secret = fs.readFileSync(file, 'utf8').trim();
    if (secret.length < 32) throw new Error(`${file}: the public challenge secret must be at least 32 characters`);
    return secret;
  };
  if (options.file) return { secret: read(options.file), generated: false };
  if (options.production)
    throw new Error(
      'NODE_ENV=production needs PUBLIC_CHALLENGE_SECRET_FILE (a file of at least 32 random characters, the same on every API host)',
    );
  const file = path.join(options.dataDir, 'secrets', 'public-challenge-secret');
  writeSecretFile(file, () => randomBytes(32).toString('base64url'));
  return { secret: read(file), generated: true };
}
