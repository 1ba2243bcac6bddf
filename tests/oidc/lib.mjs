// Shared helpers of the client-library proofs in tests/oidc (run by
// tests/http/test_oidc_libraries.py, one scenario per node process).
//
// Every script reads its settings from the environment (below), prints ONE
// JSON object on stdout -- {"ok": true, ...facts} or {"ok": false, "error":
// {...}} -- and exits 0 or 1.  The Python side asserts on those facts.
//
//   OIDC_ISSUER          the realm's issuer, http://host:port/realms/{realm}
//   OIDC_CLIENT_ID       client id
//   OIDC_CLIENT_SECRET   its secret (absent for a public client)
//   OIDC_AUTH_METHOD     client_secret_basic | client_secret_post | none |
//                        private_key_jwt (with OIDC_PRIVATE_JWK, v6.mjs)
//   OIDC_REDIRECT_URI    a registered redirect URI
//   OIDC_POST_LOGOUT_REDIRECT_URI  a registered post-logout redirect URI
//   OIDC_SCOPE           default "openid profile email" (empty: no scope)
//   OIDC_USERNAME, OIDC_PASSWORD   the user who signs in on the hosted page
//   AU_ARTIFACT_DIR      where the browser proof saves its screenshot
//
// The hosted login page is signed in over plain HTTP (fetch), as a person
// without JavaScript would: parse the <form>, keep its hidden fields and
// the cookies, fill in the credentials, post it, follow the redirects that
// stay on the identity provider, and stop at the first one to the client.

export function env(name, fallback) {
	const v = process.env[name];
	if (v === undefined || v === '') {
		if (fallback !== undefined)
			return fallback;
		throw new Error(`environment variable ${name} is required`);
	}
	return v;
}

export const settings = () => ({
	issuer: env('OIDC_ISSUER'),
	clientId: env('OIDC_CLIENT_ID', ''),
	clientSecret: env('OIDC_CLIENT_SECRET', ''),
	authMethod: env('OIDC_AUTH_METHOD', 'client_secret_basic'),
	redirectUri: env('OIDC_REDIRECT_URI', ''),
	postLogoutRedirectUri: env('OIDC_POST_LOGOUT_REDIRECT_URI', ''),
	scope: process.env.OIDC_SCOPE ?? 'openid profile email',
	username: env('OIDC_USERNAME', ''),
	password: env('OIDC_PASSWORD', ''),
});

// Runs main() and prints its result (an object) as the one JSON line.
// Library errors keep what tells them apart (see describe()).
export async function run(main) {
	let out;
	try {
		out = { ok: true, ...(await main()) };
	} catch (e) {
		out = { ok: false, error: await describe(e) };
	}
	// Exit once the line is out: a pending timer (a library still
	// polling after a failed step) must not keep the process alive.
	process.stdout.write(JSON.stringify(out) + '\n', () =>
	    process.exit(out.ok ? 0 : 1));
}

// An error as JSON: class name, message, code (openid-client v6 /
// oauth4webapi), the OAuth error fields and HTTP status, its cause (v6
// wraps the underlying check's error there), the WWW-Authenticate
// challenges of a 401, and the error body that came with them.
export async function describe(e, depth = 0) {
	if (e === null || typeof e !== 'object')
		return { name: 'Error', message: String(e) };
	const d = { name: e.constructor?.name ?? e.name, message: e.message };
	for (const k of ['code', 'error', 'error_description', 'status'])
		if (e[k] !== undefined)
			d[k] = e[k];
	if (Array.isArray(e.cause))
		d.challenges = e.cause.map((c) => ({ scheme: c.scheme,
		    parameters: c.parameters }));
	else if (e.cause && typeof e.cause === 'object' && depth < 2)
		d.cause = await describe(e.cause, depth + 1);
	if (e.code === 'OAUTH_WWW_AUTHENTICATE_CHALLENGE' &&
	    typeof e.response?.json === 'function') {
		try {
			d.body = await e.response.json();
		} catch {
			// no JSON body: the challenge says it all
		}
	}
	return d;
}

// Runs fn() and returns describe() of what it threw (null when it did not
// throw): for the negative checks inside one scenario.
export async function failureOf(fn) {
	try {
		await fn();
		return null;
	} catch (e) {
		return await describe(e);
	}
}

// ---------------------------------------------------------------- HTML

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeHtml(s) {
	return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
		if (e[0] === '#')
			return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ?
			    parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
		return ENTITIES[e.toLowerCase()] ?? m;
	});
}

