import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The one port in front of the API replicas of `npm run cluster`: each request goes to the next replica in
 * turn (per request, not per connection, so one keep-alive client still spreads over both). It does what a
 * production load balancer does and Node's cluster module does not: a replica that refuses connections is
 * skipped and the request sent to another (nothing reached the dead one, so that is safe for any request),
 * and a replica that dies with a request in flight gets the client a 503 problem with Retry-After instead of
 * a dropped connection; the client retries with its Idempotency-Key, and the API answers a retried action
 * once (api/idempotency.ts, services/cases.ts). The replicas are separate processes the test can SIGKILL one
 * at a time, as Kubernetes runs separate pods behind a Service.
 */

export interface ReplicaProxy {
  url: string;
  port: number;
  /** Requests answered 503 because no replica could take them or one died while answering. */
  failures: () => number;
  stop: () => Promise<void>;
}

/**
 * A request body is buffered so it can be sent to another replica. The API's largest is an attachment's upload
 * (ATTACHMENTS_MAX_FILE_BYTES, 20 MB by default): the caller passes that limit, and the multipart envelope
 * around the file (its boundaries, headers and the few short fields the API allows) fits in this margin.
 */
const MULTIPART_MARGIN_BYTES = 64 * 1024;
const RETRY_AFTER_SECONDS = 1;

function problem(res: http.ServerResponse, detail: string) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': String(RETRY_AFTER_SECONDS) });
  res.end(JSON.stringify({ type: '/problems/dependency-unavailable', title: 'A dependency is unavailable', status: 503, detail }));
}

export async function startReplicaProxy(options: {
  port: number;
  upstreams: () => string[];
  host?: string;
  /** The largest file the API accepts (config.attachments.maxFileBytes). */
  maxFileBytes: number;
}): Promise<ReplicaProxy> {
  const maxBody = options.maxFileBytes + MULTIPART_MARGIN_BYTES;
  let next = 0;
  let failures = 0;
  const agent = new http.Agent({ keepAlive: true });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, tried: Set<string>) => {
    const upstreams = options.upstreams().filter((u) => !tried.has(u));
    if (!upstreams.length) {
      failures += 1;
      problem(res, 'no API replica is accepting connections');
      return;
    }
    const target = upstreams[next++ % upstreams.length] as string;
    tried.add(target);
    const url = new URL(target);
    const upstream = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '', 'content-length': String(body.length) },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      // Safe to send elsewhere: nothing reached a replica that refused the connection; and a read may be
      // repeated when a pooled keep-alive connection turns out to be dead (its replica died since).
      const resend =
        err.code === 'ECONNREFUSED' ||
        (upstream.reusedSocket && err.code === 'ECONNRESET' && (req.method === 'GET' || req.method === 'HEAD'));
      if (resend && !res.headersSent) return forward(req, res, body, tried);
      failures += 1;
      problem(res, 'the API replica stopped while answering; retry with the same Idempotency-Key');
    });
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return; // read and dropped, so the client gets to read the answer
      size += chunk.length;
      if (size > maxBody) {
        tooLarge = true;
        chunks.length = 0;
        res.writeHead(413, { 'Content-Type': 'application/problem+json', Connection: 'close' }).end(
          JSON.stringify({
            type: '/problems/payload-too-large',
            title: 'The request is too large',
            status: 413,
            detail: `the request body exceeds ${maxBody} bytes (a file may have at most ${options.maxFileBytes})`,
          }),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) forward(req, res, Buffer.concat(chunks), new Set());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    failures: () => failures,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
