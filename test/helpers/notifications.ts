import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

/**
 * The other side of notifications for the tests: a real SMTP server in a child process (test/fixtures/smtp-sink.ts)
 * and a webhook receiver in the test process that checks signatures the way a county's system would.
 */

export interface ReceivedMail {
  messageId: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  idempotencyKey: string | null;
  rawSubjectHeader: string;
  envelopeTo: string[];
}

export interface SmtpSink {
  url: string;
  mails: ReceivedMail[];
  held: string[];
  /** Answers the held mail: accept or reject (451). */
  answer: (what: 'accept' | 'reject') => void;
  waitFor: (predicate: (mails: ReceivedMail[]) => boolean, timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
  child: ChildProcess;
}

export async function startSmtpSink(options: { hold?: boolean } = {}): Promise<SmtpSink> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'fixtures', 'smtp-sink.ts')], {
    env: { ...process.env, SMTP_SINK_HOLD: options.hold ? '1' : '0' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const mails: ReceivedMail[] = [];
  const held: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code})`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { port?: number; mail?: ReceivedMail; held?: string };
      if (message.port !== undefined) resolve(message.port);
      if (message.mail) mails.push(message.mail);
      if (message.held !== undefined) held.push(message.held);
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    held,
    child,
    answer: (what) => child.stdin.write(`${what}\n`),
    waitFor: (predicate, timeoutMs = 60_000) =>
      until(
        () => predicate(mails),
        timeoutMs,
        () => JSON.stringify(mails, null, 1),
      ),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export interface ReceivedHook {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The signed webhook's signature checked with the secret (null: no signature header). */
  signatureValid: boolean | null;
}

/** A webhook receiver: records every request; `answers` gives the status of each request to a path in turn (default 200). */
export async function startWebhookReceiver(secret: string, answers: Record<string, number[]> = {}) {
  const hooks: ReceivedHook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-cases-signature'];
      const timestamp = req.headers['x-cases-timestamp'];
      let signatureValid: boolean | null = null;
      if (typeof signature === 'string' && typeof timestamp === 'string') {
        const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
        signatureValid = expected.length === Buffer.byteLength(signature) && timingSafeEqual(expected, Buffer.from(signature));
      }
      hooks.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body, signatureValid });
      const status = answers[url.pathname]?.shift() ?? 200;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(url.pathname.startsWith('/robot') ? JSON.stringify({ errcode: 0, errmsg: 'ok' }) : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hooks,
    waitFor: (predicate: (hooks: ReceivedHook[]) => boolean, timeoutMs = 60_000) =>
      until(
        () => predicate(hooks),
        timeoutMs,
        () => JSON.stringify(hooks.map((h) => [h.path, h.body])),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
