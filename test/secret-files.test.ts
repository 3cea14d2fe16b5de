import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoJwtSecretFile, resolveJwtSecret } from '../infra/auth-keys';
import { loadConfig } from '../infra/config';
import { resolveLedgerSigner } from '../infra/ledger-key';
import { generatedKeysFile, resolveCodecKeys } from '../infra/payload-codec';
import { resolvePublicChallengeSecret } from '../infra/secret-files';
import { ensureClusterCertificates } from '../infra/temporal-certs';

/**
 * Every secret the service writes for itself is readable by its OS user only (0600), in a folder only that user
 * can enter (0700), even in a DATA_DIR other users can list (0755, as a default umask leaves it, and as the
 * embedded PostgreSQL needs it when run as root): the demo JWT secret, the payload codec keys, the private keys
 * of the production topology's certificates.
 */

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('secrets the service writes are owner-only', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-modes-'));
    fs.chmodSync(dataDir, 0o755);
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('the demo JWT secret and the payload codec keys: files 0600 in a 0700 folder', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const { secret } = resolveJwtSecret(config);
    resolveCodecKeys(config);
    for (const file of [demoJwtSecretFile(dataDir), generatedKeysFile(dataDir)]) {
      expect({ file, mode: mode(file), folder: mode(path.dirname(file)) }).toEqual({ file, mode: 0o600, folder: 0o700 });
    }
    // Read again, not written again: the same secret for every process on this DATA_DIR.
    expect(resolveJwtSecret(config).secret).toBe(secret);
  });

  test('the ledger signing key: generated once, 0600 in a 0700 folder; never generated in production', () => {
    const first = resolveLedgerSigner({ dataDir });
    const file = path.join(dataDir, 'secrets', 'ledger-signing-key.pem');
    expect({ mode: mode(file), folder: mode(path.dirname(file)) }).toEqual({ mode: 0o600, folder: 0o700 });
    expect(resolveLedgerSigner({ dataDir }).signer.publicKeyPem).toBe(first.signer.publicKeyPem);
    expect(() => resolveLedgerSigner({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-prod-')), production: true })).toThrow(
      /LEDGER_SIGNING_KEY_FILE/,
    );
  });

  test('the public challenge secret: generated once, 0600 in a 0700 folder; in production only from its file', () => {
    const first = resolvePublicChallengeSecret({ dataDir });
    const file = path.join(dataDir, 'secrets', 'public-challenge-secret');
    expect({ mode: mode(file), folder: mode(path.dirname(file)), generated: first.generated }).toEqual({
      mode: 0o600,
      folder: 0o700,
      generated: true,
    });
    expect(resolvePublicChallengeSecret({ dataDir }).secret).toBe(first.secret);
    const prod = fs.mkdtempSync(path.join(os.tmpdir(), 'challenge-prod-'));
    expect(() => resolvePublicChallengeSecret({ dataDir: prod, production: true })).toThrow(/PUBLIC_CHALLENGE_SECRET_FILE/);
    expect(fs.existsSync(path.join(prod, 'secrets'))).toBe(false);
    const given = path.join(prod, 'challenge.key');
    fs.writeFileSync(given, 'short');
    expect(() => resolvePublicChallengeSecret({ file: given, dataDir: prod, production: true })).toThrow(/at least 32 characters/);
    fs.writeFileSync(given, `${'k'.repeat(40)}\n`);
    expect(resolvePublicChallengeSecret({ file: given, dataDir: prod, production: true })).toEqual({
      secret: 'k'.repeat(40),
      generated: false,
    });
    fs.rmSync(prod, { recursive: true, force: true });
  });

  test('a secret left readable by an earlier release is moved into the owner-only folder, and a wide folder narrowed', () => {
    const legacy = path.join(dataDir, 'dev-jwt-secret');
    fs.writeFileSync(legacy, 'a-secret-of-an-earlier-release-0123456789', { mode: 0o644 });
    fs.chmodSync(legacy, 0o644);
    fs.mkdirSync(path.join(dataDir, 'secrets'), { mode: 0o755 });
    fs.chmodSync(path.join(dataDir, 'secrets'), 0o755);

    expect(resolveJwtSecret(loadConfig({ DATA_DIR: dataDir })).secret).toBe('a-secret-of-an-earlier-release-0123456789');
    expect(fs.existsSync(legacy)).toBe(false);
    expect(mode(demoJwtSecretFile(dataDir))).toBe(0o600);
    expect(mode(path.join(dataDir, 'secrets'))).toBe(0o700);
  });

  test('the production topology’s private keys: 0600 in a 0700 folder', async () => {
    const dir = path.join(dataDir, 'temporal-cluster', 'certs');
    await ensureClusterCertificates({ dir });
    const keys = fs.readdirSync(dir).filter((f) => /key/.test(f));
    expect(keys.length).toBeGreaterThanOrEqual(5); // the CA's and four leaves'
    for (const key of keys) expect({ key, mode: mode(path.join(dir, key)) }).toEqual({ key, mode: 0o600 });
    expect(mode(dir)).toBe(0o700);
  });
});
