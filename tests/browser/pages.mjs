// Meent's pages in a real browser: Debian's headless Chromium driven by
// playwright-core, with axe-core's WCAG 2.0/2.1 A and AA rules (and its
// best practices), in light and dark colour schemes, at 320 CSS pixels
// wide (WCAG 1.4.10: 1280 pixels at 400% zoom), with every request
// recorded so that one to another host is caught, and the OAuth sign-in
// done with the keyboard alone. It only measures: the caller
// (tests/integration/test_web_browser.py) decides what passes.
//
//   node pages.mjs SPEC.json > RESULT.json
//
// SPEC: {
//   "base": "http://a.test:8080",          the origin every request must stay on
//   "hosts": {"a.test": "127.0.0.1"},      host names the browser resolves here
//   "out": "/path/to/browser-output",      screenshots go here
//   "pages": [{"name": "front", "path": "/", "selfTest": true}, ...],
//   "oauth": {"path": "/oauth/authorize?...", "username": "u", "password": "p",
//             "redirect": "http://a.test:8080/cb"}   optional: sign-in, consent, keyboard
// }
// RESULT: {"pages": [PAGE...], "keyboard": {...}} where PAGE is
//   {name, url, status, title, h1, lang, text, textOpen (the text with every
//    <details> opened, when there are any), alts, csp, axe: {light, dark, and
//    "light, disclosures open" and "dark, disclosures open" when there are},
//    rules: {light, dark} (how many axe rules applied), reflow: {scrollWidth,
//    clientWidth}, screenshots, offOrigin, error, and with "selfTest" the
//    ids axe reported once faults were added to the page}
// and each axe list holds {id, impact, help, nodes: [{target, summary}]}.

import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env.MEENT_CHROMIUM || '/usr/bin/chromium';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 640 };
const TIMEOUT = 15000;		// ms for one navigation or wait

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const origin = new URL(spec.base).origin;
mkdirSync(spec.out, { recursive: true });

// Every request of a context: the ones to another origin are recorded
// and aborted, so a failing page still never reaches another server.
async function guard(context, offOrigin) {
	await context.route('**/*', (route) => {
		const url = route.request().url();
		if (new URL(url).origin !== origin) {
			offOrigin.push(url);
			return route.abort('blockedbyclient');
		}
		return route.continue();
	});
}

function summarise(violations) {
	return violations.map((v) => ({
		id: v.id,
		impact: v.impact,
		help: v.help,
		nodes: v.nodes.slice(0, 10).map((n) => ({
			target: n.target.join(' '),
			summary: (n.failureSummary || '').slice(0, 500),
			html: (n.html || '').slice(0, 300),
		})),
	}));
}

async function runAxe(page) {
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.addScriptTag({ content: AXE_SOURCE });
	const result = await page.evaluate(
		(tags) => window.axe.run(document, {
			runOnly: { type: 'tag', values: tags },
			resultTypes: ['violations'],
		}),
		AXE_TAGS);
	const v = summarise(result.violations);
	// How many rules applied, so that a run that checked nothing shows.
	v.rules = result.passes.length + result.violations.length;
	return v;
}

// axe must see a fault when there is one: an image without alt text and
// grey on grey text, added to a page already checked, must be reported.
async function selfTest(page) {
	await page.evaluate(() => {
		const p = document.createElement('p');
		p.innerHTML = '<img src="/avatars/original/missing.png" width="8" height="8">' +
		    '<span style="color:#777;background:#888">faint</span>';
		document.querySelector('main').append(p);
	});
	const v = await runAxe(page);
	return v.map((x) => x.id);
}

// What the page shows, for the caller's content checks.
function describe(page) {
	return page.evaluate(() => ({
		title: document.title,
		lang: document.documentElement.lang,
		h1: Array.from(document.querySelectorAll('h1')).map((h) => h.innerText.trim()),
		text: (document.querySelector('main') || document.body).innerText.slice(0, 20000),
		alts: Array.from(document.querySelectorAll('img')).map((i) => i.getAttribute('alt')),
	}));
}

