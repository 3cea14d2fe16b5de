import type { AuthConfig } from './types';

/**
 * Sign-in with an OIDC provider: the authorization-code flow with PKCE (RFC 7636, S256) for a public client.
 * The verifier and state live in sessionStorage only between leaving for the provider and coming back.
 */

type Oidc = NonNullable<AuthConfig['oidc']>;

const VERIFIER = 'cases.oidc.verifier';
const STATE = 'cases.oidc.state';
const RETURN_TO = 'cases.oidc.returnTo';
export const CALLBACK_PATH = '/auth/callback';

export class OidcError extends Error {
  constructor(
    readonly code: 'insecure-context' | 'state-mismatch' | 'provider-error' | 'token-exchange',
    detail: string,
  ) {
    super(detail);
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomString = (bytes = 32) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

export const redirectUri = () => `${window.location.origin}${CALLBACK_PATH}`;

/** Leaves for the provider's authorization endpoint. */
export async function startOidcSignIn(oidc: Oidc, returnTo: string): Promise<void> {
  if (!crypto.subtle) throw new OidcError('insecure-context', 'PKCE needs a secure context (HTTPS or localhost)');
  const verifier = randomString(32);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = randomString(16);
  sessionStorage.setItem(VERIFIER, verifier);
  sessionStorage.setItem(STATE, state);
  sessionStorage.setItem(RETURN_TO, returnTo);
  const url = new URL(oidc.authorizationUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', oidc.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('scope', oidc.scope);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  window.location.assign(url.toString());
}

/** Back from the provider: checks the state and exchanges the code for a token. */
export async function completeOidcSignIn(oidc: Oidc, search: URLSearchParams): Promise<{ token: string; returnTo: string }> {
  const expectedState = sessionStorage.getItem(STATE);
  const verifier = sessionStorage.getItem(VERIFIER);
  const returnTo = sessionStorage.getItem(RETURN_TO) ?? '/';
  for (const key of [STATE, VERIFIER, RETURN_TO]) sessionStorage.removeItem(key);
  const error = search.get('error');
  if (error) throw new OidcError('provider-error', [error, search.get('error_description')].filter(Boolean).join(': '));
  const code = search.get('code');
  if (!code || !verifier || !expectedState || search.get('state') !== expectedState) {
    throw new OidcError('state-mismatch', 'the sign-in response does not match the request that started it');
  }
  const res = await fetch(oidc.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: oidc.clientId,
      code_verifier: verifier,
    }),
  }).catch((err: Error) => {
    throw new OidcError('token-exchange', err.message);
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token) {
    throw new OidcError('token-exchange', body.error_description ?? body.error ?? `HTTP ${res.status}`);
  }
  // The API verifies the access token (its audience is the API) against the provider's JWKS.
  return { token: body.access_token, returnTo: returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/' };
}
