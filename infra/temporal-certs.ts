// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import crypto, { X509Certificate, type webcrypto } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

/**
 * The certificates of the production topology: a private CA, the Temporal frontend's server certificate, the
 * certificate the server's own services use between themselves (internode, and the system worker's client
 * side), and one client certificate each for the API and the worker. mTLS on the frontend means only holders of
 * a certificate from this CA can talk to Temporal at all.
 *
 * ECDSA P-256 keys made by Node's WebCrypto (native, milliseconds per key) and certificates built by
 * @peculiar/x509; Node's own X509Certificate checks the files on reuse. Files live in one folder (mode 0700),
 * keys mode 0600, each written to a temporary name and renamed so a crash never leaves half a file.
 *
 * Reused while valid: a leaf is reissued when it has less than RENEW_LEAF_DAYS left, was not issued by the
 * current CA, no longer matches its key, or lacks a host name now asked for. The CA is replaced when it has
 * less than a leaf's lifetime left; the old one stays in the trust bundle (ca-bundle.pem) until it expires, so
 * peers that still hold a certificate from it keep working while the new ones roll out.
 */

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
const CA_DAYS = 3_650;
const LEAF_DAYS = 365;
const RENEW_LEAF_DAYS = 30;

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
x509.cryptoProvider.set(crypto.webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface KeyPairFiles {
  certFile: string;
  keyFile: string;
}

export interface ClusterCertificates {
  dir: string;
  /** PEM bundle of every CA to trust (the current one, and the previous one while it is still valid). */
  caBundleFile: string;
  /** Host names and addresses the frontend and internode certificates are valid for. */
  hostNames: string[];
  frontend: KeyPairFiles;
  /** The server's own identity between its services and towards its frontend (system worker). */
  internode: KeyPairFiles;
  clients: { api: KeyPairFiles; worker: KeyPairFiles };
}

export interface CertificateOptions {
  /** Folder for the files, e.g. DATA_DIR/temporal-cluster/certs. */
  dir: string;
  /** Extra DNS names or IP addresses for the frontend and internode certificates (localhost and 127.0.0.1 are always in). */
  hostNames?: string[];
  /** For tests of renewal: the time to judge validity at. */
  now?: Date;
  log?: (line: string) => void;
}

type LeafName = 'frontend' | 'internode' | 'client-api' | 'client-worker';

interface LeafSpec {
  name: LeafName;
  commonName: string;
  /** serverAuth and/or clientAuth. */
  usages: Array<'server' | 'client'>;
  withHostNames: boolean;
}

const LEAVES: LeafSpec[] = [
  { name: 'frontend', commonName: 'temporal-frontend', usages: ['server'], withHostNames: true },
  { name: 'internode', commonName: 'temporal-internode', usages: ['server', 'client'], withHostNames: true },
  { name: 'client-api', commonName: 'community-cases-api', usages: ['client'], withHostNames: false },
  { name: 'client-worker', commonName: 'community-cases-worker', usages: ['client'], withHostNames: false },
];

function writeFileAtomic(file: string, content: string, mode: number) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function serialNumber(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // positive, as RFC 5280 wants
  return bytes.toString('hex');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return await crypto.webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const pkcs8 = await crypto.webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  return crypto.webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), ALGORITHM, false, ['sign']);
}

const daysLeft = (cert: X509Certificate, now: Date) => (new Date(cert.validTo).getTime() - now.getTime()) / DAY_MS;

function coversHostNames(cert: X509Certificate, hostNames: string[]): boolean {
  return hostNames.every((h) => (net.isIP(h) ? cert.checkIP(h) : cert.checkHost(h, { wildcards: false })) !== undefined);
}

interface Authority {
  cert: X509Certificate;
  pem: string;
  key: CryptoKey;
}

