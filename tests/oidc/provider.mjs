// A real OpenID Connect provider on loopback for the single sign-on tests (npm `oidc-provider`).
// It signs in whoever the test says comes next, with the `amr` and `acr` the test chooses, so a
// test can play a coordinator whose provider checked MFA, one whose did not, or a stranger.
//
//   CLIENT_ID=… CLIENT_SECRET=… REDIRECT_URIS=uri[,uri] node tests/oidc/provider.mjs
//
// Prints `READY http://127.0.0.1:PORT` once it listens. `POST /test/next` with JSON
// `{ "email": "…", "amr": ["pwd","mfa"], "acr": "…", "verified": true }` chooses the next
// person to sign in (default: no one; the interaction then fails).
import http from 'node:http';
import Provider from 'oidc-provider';

const { CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS } = process.env;
if (!CLIENT_ID || !CLIENT_SECRET || !REDIRECT_URIS) {
  console.error('CLIENT_ID, CLIENT_SECRET and REDIRECT_URIS must be set');
  process.exit(2);
}

const verified = new Map();
let next = null;

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(process.env.PORT || 0), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: REDIRECT_URIS.split(','),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // `amr` and `acr` go in the ID token (as a region's provider sends them); the e-mail comes from
  // the userinfo endpoint, so the client's fallback to it is used.
  claims: { openid: ['sub', 'amr', 'acr'], email: ['email', 'email_verified'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: verified.get(id) !== false };
      },
    };
  },
});
provider.on('server_error', (_ctx, err) => console.error('server_error', err));

const callback = provider.callback();

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  let result;
  if (prompt.name === 'login') {
    if (!next) {
      result = { error: 'access_denied', error_description: 'no test user chosen' };
    } else {
      verified.set(next.email, next.verified !== false);
      result = { login: { accountId: next.email, amr: next.amr, acr: next.acr } };
    }
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

server.on('request', (req, res) => {
  if (req.method === 'POST' && req.url === '/test/next') {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      next = JSON.parse(body);
      res.writeHead(204).end();
    });
    return;
  }
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((err) => {
      console.error(err);
      res.writeHead(500).end(String(err));
    });
    return;
  }
  callback(req, res);
});

console.log(`READY ${issuer}`);
