// openid-client v6 (a certified OpenID Connect Relying Party library)
// against an authio realm.  Usage:
//
//   OIDC_ISSUER=... OIDC_CLIENT_ID=... [...] node v6.mjs SCENARIO
//
// SCENARIO is one of: code, code_replay, keycloak_paths,
// client_credentials, introspection, revocation, refresh, userinfo,
// logout, device.  Settings come from the environment (see lib.mjs); the
// result is one JSON object on stdout.
// Every protocol step is the library's own, used as its documentation
// shows; only the person at the login page is simulated (lib.mjs).

import * as client from 'openid-client';
import {
	Browser, env, failureOf, formFields, formLogin, jwtHeader, jwtPayload,
	loginAnswer, run, settings,
} from './lib.mjs';

const s = settings();

// discovery() on the issuer: the library fetches
// {issuer}/.well-known/openid-configuration and checks its "issuer".
// Plain HTTP is allowed because the test stack listens on loopback only.
async function configure(keycloakPaths = false) {
	let auth;
	switch (s.authMethod) {
	case 'client_secret_basic':
		auth = client.ClientSecretBasic(s.clientSecret);
		break;
	case 'client_secret_post':
		auth = client.ClientSecretPost(s.clientSecret);
		break;
	case 'none':
		auth = client.None();
		break;
	case 'private_key_jwt': {
		// RFC 7523 assertions signed with the client's key (a private
		// JWK in OIDC_PRIVATE_JWK; EC P-256 for ES256, or RSA for RS256)
		const jwk = JSON.parse(env('OIDC_PRIVATE_JWK'));
		const alg = jwk.kty === 'EC' ? { name: 'ECDSA', namedCurve:
		    jwk.crv } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
		const key = await crypto.subtle.importKey('jwk', jwk, alg, false,
		    ['sign']);
		auth = client.PrivateKeyJwt({ key, kid: jwk.kid });
		break;
	}
	default:
		throw new Error(`unknown OIDC_AUTH_METHOD ${s.authMethod}`);
	}
	let config = await client.discovery(new URL(s.issuer), s.clientId,
	    undefined, auth, { execute: [client.allowInsecureRequests] });
	if (keycloakPaths) {
		// What a client configured for Keycloak calls: the same realm
		// under /protocol/openid-connect/..., endpoints it knows by path.
		const kc = `${s.issuer}/protocol/openid-connect`;
		const m = { ...config.serverMetadata(),
		    authorization_endpoint: `${kc}/auth`,
		    token_endpoint: `${kc}/token`, jwks_uri: `${kc}/certs`,
		    introspection_endpoint: `${kc}/token/introspect`,
		    revocation_endpoint: `${kc}/revoke` };
		if (m.userinfo_endpoint)
			m.userinfo_endpoint = `${kc}/userinfo`;
		config = new client.Configuration(m, s.clientId, undefined, auth);
		client.allowInsecureRequests(config);
	}
	// Also verify ID token signatures against the realm's jwks_uri (the
	// library skips that for token endpoint responses unless asked).
	client.enableNonRepudiationChecks(config);
	return config;
}

// The token response as facts: which members came, of what type.
function tokenFacts(t) {
	const facts = {
		token_type: t.token_type,
		expires_in: t.expires_in,
		scope: t.scope,
		has_access_token: typeof t.access_token === 'string',
		has_id_token: typeof t.id_token === 'string',
		has_refresh_token: typeof t.refresh_token === 'string',
	};
	if (facts.has_access_token)
		facts.access_token_claims = jwtPayload(t.access_token);
	if (facts.has_id_token) {
		facts.id_token_alg = jwtHeader(t.id_token).alg;
		facts.id_token_claims = t.claims();
	}
	return facts;
}

// One authorization code flow with PKCE, state and nonce, signing in on
// the hosted page; returns the library's validated token response.
async function codeFlow(config, { scope = s.scope, browser, extra = {} } = {}) {
	const verifier = client.randomPKCECodeVerifier();
	const state = client.randomState();
	const nonce = client.randomNonce();
	const url = client.buildAuthorizationUrl(config, {
		redirect_uri: s.redirectUri, scope, state, nonce,
		code_challenge: await client.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256', ...extra,
	});
	const callback = await formLogin(url, s.username, s.password, browser);
	const tokens = await client.authorizationCodeGrant(config, callback, {
		pkceCodeVerifier: verifier, expectedState: state,
		expectedNonce: nonce, idTokenExpected: scope.split(' ').
		    includes('openid'),
	});
	return { tokens, callback, verifier, state, nonce };
}

