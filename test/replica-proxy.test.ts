import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startReplicaProxy, type ReplicaProxy } from '../app/proxy';

/**
 * The port in front of `npm run cluster`'s API replicas (app/proxy.ts) with bodies of every size the API takes:
 * an attachment's upload up to the per-file limit passes whole, to one replica then the other; a larger one
 * is refused with a 413 problem that says the limit, and the client gets to read it.
 */
describe('the replica proxy', () => {
  const MAX_FILE = 2 * 1024 * 1024;
  const replicas: http.Server[] = [];
  const seen: string[] = [];
  let proxy: ReplicaProxy;

  beforeAll(async () => {
    for (const name of ['api-1', 'api-2']) {
      // A replica that answers with the SHA-256 and length of the body it received.
      const server = http.createServer((req, res) => {
        const hash = createHash('sha256');
        let size = 0;
        req.on('data', (c: Buffer) => {
          hash.update(c);
          size += c.length;
        });
        req.on('end', () => {
          seen.push(name);
          res
            .writeHead(201, { 'Content-Type': 'application/json' })
            .end(JSON.stringify({ replica: name, size, sha256: hash.digest('hex') }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      replicas.push(server);
    }
    const urls = replicas.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    proxy = await startReplicaProxy({ port: 0, upstreams: () => urls, maxFileBytes: MAX_FILE });
  });

  afterAll(async () => {
    await proxy.stop();
    for (const s of replicas) await new Promise<void>((resolve) => s.close(() => resolve()));
  });

  const upload = (size: number) => {
    const form = new FormData();
    form.append('kind', '考核表');
    form.append('file', new Blob([Buffer.alloc(size, 7)], { type: 'application/pdf' }), '考核表.pdf');
    return fetch(`${proxy.url}/api/v1/attachments`, { method: 'POST', body: form });
  };

  test('a file of the largest size the API accepts passes whole, to each replica in turn', async () => {
    const bytes = Buffer.alloc(MAX_FILE, 7);
    const answers: { replica: string; size: number }[] = [];
    for (let i = 0; i < 2; i += 1) {
      const res = await upload(MAX_FILE);
      expect(res.status).toBe(201);
      answers.push((await res.json()) as { replica: string; size: number });
    }
    expect(new Set(answers.map((a) => a.replica))).toEqual(new Set(['api-1', 'api-2']));
    // The multipart envelope around the file, and the file itself.
    for (const a of answers) expect(a.size).toBeGreaterThan(bytes.length);
  });

  test('a larger body is refused with a 413 problem naming the limit, before any replica sees it', async () => {
    const before = seen.length;
    const res = await upload(MAX_FILE + 128 * 1024);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 413, detail: expect.stringContaining(`a file may have at most ${MAX_FILE}`) });
    expect(seen.length).toBe(before);
  });
});
