/**
 * A real OpenID Connect provider for Kyodo's end-to-end tests: oidc-provider (certified) on
 * 127.0.0.1, started by `scripts/e2e.sh` before the Kyodo server.
 *
 *   node oidc/provider.mjs
 *
 * Environment:
 *   OIDC_PORT       port (default 3200); the issuer is `http://127.0.0.1:<port>`
 *   KYODO_CALLBACK  redirect URI registered for both clients
 *                   (default http://127.0.0.1:3100/auth/oidc/callback)
 *
 * Sign-in uses oidc-provider's built-in development interactions: a login form that accepts
 * any login and password (the login becomes the account id, `sub`), then a consent page
 * ("Continue"). Claims: `email` is the login if it contains `@`, otherwise
 * `<login>@city.hachioji.lg.jp`; `email_verified` is false for a login that starts with
 * `unverified`, true otherwise; `name` is the login.
 *
 * Clients (Authorization Code only, PKCE required, `client_secret_basic`):
 *   kyodo         secret kyodo-secret
 *   someone-else  secret other-secret   (another relying party on the same provider)
 *
 * Prints `oidc-provider ready at <issuer>` once it listens. State (sessions, codes, grants)
 * lives in memory and signing keys are generated at start-up: a restart forgets everything.
 */
import * as http from 'node:http';
import Provider from 'oidc-provider';

const port = Number.parseInt(process.env.OIDC_PORT ?? '3200', 10);
const host = '127.0.0.1';
const issuer = `http://${host}:${port}`;
const callback = process.env.KYODO_CALLBACK ?? 'http://127.0.0.1:3100/auth/oidc/callback';

/** The claims of a login typed into the development login form. */
function claimsOf(login) {
  const email = login.includes('@') ? login : `${login}@city.hachioji.lg.jp`;
  return { sub: login, email, email_verified: !login.startsWith('unverified'), name: login };
}

const client = (client_id, client_secret) => ({
  client_id,
  client_secret,
  redirect_uris: [callback],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client('kyodo', 'kyodo-secret'), client('someone-else', 'other-secret')],
  // Any login is an account; its claims follow from the login itself.
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return claimsOf(sub);
      },
    };
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Put the scope claims (email, name) into the ID token itself, not only the userinfo
  // endpoint: Kyodo reads them from the ID token.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
  },
  cookies: {
    keys: ['kyodo-e2e-oidc-cookie-key-1', 'kyodo-e2e-oidc-cookie-key-0'],
  },
});

// Log what goes wrong on the provider's side, for the e2e log.
for (const event of [
  'authorization.error',
  'grant.error',
  'server_error',
  'end_session.error',
  'userinfo.error',
]) {
  provider.on(event, (_ctx, error) => {
    console.error(`oidc-provider ${event}: ${error?.name ?? ''} ${error?.message ?? error}`
      + `${error?.error_description ? ` (${error.error_description})` : ''}`);
  });
}
provider.on('grant.success', (ctx) => {
  console.log(`oidc-provider grant.success client=${ctx.oidc.client?.clientId}`);
});

const server = http.createServer(provider.callback());
server.listen(port, host, () => {
  console.log(`oidc-provider ready at ${issuer} (redirect URI ${callback})`);
});

function stop() {
  server.close(() => process.exit(0));
  // Keep-alive connections may hold the server open: do not wait for them.
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
