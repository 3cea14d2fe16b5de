import http from 'node:http';
import { issueToken, type AuthSettings } from '../api/auth';

/**
 * A small keep-alive JSON client: for the API, with bearer tokens issued with the API's own secret; for a
 * peer (bench/peers/), with its own path prefix and Authorization header.
 */

export interface ApiResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  ms: number;
  headers: http.IncomingHttpHeaders;
}

/** The Authorization header a user's requests carry. */
export type Authorization = (userId: string) => Promise<string>;

export class ApiClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  private readonly headers = new Map<string, Promise<string>>();
  private readonly url: URL;
  private readonly authorization: Authorization;

  constructor(
    baseUrl: string,
    auth: AuthSettings | Authorization,
    private readonly prefix = '/api/v1',
  ) {
    this.url = new URL(baseUrl);
    this.authorization = typeof auth === 'function' ? auth : async (userId) => `Bearer ${await issueToken(auth, userId, userId, '12h')}`;
  }

  private header(userId: string): Promise<string> {
    let h = this.headers.get(userId);
    if (!h) {
      h = this.authorization(userId);
      this.headers.set(userId, h);
    }
    return h;
  }

  async request(method: string, path: string, userId: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    const authorization = await this.header(userId);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const t0 = performance.now();
    return new Promise<ApiResponse>((resolve, reject) => {
      const req = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path: `${this.prefix}${path}`,
          agent: this.agent,
          headers: {
            Authorization: authorization,
            Accept: 'application/json',
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const ms = performance.now() - t0;
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              /* not JSON */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, ms, headers: res.headers });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(300_000, () => req.destroy(new Error(`${method} ${path}: no answer within 300 s`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** A short description of an unexpected response, for the error samples. */
export function describe(what: string, res: ApiResponse): string {
  const detail =
    typeof res.body === 'object' && res.body
      ? (res.body.detail ?? res.body.title ?? JSON.stringify(res.body).slice(0, 200))
      : String(res.body).slice(0, 200);
  return `${what}: HTTP ${res.status} ${detail}`;
}
