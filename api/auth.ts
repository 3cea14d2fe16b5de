import type { Request } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { Caller } from '../domain/access';
import { HttpProblem } from '../services/problem';

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

export interface AuthSettings {
  issuer: string;
  audience: string;
  /** HS256 shared secret (demo and simple deployments). */
  jwtSecret?: string;
  /** OIDC provider's JWKS endpoint; takes precedence over the secret. */
  jwksUrl?: string;
  jwksAlgorithms: string[];
}

/**
 * A verified token's subject and who issued it: this service (HS256: the subject is a user id) or the OIDC
 * provider (its own subject, matched only against a user's externalSub, so a provider that issues "admin-1" as a
 * subject does not sign in as the internal user admin-1).
 */
export interface VerifiedToken {
  sub: string;
  issuedBy: 'service' | 'oidc';
}

export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

export function createTokenVerifier(settings: AuthSettings): TokenVerifier {
  const options = { issuer: settings.issuer, audience: settings.audience, requiredClaims: ['sub', 'exp'] };
  if (settings.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(settings.jwksUrl));
    return async (token) => {
      const { payload } = await jwtVerify(token, keys, { ...options, algorithms: settings.jwksAlgorithms });
      return { sub: payload.sub as string, issuedBy: 'oidc' };
    };
  }
  if (!settings.jwtSecret) throw new Error('authentication needs AUTH_JWKS_URL or AUTH_JWT_SECRET');
  const key = new TextEncoder().encode(settings.jwtSecret);
  return async (token) => {
    // The algorithm is pinned: a token signed with anything but HS256 (or "none") is refused.
    const { payload } = await jwtVerify(token, key, { ...options, algorithms: ['HS256'] });
    return { sub: payload.sub as string, issuedBy: 'service' };
  };
}

/** Issues an HS256 token for a user (demo logins and `npm run token`). */
export async function issueToken(settings: AuthSettings, userId: string, name: string, ttl = '8h'): Promise<string> {
  if (!settings.jwtSecret) throw new Error('issuing tokens needs an HS256 secret');
  return new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(settings.jwtSecret));
}

/**
 * Authenticates a request: a valid bearer token of an active user, or a 401 problem. `callerFor` names the
 * account and roles of a verified subject (services/auth.ts): roles come from the database, never the token.
 */
export function bearerAuthenticator(verify: TokenVerifier, callerFor: (token: VerifiedToken) => Promise<Caller | null>) {
  return async (req: Request): Promise<Caller> => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpProblem('unauthenticated', 'send Authorization: Bearer <token>');
    let verified: VerifiedToken;
    try {
      verified = await verify(match[1] as string);
    } catch (err) {
      const reason = err instanceof joseErrors.JWTExpired ? 'the token has expired' : 'the token is not valid';
      throw new HttpProblem('unauthenticated', reason);
    }
    const caller = await callerFor(verified);
    if (!caller) throw new HttpProblem('unauthenticated', 'the token names no active user');
    return caller;
  };
}
