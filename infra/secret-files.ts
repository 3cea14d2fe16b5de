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