// response_mode=form_post: the provider answers with a page whose form
// posts the response to the redirect URI; that POST, as the client's
// server receives it, goes to the library as a Request.
async function formPostFlow(config) {
	const verifier = client.randomPKCECodeVerifier();
	const state = client.randomState();
	const nonce = client.randomNonce();
	const url = client.buildAuthorizationUrl(config, {
		redirect_uri: s.redirectUri, scope: s.scope, state, nonce,
		response_mode: 'form_post', code_challenge: await client.
		    calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
	});
	const idp = new URL(s.issuer).origin;
	const login = loginAnswer(s.username, s.password);
	let posted = null;
	await new Browser().walk(url, (form, page) => {
		const creds = login(form);
		if (creds)
			return creds;
		const target = new URL(form.action, page.url);
		if (form.method === 'post' && target.origin !== idp)
			posted = { url: target.href, fields: formFields(form) };
		return null;
	});
	if (posted === null)
		throw new Error('no form_post page');
	const request = new Request(posted.url, { method: 'POST', headers: {
	    'content-type': 'application/x-www-form-urlencoded' },
	    body: new URLSearchParams(posted.fields) });
	const tokens = await client.authorizationCodeGrant(config, request, {
	    pkceCodeVerifier: verifier, expectedState: state,
	    expectedNonce: nonce, idTokenExpected: true });
	return { action: posted.url, fields: Object.keys(posted.fields).sort(),
	    ...tokenFacts(tokens) };
}

// Just the redirect back with a code, for the negative checks.
async function codeOnly(config) {
	const verifier = client.randomPKCECodeVerifier();
	const state = client.randomState();
	const nonce = client.randomNonce();
	const url = client.buildAuthorizationUrl(config, {
		redirect_uri: s.redirectUri, scope: s.scope, state, nonce,
		code_challenge: await client.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
	});
	const callback = await formLogin(url, s.username, s.password);
	return { callback, verifier, state, nonce };
}

