import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeSecretFile } from './secret-files';

/**
 * The Ed25519 key that signs the ledger's checkpoints (docs/ledger.md). It never enters the database: a PEM file
 * (PKCS#8) named by LEDGER_SIGNING_KEY_FILE, or, for `npm start` and tests, one generated in DATA_DIR (mode
 * 0600). Node's own crypto signs and verifies; no library is needed for Ed25519.
 */
export interface LedgerSigner {
  /** SHA-256 (hex) of the public key's SPKI DER: what a checkpoint names as its keyId. */
  keyId: string;
  /** The public key, SPKI PEM: published at GET /api/v1/ledger/public-key. */
  publicKeyPem: string;
  /** Ed25519 signature of the message, base64. */
  sign: (message: Uint8Array) => string;
}

export const keyIdOf = (publicKey: KeyObject) =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');

export function ledgerSigner(privateKeyPem: string): LedgerSigner {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`the ledger signing key must be Ed25519, not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => sign(null, message, privateKey).toString('base64'),
  };
}

/**
 * The signer from LEDGER_SIGNING_KEY_FILE, else from DATA_DIR/secrets/ledger-signing-key.pem, written once like the
 * service's other generated secrets (infra/secret-files.ts). In production nothing is generated: a key made beside
 * the database it vouches for would protect nothing, so the API refuses to start without the file.
 */
export function resolveLedgerSigner(options: { keyFile?: string; dataDir: string; production?: boolean }): {
  signer: LedgerSigner;
  generated: boolean;
} {
  if (options.keyFile) return { signer: ledgerSigner(fs.readFileSync(options.keyFile, 'utf8')), generated: false };
  if (options.production)
    throw new Error(
      'NODE_ENV=production needs LEDGER_SIGNING_KEY_FILE (an Ed25519 PKCS#8 PEM kept off the database host); none is generated',
    );
  const file = path.join(options.dataDir, 'secrets', 'ledger-signing-key.pem');
  writeSecretFile(file, () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return { signer: ledgerSigner(fs.readFileSync(file, 'utf8')), generated: true };
}

/**
 * A signature check over the published public keys (SPKI PEM; every key the ledger was signed with, when it was
 * rotated), for the offline verifier: a checkpoint holds when the key it names is one of them and its signature
 * verifies with that key.
 */
export function signatureCheck(...publicKeyPems: string[]) {
  const keys = new Map(publicKeyPems.map((pem) => createPublicKey(pem)).map((k) => [keyIdOf(k), k] as const));
  return (message: Uint8Array, signatureBase64: string, signedBy: string): boolean => {
    const key = keys.get(signedBy);
    return key !== undefined && verify(null, message, key, Buffer.from(signatureBase64, 'base64'));
  };
}
