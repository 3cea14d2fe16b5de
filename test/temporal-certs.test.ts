import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureClusterCertificates, type ClusterCertificates } from '../infra/temporal-certs';

/** The production topology's certificates: made once, reused while valid, renewed before they lapse. */
describe('cluster certificates', () => {
  const DAY = 86_400_000;
  let dir: string;
  let first: ClusterCertificates;
  const start = new Date('2030-01-01T00:00:00Z');

  const pem = (file: string) => fs.readFileSync(file, 'utf8');
  const cert = (file: string) => new X509Certificate(pem(file));
  const bundle = (c: ClusterCertificates) =>
    pem(c.caBundleFile)
      .split(/(?=-----BEGIN CERTIFICATE-----)/)
      .map((p) => new X509Certificate(p));
  const leaves = (c: ClusterCertificates) => [c.frontend, c.internode, c.clients.api, c.clients.worker];

  beforeAll(async () => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cases-certs-')), 'certs');
    first = await ensureClusterCertificates({ dir, hostNames: ['temporal.county.example'], now: start });
  });
  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('issues every leaf from one CA, with the host names on the server certificates and keys readable by the owner only', () => {
    const [ca] = bundle(first);
    expect(bundle(first)).toHaveLength(1);
    for (const files of leaves(first)) {
      expect(cert(files.certFile).verify(ca!.publicKey)).toBe(true);
      expect(cert(files.certFile).checkPrivateKey(createPrivateKey(pem(files.keyFile)))).toBe(true);
      expect(fs.statSync(files.keyFile).mode & 0o777).toBe(0o600);
    }
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const server of [first.frontend, first.internode]) {
      const c = cert(server.certFile);
      expect(c.checkHost('temporal.county.example')).toBeDefined();
      expect(c.checkHost('localhost')).toBeDefined();
      expect(c.checkIP('127.0.0.1')).toBeDefined();
      expect(c.checkHost('elsewhere.example')).toBeUndefined();
    }
    expect(cert(first.clients.api.certFile).subject).toContain('CN=community-cases-api');
    expect(cert(first.clients.api.certFile).keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth only
    expect(cert(first.frontend.certFile).keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth only
    expect(cert(first.internode.certFile).keyUsage?.sort()).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('reuses valid certificates as they are', async () => {
    const before = leaves(first).map((f) => pem(f.certFile));
    const again = await ensureClusterCertificates({
      dir,
      hostNames: ['temporal.county.example'],
      now: new Date(start.getTime() + 100 * DAY),
    });
    expect(leaves(again).map((f) => pem(f.certFile))).toEqual(before);
  });

  it('reissues the server certificates, and only those, for a new host name', async () => {
    const before = leaves(first).map((f) => pem(f.certFile));
    const again = await ensureClusterCertificates({ dir, hostNames: ['temporal.county.example', 'temporal-2.county.example'], now: start });
    const after = leaves(again).map((f) => pem(f.certFile));
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after.slice(2)).toEqual(before.slice(2));
    expect(cert(again.frontend.certFile).checkHost('temporal-2.county.example')).toBeDefined();
  });

  it('renews leaves in their last month, under the same CA', async () => {
    const caBefore = pem(path.join(dir, 'ca.pem'));
    const before = leaves(first).map((f) => pem(f.certFile));
    const late = new Date(start.getTime() + 340 * DAY);
    const again = await ensureClusterCertificates({ dir, hostNames: ['temporal.county.example', 'temporal-2.county.example'], now: late });
    expect(pem(path.join(dir, 'ca.pem'))).toBe(caBefore);
    for (const [i, files] of leaves(again).entries()) {
      expect(pem(files.certFile)).not.toBe(before[i]);
      expect(new Date(cert(files.certFile).validTo).getTime()).toBeGreaterThan(late.getTime() + 300 * DAY);
    }
  });

  it('replaces a CA in its last year and keeps trusting the old one until it expires', async () => {
    const oldCa = cert(path.join(dir, 'ca.pem'));
    const oldClient = cert(first.clients.api.certFile);
    const late = new Date(new Date(oldCa.validTo).getTime() - 200 * DAY);
    const again = await ensureClusterCertificates({ dir, now: late });
    const [current, previous] = bundle(again);
    expect(current!.fingerprint256).not.toBe(oldCa.fingerprint256);
    expect(previous!.fingerprint256).toBe(oldCa.fingerprint256);
    for (const files of leaves(again)) expect(cert(files.certFile).verify(current!.publicKey)).toBe(true);
    // A peer still holding a certificate from the old CA is trusted through the bundle during the roll-out.
    expect(oldClient.verify(previous!.publicKey)).toBe(true);
    // Once the old CA has expired it leaves the bundle.
    const later = await ensureClusterCertificates({ dir, now: new Date(new Date(oldCa.validTo).getTime() + DAY) });
    expect(bundle(later).map((c) => c.fingerprint256)).toEqual([current!.fingerprint256]);
  });
});