const scenarios = {
	// Code + PKCE for a confidential (basic/post) or public (none) client,
	// then what must fail: a replayed code, a wrong verifier, a tampered
	// state.
	async code() {
		const config = await configure();
		const { tokens, callback, verifier, state, nonce } =
		    await codeFlow(config);
		const out = {
			callback_params: Object.fromEntries(callback.searchParams),
			...tokenFacts(tokens),
			metadata_issuer: config.serverMetadata().issuer,
		};
		out.replay = await failureOf(() => client.authorizationCodeGrant(
		    config, callback, { pkceCodeVerifier: verifier,
		    expectedState: state, expectedNonce: nonce }));
		const c2 = await codeOnly(config);
		out.wrong_verifier = await failureOf(() =>
		    client.authorizationCodeGrant(config, c2.callback, {
		    pkceCodeVerifier: client.randomPKCECodeVerifier(),
		    expectedState: c2.state, expectedNonce: c2.nonce }));
		const c3 = await codeOnly(config);
		out.tampered_state = await failureOf(() =>
		    client.authorizationCodeGrant(config, c3.callback, {
		    pkceCodeVerifier: c3.verifier, expectedState:
		    client.randomState(), expectedNonce: c3.nonce }));
		// prompt=none without an SSO session: an error response the
		// library validates (state, and iss per RFC 9207) and reports
		const state4 = client.randomState();
		const silent = await new Browser().walk(client.
		    buildAuthorizationUrl(config, { redirect_uri: s.redirectUri,
		    scope: s.scope, state: state4, prompt: 'none', code_challenge:
		    await client.calculatePKCECodeChallenge(verifier),
		    code_challenge_method: 'S256' }), () => null);
		out.prompt_none = await failureOf(() => client.
		    authorizationCodeGrant(config, new URL(silent.url), {
		    pkceCodeVerifier: verifier, expectedState: state4 }));
		out.form_post = await formPostFlow(config);
		return out;
	},

	// RFC 9700 §4.5: a replayed code revokes what was issued from it --
	// the access token (introspection says inactive) and the refresh
	// token (refused).  Needs a confidential client.
	async code_replay() {
		const config = await configure();
		const { tokens, callback, verifier, state, nonce } =
		    await codeFlow(config);
		const out = { has_refresh_token: typeof tokens.refresh_token ===
		    'string' };
		out.before = await client.tokenIntrospection(config,
		    tokens.access_token);
		out.replay = await failureOf(() => client.authorizationCodeGrant(
		    config, callback, { pkceCodeVerifier: verifier,
		    expectedState: state, expectedNonce: nonce }));
		out.access_token_after = await client.tokenIntrospection(config,
		    tokens.access_token);
		if (out.has_refresh_token) {
			out.refresh_token_after = await client.tokenIntrospection(
			    config, tokens.refresh_token);
			out.refresh_after = await failureOf(() =>
			    client.refreshTokenGrant(config, tokens.refresh_token));
		}
		return out;
	},

	// The Keycloak-style paths (auth, token, certs, token/introspect,
	// revoke, and userinfo when there is one) with the same library.
	async keycloak_paths() {
		const config = await configure(true);
		const { tokens } = await codeFlow(config);
		const out = { endpoints: config.serverMetadata(),
		    ...tokenFacts(tokens) };
		out.introspection = await client.tokenIntrospection(config,
		    tokens.access_token);
		if (config.serverMetadata().userinfo_endpoint)
			out.userinfo = await client.fetchUserInfo(config,
			    tokens.access_token, tokens.claims().sub);
		await client.tokenRevocation(config, tokens.access_token);
		out.after_revocation = await client.tokenIntrospection(config,
		    tokens.access_token);
		return out;
	},

	async client_credentials() {
		const config = await configure();
		const tokens = await client.clientCredentialsGrant(config,
		    s.scope ? { scope: s.scope } : {});
		return tokenFacts(tokens);
	},

	// RFC 7662 through the library: a live token, and garbage.
	async introspection() {
		const config = await configure();
		const { access_token } = await client.clientCredentialsGrant(config);
		return {
			active: await client.tokenIntrospection(config, access_token),
			access_token_claims: jwtPayload(access_token),
			garbage: await client.tokenIntrospection(config,
			    'not-a-token-at-all'),
		};
	},

	// RFC 7009 through the library: revoke, then introspect.
	async revocation() {
		const config = await configure();
		const { access_token } = await client.clientCredentialsGrant(config);
		const before = await client.tokenIntrospection(config, access_token);
		await client.tokenRevocation(config, access_token, {
		    token_type_hint: 'access_token' });
		const after = await client.tokenIntrospection(config, access_token);
		// Revoking something unknown is not an error (RFC 7009 §2.2).
		const garbage = await failureOf(() => client.tokenRevocation(
		    config, 'not-a-token-at-all'));
		return { before, after, garbage_revocation_error: garbage };
	},

	// Refresh with rotation: each refresh returns a new refresh token; the
	// spent one is refused, and presenting it revokes the whole family,
	// the one rotated to included.
	async refresh() {
		const config = await configure();
		const { tokens } = await codeFlow(config);
		const first = tokenFacts(tokens);
		const rt1 = tokens.refresh_token;
		const refreshed = await client.refreshTokenGrant(config, rt1);
		const rt2 = refreshed.refresh_token;
		const out = {
			first, refreshed: tokenFacts(refreshed),
			rotated: typeof rt2 === 'string' && rt2 !== rt1,
			same_sub: refreshed.claims()?.sub === tokens.claims()?.sub,
		};
		out.reuse = await failureOf(() => client.refreshTokenGrant(config,
		    rt1));
		out.family_after_reuse = await failureOf(() =>
		    client.refreshTokenGrant(config, rt2));
		return out;
	},

	async userinfo() {
		const config = await configure();
		const { tokens } = await codeFlow(config);
		const sub = tokens.claims().sub;
		const info = await client.fetchUserInfo(config, tokens.access_token,
		    sub);
		const wrongSubject = await failureOf(() => client.fetchUserInfo(
		    config, tokens.access_token, sub + '-other'));
		const badToken = await failureOf(() => client.fetchUserInfo(config,
		    tokens.access_token.slice(0, -4) + 'AAAA', sub));
		return { sub, id_token_claims: tokens.claims(), userinfo: info,
		    wrong_subject: wrongSubject, bad_token: badToken };
	},

	// RP-initiated logout: sign in, leave through buildEndSessionUrl() with
	// id_token_hint + post_logout_redirect_uri + state, land back on the
	// registered URI with the state, and find the SSO session gone
	// (prompt=none answers login_required).
	async logout() {
		const config = await configure();
		const browser = new Browser();
		const { tokens } = await codeFlow(config, { browser });
		const state = client.randomState();
		const url = client.buildEndSessionUrl(config, {
			id_token_hint: tokens.id_token,
			post_logout_redirect_uri: s.postLogoutRedirectUri, state,
		});
		// A confirmation page, if the provider shows one, is confirmed.
		const confirm = confirmOnce();
		const left = await browser.walk(url, confirm);
		const out = { end_session_endpoint:
		    config.serverMetadata().end_session_endpoint,
		    landed: left.url, state, confirmed: confirm.done() };
		// The SSO session is gone: no code without signing in again.
		const verifier = client.randomPKCECodeVerifier();
		const silent = client.buildAuthorizationUrl(config, {
			redirect_uri: s.redirectUri, scope: s.scope, prompt: 'none',
			state: client.randomState(), code_challenge: await client.
			    calculatePKCECodeChallenge(verifier),
			code_challenge_method: 'S256',
		});
		const after = await browser.walk(silent, () => null);
		out.prompt_none_after = after.url;
		// An unregistered post_logout_redirect_uri is never redirected to.
		const b2 = new Browser();
		const t2 = (await codeFlow(config, { browser: b2 })).tokens;
		const bad = await b2.walk(client.buildEndSessionUrl(config, {
			id_token_hint: t2.id_token, state,
			post_logout_redirect_uri: 'https://evil.example/after',
		}), confirmOnce());
		out.unregistered = { landed: bad.url, status: bad.page.status };
		// Without id_token_hint (client_id names the client): the user
		// is asked to confirm, then lands on the registered URI.
		const b3 = new Browser();
		await codeFlow(config, { browser: b3 });
		const ask = confirmOnce();
		const nohint = await b3.walk(client.buildEndSessionUrl(config, {
			client_id: s.clientId, state,
			post_logout_redirect_uri: s.postLogoutRedirectUri,
		}), ask);
		out.without_hint = { landed: nohint.url, confirmed: ask.done() };
		return out;
	},

	// RFC 8628 through the library: start, let the user approve on the
	// hosted device page while the library polls, get tokens; then a
	// denial, which the library reports as access_denied.
	async device() {
		const config = await configure();
		const start = await client.initiateDeviceAuthorization(config,
		    { scope: s.scope });
		const stop = new AbortController();
		const poll = client.pollDeviceAuthorizationGrant(config, start,
		    undefined, { signal: AbortSignal.any([stop.signal,
		    AbortSignal.timeout(POLL_LIMIT_MS)]) });
		poll.catch(() => {});	/* awaited below, or abandoned */
		let approved;
		try {
			approved = await deviceDecision(start, true);
		} catch (e) {
			stop.abort();
			throw e;
		}
		const tokens = await poll;
		const out = {
			authorization: { ...start, device_code: typeof start.
			    device_code },
			approved_page_status: approved.page?.status ?? null,
			...tokenFacts(tokens),
		};
		const start2 = await client.initiateDeviceAuthorization(config,
		    { scope: s.scope });
		const poll2 = failureOf(() =>
		    client.pollDeviceAuthorizationGrant(config, start2, undefined,
		    { signal: AbortSignal.timeout(POLL_LIMIT_MS) }));
		await deviceDecision(start2, false);
		out.denied = await poll2;
		return out;
	},
};