async function ensureCa(
  dir: string,
  now: Date,
  log: (line: string) => void,
): Promise<{ ca: Authority; renewed: boolean; previousPem?: string }> {
  const certFile = path.join(dir, 'ca.pem');
  const keyFile = path.join(dir, 'ca-key.pem');
  const pem = readIfExists(certFile);
  const keyPem = readIfExists(keyFile);
  if (pem && keyPem) {
    const cert = new X509Certificate(pem);
    if (cert.ca && cert.checkPrivateKey(crypto.createPrivateKey(keyPem)) && daysLeft(cert, now) > LEAF_DAYS) {
      return { ca: { cert, pem, key: await importPrivateKey(keyPem) }, renewed: false };
    }
    log(`CA ${cert.subject.replace(/\n/g, ', ')} expires ${cert.validTo}: issuing a new one`);
  }
  const keys = await newKeys();
  const created = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=community-cases Temporal CA ${now.toISOString().slice(0, 10)}, O=community-cases`,
    notBefore: new Date(now.getTime() - 5 * 60_000),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const newPem = created.toString('pem');
  writeFileAtomic(keyFile, await privateKeyPem(keys), 0o600);
  writeFileAtomic(certFile, newPem, 0o644);
  log(`issued a new CA (${certFile})`);
  return { ca: { cert: new X509Certificate(newPem), pem: newPem, key: keys.privateKey }, renewed: true, previousPem: pem };
}

async function issueLeaf(ca: Authority, spec: LeafSpec, hostNames: string[], now: Date): Promise<{ certPem: string; keyPem: string }> {
  const keys = await newKeys();
  const notAfter = Math.min(now.getTime() + LEAF_DAYS * DAY_MS, new Date(ca.cert.validTo).getTime());
  const extendedUsages = spec.usages.map((u) => (u === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth));
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(extendedUsages),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(new x509.X509Certificate(ca.pem)),
  ];
  if (spec.withHostNames) {
    extensions.push(new x509.SubjectAlternativeNameExtension(hostNames.map((h) => ({ type: net.isIP(h) ? 'ip' : 'dns', value: h }))));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${spec.commonName}, O=community-cases`,
    issuer: new x509.X509Certificate(ca.pem).subject,
    notBefore: new Date(now.getTime() - 5 * 60_000),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys) };
}

function leafStillGood(files: KeyPairFiles, ca: Authority, spec: LeafSpec, hostNames: string[], now: Date): boolean {
  const certPem = readIfExists(files.certFile);
  const keyPem = readIfExists(files.keyFile);
  if (!certPem || !keyPem) return false;
  try {
    const cert = new X509Certificate(certPem);
    return (
      cert.verify(ca.cert.publicKey) &&
      cert.checkPrivateKey(crypto.createPrivateKey(keyPem)) &&
      daysLeft(cert, now) > RENEW_LEAF_DAYS &&
      (!spec.withHostNames || coversHostNames(cert, hostNames))
    );
  } catch {
    return false;
  }
}

/** Creates what is missing or due, reuses the rest; returns where everything is. */
export async function ensureClusterCertificates(options: CertificateOptions): Promise<ClusterCertificates> {
  const { dir } = options;
  const now = options.now ?? new Date();
  const log = options.log ?? (() => {});
  const hostNames = [...new Set(['localhost', '127.0.0.1', ...(options.hostNames ?? [])])];
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);

  const { ca, renewed, previousPem } = await ensureCa(dir, now, log);
  const caBundleFile = path.join(dir, 'ca-bundle.pem');
  const bundled = renewed
    ? [ca.pem, ...(previousPem ? [previousPem] : [])]
    : [ca.pem, ...(readIfExists(caBundleFile) ?? '').split(/(?=-----BEGIN CERTIFICATE-----)/)];
  // Keep the current CA first, drop duplicates and every CA that has expired.
  const bundle = [...new Set(bundled.map((p) => p.trim()).filter((p) => p.startsWith('-----BEGIN CERTIFICATE-----')))].filter(
    (p) => new Date(new X509Certificate(p).validTo).getTime() > now.getTime(),
  );
  writeFileAtomic(caBundleFile, `${bundle.join('\n')}\n`, 0o644);

  const { frontend, internode, clients } = certificateFiles(dir, hostNames);
  const filesOf = (name: LeafName): KeyPairFiles =>
    ({ frontend, internode, 'client-api': clients.api, 'client-worker': clients.worker })[name];
  for (const spec of LEAVES) {
    const files = filesOf(spec.name);
    if (!renewed && leafStillGood(files, ca, spec, hostNames, now)) continue;
    const { certPem, keyPem } = await issueLeaf(ca, spec, hostNames, now);
    writeFileAtomic(files.keyFile, keyPem, 0o600);
    writeFileAtomic(files.certFile, certPem, 0o644);
    log(`issued ${spec.name} certificate (CN=${spec.commonName})`);
  }
  return certificateFiles(dir, hostNames);
}

/** Where the files of a certificate folder are, by role (e.g. mounted at another path in a container). */
export function certificateFiles(dir: string, hostNames: string[]): ClusterCertificates {
  const filesOf = (name: LeafName): KeyPairFiles => ({
    certFile: path.join(dir, `${name}.pem`),
    keyFile: path.join(dir, `${name}-key.pem`),
  });
  return {
    dir,
    caBundleFile: path.join(dir, 'ca-bundle.pem'),
    hostNames,
    frontend: filesOf('frontend'),
    internode: filesOf('internode'),
    clients: { api: filesOf('client-api'), worker: filesOf('client-worker') },
  };
}
