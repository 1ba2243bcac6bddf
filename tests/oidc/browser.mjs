// A real browser on the hosted login page: headless Chromium (Debian's
// /usr/bin/chromium), driven by playwright-core, opens /authorize, fills in
// the login form, submits it, and lands on the client's redirect URI --
// a tiny HTTP listener here on loopback -- with a code.  The branded login
// page is saved as a PNG (OIDC_SCREENSHOT).
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

// The client's redirect URI: answers the browser and reports the URL.
function listen(redirectUri) {
	const cb = new URL(redirectUri);
	let resolve;
	const arrived = new Promise((r) => { resolve = r; });
	const server = createServer((req, res) => {
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end('signed in\n');
		const url = new URL(req.url, cb);
		if (url.pathname === cb.pathname)
			resolve(url.href);
	});
	return new Promise((ok, fail) => {
		server.once('error', fail);
		server.listen(Number(cb.port), cb.hostname, () =>
		    ok({ server, arrived }));
	});
}

await run(async () => {
	const { server, arrived } = await listen(s.redirectUri);
	// The flags a sandboxed root session needs, and no calls home.
	const browser = await chromium.launch({
		executablePath, headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
		    '--no-first-run', '--disable-background-networking',
		    '--disable-component-update', '--disable-sync'],
	});
	try {
		const verifier = randomBytes(32).toString('base64url');
		const state = randomBytes(16).toString('base64url');
		const url = new URL(`${s.issuer}/authorize`);
		url.search = new URLSearchParams({
			client_id: s.clientId, redirect_uri: s.redirectUri,
			response_type: 'code', scope: s.scope, state,
			nonce: randomBytes(16).toString('base64url'),
			code_challenge: createHash('sha256').update(verifier).
			    digest('base64url'),
			code_challenge_method: 'S256',
		}).toString();
		const page = await browser.newPage({
		    viewport: { width: 800, height: 720 } });
		const res = await page.goto(url.href);
		if (res.status() !== 200)
			throw new Error(`/authorize answered ${res.status()}`);
		const title = (await page.textContent('.brand-title'))?.trim();
		const clientName = (await page.textContent('.client-name'))?.trim();
		await page.screenshot({ path: screenshot, fullPage: true });
		await page.fill('#username', s.username);
		await page.fill('#password', s.password);
		const [landed] = await Promise.all([
			arrived,
			page.click('#submit'),
		]);
		await page.waitForURL((u) => u.href.startsWith(s.redirectUri));
		return { title, client_name: clientName, landed, state,
		    code_verifier: verifier, page_url: page.url(),
		    browser: browser.version() };
	} finally {
		await browser.close();
		server.close();
	}
});
