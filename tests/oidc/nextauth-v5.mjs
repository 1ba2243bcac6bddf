// openid-client v5 driven the way next-auth v4 drives it for a provider
// configured only with
//
//   { wellKnown: `${AUTHIO_URL}/realms/${realm}/.well-known/openid-configuration`,
//     clientId, clientSecret, authorization: { params: { scope: "openid profile email" } },
//     checks: ["pkce", "state", "nonce"], idToken: true }
//
// i.e. Issuer.discover(wellKnown), new issuer.Client({client_id,
// client_secret, redirect_uris}), client.authorizationUrl(...) with state,
// nonce and an S256 code_challenge, then client.callbackParams() and
// client.callback(redirect_uri, params, {state, nonce, code_verifier}),
// whose TokenSet.claims() becomes the profile (or, with idToken: false,
// client.userinfo(tokens): tried too when discovery lists userinfo).
// Then what it must refuse:
// a tampered state, a wrong nonce, a wrong code verifier, a replayed code.
//
//   OIDC_WELL_KNOWN=... OIDC_CLIENT_ID=... OIDC_CLIENT_SECRET=...
//   OIDC_REDIRECT_URI=... OIDC_USERNAME=... OIDC_PASSWORD=... node nextauth-v5.mjs

import { Issuer, custom, generators } from 'openid-client-v5';
import {
	env, failureOf, formLogin, jwtHeader, jwtPayload, run, settings,
} from './lib.mjs';

const s = settings();
const wellKnown = env('OIDC_WELL_KNOWN');

async function client() {
	const issuer = await Issuer.discover(wellKnown);
	const c = new issuer.Client({
		client_id: s.clientId,
		client_secret: s.clientSecret,
		redirect_uris: [s.redirectUri],
	});
	c[custom.clock_tolerance] = 10;		// next-auth's setting
	return { issuer, client: c };
}

// next-auth's signin: the checks go into cookies, the browser to the URL.
async function signIn(c) {
	const checks = {
		state: generators.state(),
		nonce: generators.nonce(),
		code_verifier: generators.codeVerifier(),
	};
	const url = c.authorizationUrl({
		redirect_uri: s.redirectUri,
		scope: s.scope,
		state: checks.state,
		nonce: checks.nonce,
		code_challenge: generators.codeChallenge(checks.code_verifier),
		code_challenge_method: 'S256',
	});
	const callback = await formLogin(url, s.username, s.password);
	return { checks, params: c.callbackParams(callback.href) };
}

await run(async () => {
	const { issuer, client: c } = await client();
	const { checks, params } = await signIn(c);
	const tokens = await c.callback(s.redirectUri, params, checks);
	const out = {
		issuer: issuer.issuer,
		token_type: tokens.token_type,
		expires_in: tokens.expires_in,
		scope: tokens.scope,
		has_access_token: typeof tokens.access_token === 'string',
		has_id_token: typeof tokens.id_token === 'string',
		has_refresh_token: typeof tokens.refresh_token === 'string',
		id_token_alg: jwtHeader(tokens.id_token).alg,
		id_token_claims: tokens.claims(),
		access_token_claims: jwtPayload(tokens.access_token),
		profile: tokens.claims(),
	};
	// next-auth with idToken: false takes the profile from userinfo
	if (issuer.metadata.userinfo_endpoint)
		out.userinfo = await c.userinfo(tokens);
	out.replay = await failureOf(() => c.callback(s.redirectUri, params,
	    checks));
	let t = await signIn(c);
	out.tampered_state = await failureOf(() => c.callback(s.redirectUri,
	    t.params, { ...t.checks, state: generators.state() }));
	t = await signIn(c);
	out.wrong_nonce = await failureOf(() => c.callback(s.redirectUri,
	    t.params, { ...t.checks, nonce: generators.nonce() }));
	t = await signIn(c);
	out.wrong_verifier = await failureOf(() => c.callback(s.redirectUri,
	    t.params, { ...t.checks, code_verifier: generators.codeVerifier() }));
	return out;
});