// Answers one confirmation form (a POST form with a yes button), once.
// answer.done() tells whether it did.
function confirmOnce() {
	let done = false;
	const answer = (form) => {
		if (done || form.method !== 'post')
			return null;
		const button = approveButton(form);
		if (button === null)
			return null;
		done = true;
		return { ...formFields(form), ...button };
	};
	answer.done = () => done;
	return answer;
}

// How long a device flow poll may take in all: the user acts at once here.
const POLL_LIMIT_MS = 60000;

const APPROVE = /\b(approve|allow|accept|confirm|yes|log ?out|sign ?out)\b/i;
const DENY = /\b(deny|reject|cancel|decline|no)\b/i;

// The submit button that says yes (or, with approve=false, no), as the
// name=value pair a browser would send for it.
function approveButton(form, approve = true) {
	const want = approve ? APPROVE : DENY;
	const b = form.buttons.find((x) => want.test(`${x.name} ${x.value} ` +
	    `${x.text}`)) ?? (approve ? form.buttons.find((x) =>
	    x.type === 'submit' && !DENY.test(`${x.name} ${x.value} ${x.text}`))
	    : undefined);
	if (!b)
		return null;
	return b.name ? { [b.name]: b.value } : {};
}

// The person on the device page: signs in when asked, enters the user
// code when asked (RFC 8628 §3.3: verification_uri_complete may carry it
// already), then approves or denies once.
async function deviceDecision(start, approve) {
	const browser = new Browser();
	const login = loginAnswer(s.username, s.password);
	let decided = false;
	const answer = (form) => {
		if (decided)
			return null;
		const creds = login(form);
		if (creds)
			return creds;
		const fields = formFields(form);
		const code = form.inputs.find((i) => /code/i.test(i.name ?? '') &&
		    i.type !== 'hidden');
		if (code) {
			if (!fields[code.name])
				fields[code.name] = start.user_code;
			return fields;
		}
		const button = approveButton(form, approve);
		if (button === null)
			return null;
		decided = true;
		return { ...fields, ...button };
	};
	const page = await browser.walk(start.verification_uri_complete ??
	    start.verification_uri, answer);
	if (!decided)
		throw new Error(`the device page offered no decision: HTTP ` +
		    `${page.page.status} ${page.page.text.slice(0, 300)}`);
	return page;
}

const name = process.argv[2];
if (!scenarios[name]) {
	process.stderr.write(`usage: node v6.mjs ${Object.keys(scenarios).
	    join('|')}\n`);
	process.exit(2);
}
await run(scenarios[name]);
