// A real browser on the hosted login page: headless Chromium (Debian's
// /usr/bin/chromium), driven by playwright-core, opens /authorize, fills in
// the login form, submits it, and lands on the client's redirect URI --
// a tiny HTTP listener here on loopback -- with a code.  The branded login
// page is saved as a PNG (OIDC_SCREENSHOT).  Then, signed in already, a
// second authorization with response_mode=form_post: the provider's page
// must post the response to the listener by itself (its inline script is
// allowed by a CSP hash), without a second password prompt.
//
//   OIDC_ISSUER=... OIDC_CLIENT_ID=... OIDC_REDIRECT_URI=http://127.0.0.1:PORT/cb
//   OIDC_USERNAME=... OIDC_PASSWORD=... OIDC_SCREENSHOT=/path/login.png
//   [OIDC_CHROMIUM=/usr/bin/chromium] node browser.mjs

import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { env, run, settings } from './lib.mjs';

const s = settings();
const screenshot = env('OIDC_SCREENSHOT');
const executablePath = env('OIDC_CHROMIUM', '/usr/bin/chromium');

// The client's redirect URI: answers the browser and reports each
// arrival ({method, url, form}) through next().
function listen(redirectUri) {
	const cb = new URL(redirectUri);
	const waiting = [];
	const server = createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (d) => { body += d; });
		req.on('end', () => {
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.end('signed in\n');
			const url = new URL(req.url, cb);
			if (url.pathname === cb.pathname && waiting.length > 0)
				waiting.shift()({ method: req.method, url: url.href,
				    form: Object.fromEntries(new URLSearchParams(body)) });
		});
	});
	const next = (ms) => new Promise((resolve) => {
		const t = setTimeout(() => resolve(null), ms);
		waiting.push((v) => { clearTimeout(t); resolve(v); });
	});
	return new Promise((ok, fail) => {
		server.once('error', fail);
		server.listen(Number(cb.port), cb.hostname, () =>
		    ok({ server, next }));
	});
}

function authorizeUrl(extra) {
	const verifier = randomBytes(32).toString('base64url');
	const state = randomBytes(16).toString('base64url');
	const url = new URL(`${s.issuer}/authorize`);
	url.search = new URLSearchParams({
		client_id: s.clientId, redirect_uri: s.redirectUri,
		response_type: 'code', scope: s.scope, state,
		nonce: randomBytes(16).toString('base64url'),
		code_challenge: createHash('sha256').update(verifier).
		    digest('base64url'),
		code_challenge_method: 'S256', ...extra,
	}).toString();
	return { url: url.href, state, verifier };
}

await run(async () => {
	const { server, next } = await listen(s.redirectUri);
	// The flags a sandboxed root session needs, and no calls home.
	const browser = await chromium.launch({
		executablePath, headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
		    '--no-first-run', '--disable-background-networking',
		    '--disable-component-update', '--disable-sync'],
	});
	try {
		const { url, state, verifier } = authorizeUrl({});
		const page = await browser.newPage({
		    viewport: { width: 800, height: 720 } });
		const blocked = [];
		page.on('console', (m) => {
			if (/Content Security Policy/i.test(m.text()))
				blocked.push(m.text());
		});
		const res = await page.goto(url);
		if (res.status() !== 200)
			throw new Error(`/authorize answered ${res.status()}`);
		const title = (await page.textContent('.brand-title'))?.trim();
		const clientName = (await page.textContent('.client-name'))?.trim();
		await page.screenshot({ path: screenshot, fullPage: true });
		await page.fill('#username', s.username);
		await page.fill('#password', s.password);
		const [landed] = await Promise.all([
			next(30000),
			page.click('#submit'),
		]);
		if (landed === null)
			throw new Error('the login never reached the redirect URI');
		await page.waitForURL((u) => u.href.startsWith(s.redirectUri));
		const out = { title, client_name: clientName, landed: landed.url,
		    state, code_verifier: verifier, page_url: page.url(),
		    browser: browser.version() };

		// form_post, with the SSO session: no form to fill, the page
		// posts by itself; its button is the way without scripts.
		const fp = authorizeUrl({ response_mode: 'form_post' });
		const posted = next(15000);
		await page.goto(fp.url);
		let arrival = await posted;
		out.form_post = { autosubmitted: arrival !== null, state: fp.state,
		    code_verifier: fp.verifier };
		if (arrival === null) {
			const again = next(15000);
			await page.click('#continue');
			arrival = await again;
		}
		out.form_post.arrival = arrival;
		out.csp_violations = blocked;
		return out;
	} finally {
		await browser.close();
		server.close();
	}
});