// The checks of one page already loaded in page (a context that bypasses
// the CSP, so that axe can be injected).
async function check(page, name, result) {
	Object.assign(result, await describe(page));
	result.axe = {};
	result.screenshots = [];
	result.rules = {};
	for (const scheme of ['light', 'dark']) {
		await page.emulateMedia({ colorScheme: scheme });
		const v = await runAxe(page);
		result.axe[scheme] = v;
		result.rules[scheme] = v.rules;
		const path = join(spec.out, `${name}-${scheme}.png`);
		await page.screenshot({ path, fullPage: true });
		result.screenshots.push(path);
	}
	// What a content warning hides is not rendered, so axe skips it:
	// open every disclosure and check again, as a reader who opens them.
	const opened = await page.evaluate(() => {
		const closed = Array.from(document.querySelectorAll('details:not([open])'));
		closed.forEach((d) => { d.open = true; });
		return closed.length;
	});
	if (opened > 0) {
		result.textOpen = (await describe(page)).text;
		for (const scheme of ['light', 'dark']) {
			await page.emulateMedia({ colorScheme: scheme });
			const v = await runAxe(page);
			result.axe[`${scheme}, disclosures open`] = v;
			result.rules[`${scheme}, disclosures open`] = v.rules;
			const path = join(spec.out, `${name}-open-${scheme}.png`);
			await page.screenshot({ path, fullPage: true });
			result.screenshots.push(path);
		}
	}
	await page.emulateMedia({ colorScheme: 'light' });
	await page.setViewportSize(NARROW);
	result.reflow = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		clientWidth: document.documentElement.clientWidth,
	}));
	const path = join(spec.out, `${name}-320px.png`);
	await page.screenshot({ path, fullPage: true });
	result.screenshots.push(path);
	await page.setViewportSize(WIDE);
}

// Loads the page in a context that enforces its CSP: what the CSP
// refused (a style attribute, an image from elsewhere) is a bug too.
async function strictLoad(context, p) {
	const page = await context.newPage();
	const refused = [];
	page.on('console', (m) => {
		if (/Content Security Policy/i.test(m.text()))
			refused.push(m.text().slice(0, 400));
	});
	try {
		await page.goto(spec.base + p.path, { waitUntil: 'load', timeout: TIMEOUT });
	} catch (e) {
		refused.push(`load failed: ${e.message.split('\n')[0]}`);
	}
	await page.close();
	return refused;
}

async function checkPage(context, strict, p) {
	const result = { name: p.name, url: spec.base + p.path, offOrigin: [] };
	const page = await context.newPage();
	try {
		const resp = await page.goto(result.url, { waitUntil: 'load', timeout: TIMEOUT });
		result.status = resp ? resp.status() : 0;
		result.csp = await strictLoad(strict, p);
		await check(page, p.name, result);
		if (p.selfTest)
			result.selfTest = await selfTest(page);
	} catch (e) {
		result.error = e.message.split('\n')[0];
	}
	await page.close();
	return result;
}

async function isFocused(page, selector) {
	return page.evaluate((s) => {
		const a = document.activeElement;
		return a !== null && a.matches(s);
	}, selector);
}

// Whether the focused element shows that it has focus (an outline or a
// box shadow): axe does not check this (WCAG 2.4.7).
function focusVisible(page) {
	return page.evaluate(() => {
		const s = getComputedStyle(document.activeElement);
		return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) ||
		    s.boxShadow !== 'none';
	});
}

// Presses Tab until selector has the focus: the number of presses, or -1.
async function tabTo(page, selector, max, steps) {
	for (let i = 1; i <= max; i++) {
		await page.keyboard.press('Tab');
		if (await isFocused(page, selector)) {
			steps.push({ focus: selector, tabs: i, visible: await focusVisible(page) });
			return i;
		}
	}
	steps.push({ focus: selector, tabs: -1 });
	return -1;
}