function attributes(tag) {
	const a = {};
	const re = /([^\s=\/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
	let m;
	tag = tag.replace(/^<\s*[a-z]+/i, '');
	while ((m = re.exec(tag)) !== null)
		a[m[1].toLowerCase()] = unescapeHtml(m[2] ?? m[3] ?? m[4] ?? '');
	return a;
}

// Every <form> of a page: [{action, method, inputs: [{name, type, value}],
// buttons: [{name, value, text}]}].  Enough HTML for our own templates.
export function parseForms(html) {
	const forms = [];
	const re = /<form\b[^>]*>([\s\S]*?)<\/form>/gi;
	let m;
	while ((m = re.exec(html)) !== null) {
		const fa = attributes(m[0].slice(0, m[0].indexOf('>') + 1));
		const form = { action: fa.action ?? '', method:
		    (fa.method ?? 'get').toLowerCase(), inputs: [], buttons: [] };
		for (const t of m[1].matchAll(/<input\b[^>]*>/gi)) {
			const a = attributes(t[0]);
			form.inputs.push({ name: a.name, type: (a.type ?? 'text').
			    toLowerCase(), value: a.value ?? '' });
		}
		for (const t of m[1].matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
			const a = attributes('<button ' + t[1] + '>');
			form.buttons.push({ name: a.name, value: a.value ?? '',
			    type: (a.type ?? 'submit').toLowerCase(),
			    text: unescapeHtml(t[2].replace(/<[^>]*>/g, '')).trim() });
		}
		forms.push(form);
	}
	return forms;
}

// ------------------------------------------------------------- browser

// A cookie jar and fetch() without automatic redirects: what a browser
// without JavaScript does, step by step.
export class Browser {
	constructor() {
		this.cookies = new Map();
	}

	cookieHeader(url) {
		const path = new URL(url).pathname;
		const out = [];
		for (const [name, c] of this.cookies)
			if (path.startsWith(c.path))
				out.push(`${name}=${c.value}`);
		return out.join('; ');
	}

	remember(res) {
		for (const h of res.headers.getSetCookie()) {
			const [pair, ...attrs] = h.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			let path = '/';
			let gone = value === '';
			for (const a of attrs) {
				const [k, v = ''] = a.split('=');
				const key = k.trim().toLowerCase();
				if (key === 'path')
					path = v.trim();
				else if (key === 'max-age' && Number(v) <= 0)
					gone = true;
				else if (key === 'expires' && Date.parse(v) <= Date.now())
					gone = true;
			}
			if (gone)
				this.cookies.delete(name);
			else
				this.cookies.set(name, { value, path });
		}
	}

	async request(url, { method = 'GET', form } = {}) {
		const headers = { accept: 'text/html,application/xhtml+xml' };
		const cookie = this.cookieHeader(url);
		if (cookie)
			headers.cookie = cookie;
		let body;
		if (form) {
			body = new URLSearchParams(form).toString();
			headers['content-type'] = 'application/x-www-form-urlencoded';
		}
		const res = await fetch(url, { method, headers, body,
		    redirect: 'manual' });
		this.remember(res);
		const text = await res.text();
		return { status: res.status, url, location:
		    res.headers.get('location'), text };
	}

	// Follows pages from url until a redirect leaves the identity provider
	// (whose origin is that of url) or a page asks for something that
	// answer() does not give.  answer(form, page) returns the fields to
	// post for a form, or null to stop.  Returns {url, page}: url is the
	// redirect target outside the provider (null when none was reached).
	async walk(url, answer, { maxSteps = 8 } = {}) {
		const origin = new URL(url).origin;
		let res = await this.request(url);
		for (let step = 0; step < maxSteps; step++) {
			if (res.status >= 300 && res.status < 400 && res.location) {
				const next = new URL(res.location, res.url);
				if (next.origin !== origin)
					return { url: next.href, page: res };
				res = await this.request(next.href);
				continue;
			}
			if (res.status !== 200)
				return { url: null, page: res };
			const forms = parseForms(res.text);
			let chosen = null;
			for (const f of forms) {
				const fields = answer(f, res);
				if (fields) {
					chosen = { f, fields };
					break;
				}
			}
			if (!chosen)
				return { url: null, page: res };
			const action = new URL(chosen.f.action || res.url, res.url);
			if (chosen.f.method === 'get') {
				for (const [k, v] of Object.entries(chosen.fields))
					action.searchParams.set(k, v);
				res = await this.request(action.href);
			} else {
				res = await this.request(action.href,
				    { method: 'POST', form: chosen.fields });
			}
		}
		throw new Error(`no redirect to the client after ${maxSteps} steps`);
	}
}

// The fields a form carries by itself: hidden and other valued inputs.
export function formFields(form) {
	const fields = {};
	for (const i of form.inputs)
		if (i.name && i.type !== 'submit' && i.type !== 'checkbox' &&
		    i.type !== 'radio')
			fields[i.name] = i.value;
	return fields;
}

// Fills the hosted login form (the one with a password field) with the
// user's credentials; any other form is declined.
export function loginAnswer(username, password) {
	return (form) => {
		if (!form.inputs.some((i) => i.type === 'password'))
			return null;
		const fields = formFields(form);
		fields.username = username;
		const pw = form.inputs.find((i) => i.type === 'password');
		fields[pw.name] = password;
		return fields;
	};
}

// Signs in on the hosted page over HTTP: GET authorizationUrl, post the
// login form, and return the callback URL the provider redirected to.
export async function formLogin(authorizationUrl, username, password,
    browser = new Browser()) {
	const { url, page } = await browser.walk(String(authorizationUrl),
	    loginAnswer(username, password));
	if (url === null)
		throw new Error(`the login did not reach the client: HTTP ` +
		    `${page.status} at ${page.url}: ${page.text.slice(0, 300)}`);
	return new URL(url);
}

// What an ID token says, without checking anything: for reporting only
// (the libraries did the checking).
export function jwtPayload(jwt) {
	return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

export function jwtHeader(jwt) {
	return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString());
}
