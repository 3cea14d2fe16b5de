import { evaluationDay } from '../app/runtime';
import { loadConfig } from '../infra/config';

/** Configuration is refused at start-up when it is wrong, naming the variable, instead of half taking effect. */
describe('configuration', () => {
  const oidc = {
    AUTH_OIDC_AUTHORIZATION_URL: 'https://idp.example/authorize',
    AUTH_OIDC_TOKEN_URL: 'https://idp.example/token',
    AUTH_OIDC_CLIENT_ID: 'cases-web',
  };

  test.each([
    [
      'only the client id of the OIDC sign-in',
      { AUTH_OIDC_CLIENT_ID: 'cases-web' },
      /AUTH_OIDC_AUTHORIZATION_URL, AUTH_OIDC_TOKEN_URL: set with the other AUTH_OIDC_\* variables/,
    ],
    ['OIDC without its token URL', { ...oidc, AUTH_OIDC_TOKEN_URL: '' }, /AUTH_OIDC_TOKEN_URL: set with the other/],
    [
      'an OIDC URL that is not one',
      { ...oidc, AUTH_OIDC_AUTHORIZATION_URL: 'idp.example/authorize' },
      /AUTH_OIDC_AUTHORIZATION_URL: must be an http\(s\) URL/,
    ],
    ['a JWKS URL of another scheme', { AUTH_JWKS_URL: 'file:///etc/keys.json' }, /AUTH_JWKS_URL: must be an http\(s\) URL/],
    [
      'a Temporal client certificate without its key',
      { TEMPORAL_ADDRESS: 't:7233', TEMPORAL_TLS_CERT_FILE: __filename },
      /TEMPORAL_TLS_KEY_FILE: set with the other of TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE/,
    ],
    [
      'a Temporal client key without its certificate',
      { TEMPORAL_ADDRESS: 't:7233', TEMPORAL_TLS_KEY_FILE: __filename },
      /TEMPORAL_TLS_CERT_FILE: set with the other/,
    ],
    [
      'a Temporal CA file that cannot be read',
      { TEMPORAL_ADDRESS: 't:7233', TEMPORAL_TLS_CA_FILE: '/nonexistent/ca.pem' },
      /TEMPORAL_TLS_CA_FILE: \/nonexistent\/ca.pem is not a readable file/,
    ],
    ['Temporal TLS for the dev server npm start runs', { TEMPORAL_API_KEY: 'key' }, /TEMPORAL_API_KEY: needs TEMPORAL_ADDRESS/],
    ['an HS256 secret shorter than 32 bytes', { AUTH_JWT_SECRET: 'x'.repeat(31) }, /AUTH_JWT_SECRET: must be at least 32 bytes/],
    [
      'a JWKS URL without TLS',
      { AUTH_JWKS_URL: 'http://idp.example/jwks' },
      /AUTH_JWKS_URL: must be an https URL \(http only on a loopback address\)/,
    ],
    [
      'a JWKS URL without TLS on a host named like loopback',
      { AUTH_JWKS_URL: 'http://127.0.0.1.example/jwks' },
      /AUTH_JWKS_URL: must be an https URL/,
    ],
    [
      'demo sign-in beside an OIDC provider',
      { AUTH_DEMO_SIGN_IN: 'true', AUTH_JWKS_URL: 'https://idp.example/jwks' },
      /AUTH_DEMO_SIGN_IN: demo sign-in issues HS256 tokens/,
    ],
    ['demo sign-in as anything but true or false', { AUTH_DEMO_SIGN_IN: 'yes' }, /AUTH_DEMO_SIGN_IN/],
    ['an evaluation date that does not exist', { EVALUATION_DATE: '2026-02-30' }, /EVALUATION_DATE: expected a calendar date/],
    [
      'a pinned evaluation date in production',
      { EVALUATION_DATE: '2026-11-27', NODE_ENV: 'production' },
      /EVALUATION_DATE: pins the date of every eligibility check; not in production/,
    ],
  ])('refuses %s', (_what, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  test('takes a 32-byte secret, an https key set, and plain http only on a loopback address; demo sign-in is off unless asked for', () => {
    expect(loadConfig({ AUTH_JWT_SECRET: '秘'.repeat(11) }).auth.jwtSecret).toHaveLength(11); // 33 bytes in UTF-8
    for (const url of ['https://idp.example/jwks', 'http://127.0.0.1:8080/jwks', 'http://localhost/jwks', 'http://[::1]:9/jwks']) {
      expect(loadConfig({ AUTH_JWKS_URL: url }).auth.jwksUrl).toBe(url);
    }
    expect(loadConfig({}).auth.demoSignIn).toBe(false);
    expect(loadConfig({ AUTH_DEMO_SIGN_IN: 'true' }).auth.demoSignIn).toBe(true);
  });

  test("EVALUATION_DATE pins the day the API and the worker evaluate eligibility on; unset, they take today's", () => {
    expect(evaluationDay(loadConfig({ EVALUATION_DATE: '2026-11-27' }))?.()).toBe('2026-11-27');
    expect(evaluationDay(loadConfig({ EVALUATION_DATE: ' ' }))).toBeUndefined();
    expect(evaluationDay(loadConfig({}))).toBeUndefined();
  });

  test('takes a complete OIDC setting, and none at all', () => {
    expect(loadConfig(oidc).auth.oidc).toEqual({
      authorizationUrl: 'https://idp.example/authorize',
      tokenUrl: 'https://idp.example/token',
      clientId: 'cases-web',
      scope: 'openid profile',
    });
    expect(loadConfig({ AUTH_OIDC_CLIENT_ID: ' ' }).auth.oidc).toBeUndefined();
  });
});