// The OAuth flow as a keyboard user does it, in a context that enforces
// the CSP (form-action must let the consent form's redirect through).
async function keyboardFlow(context, oauth) {
	const out = { steps: [], ok: false, csp: [] };
	const page = await context.newPage();
	page.on('console', (m) => {
		if (/Content Security Policy/i.test(m.text()))
			out.csp.push(m.text().slice(0, 400));
	});
	try {
		await page.goto(spec.base + oauth.path, { waitUntil: 'load', timeout: TIMEOUT });
		if (await tabTo(page, '#username', 10, out.steps) < 0)
			throw new Error('Tab never reached the user name field');
		await page.keyboard.type(oauth.username);
		if (await tabTo(page, '#password', 1, out.steps) < 0)
			throw new Error('Tab from the user name did not reach the password');
		await page.keyboard.type(oauth.password);
		await Promise.all([
			page.waitForNavigation({ waitUntil: 'load', timeout: TIMEOUT }),
			page.keyboard.press('Enter'),
		]);
		out.consentUrl = page.url();
		out.consentH1 = await page.evaluate(() =>
			(document.querySelector('h1') || { innerText: '' }).innerText);
		if (await tabTo(page, 'button[value="approve"]', 30, out.steps) < 0)
			throw new Error('Tab never reached the Authorize button');
		await Promise.all([
			page.waitForURL((u) => u.href.startsWith(oauth.redirect), { timeout: TIMEOUT }),
			page.keyboard.press('Enter'),
		]);
		out.redirect = page.url();
		out.code = new URL(out.redirect).searchParams.get('code');
		out.ok = !!out.code;
	} catch (e) {
		out.error = e.message.split('\n')[0];
		out.at = page.url();
	}
	await page.close();
	return out;
}

// Signs in by filling the form (the keyboard is tested apart), to reach
// the consent page in the context axe can run in.
async function consentPage(context, strict, oauth) {
	const result = { name: 'consent', url: spec.base + oauth.path, offOrigin: [] };
	const page = await context.newPage();
	try {
		await page.goto(result.url, { waitUntil: 'load', timeout: TIMEOUT });
		await page.fill('#username', oauth.username);
		await page.fill('#password', oauth.password);
		const [resp] = await Promise.all([
			page.waitForNavigation({ waitUntil: 'load', timeout: TIMEOUT }),
			page.click('button[type="submit"]'),
		]);
		result.status = resp ? resp.status() : 0;
		result.url = page.url();
		result.csp = [];
		await check(page, 'consent', result);
	} catch (e) {
		result.error = e.message.split('\n')[0];
	}
	await page.close();
	return result;
}

async function main() {
	const rules = Object.entries(spec.hosts || {}).map(([h, ip]) => `MAP ${h} ${ip}`);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: rules.length ? [`--host-resolver-rules=${rules.join(', ')}`] : [],
	});
	const offOrigin = [];
	const options = { viewport: WIDE, colorScheme: 'light', reducedMotion: 'reduce' };
	const lax = await browser.newContext({ ...options, bypassCSP: true });
	const strict = await browser.newContext(options);
	await guard(lax, offOrigin);
	await guard(strict, offOrigin);
	const out = { pages: [] };
	for (const p of spec.pages) {
		const before = offOrigin.length;
		const r = await checkPage(lax, strict, p);
		r.offOrigin = offOrigin.slice(before);
		out.pages.push(r);
	}
	if (spec.oauth) {
		let before = offOrigin.length;
		const r = await consentPage(lax, strict, spec.oauth);
		r.offOrigin = offOrigin.slice(before);
		out.pages.push(r);
		before = offOrigin.length;
		out.keyboard = await keyboardFlow(strict, spec.oauth);
		out.keyboard.offOrigin = offOrigin.slice(before);
	}
	await browser.close();
	process.stdout.write(JSON.stringify(out, null, 1) + '\n');
}

main().catch((e) => {
	process.stderr.write(`pages.mjs: ${e.stack || e}\n`);
	process.exit(1);
});
