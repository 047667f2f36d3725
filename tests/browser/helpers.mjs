// Shared helpers for the browser tests: one headless Debian Chromium per test file, a context
// per JavaScript setting, console and hydration problems collected per page, and axe.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh page with JavaScript on or off that records console errors and hydration warnings. */
export async function openPage(browser, { js }) {
  const context = await browser.newContext({ javaScriptEnabled: js, locale: 'da-DK' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' || /hydrat/i.test(text)) problems.push(`${msg.type()}: ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.__jsOff = !js;
  return { context, page, problems };
}

/** Loads a path (or a whole URL, for a server of its own) and, with JavaScript on, waits until
 * the WASM bundle has hydrated the page. */
export async function visit(page, path, { js }) {
  const url = path.startsWith('http') ? path : BASE + path;
  const response = await page.goto(url, { waitUntil: js ? 'networkidle' : 'load' });
  return response;
}

/**
 * Runs axe for WCAG 2.1 A and AA on the page as it is now and fails with a readable list of
 * violations. axe needs JavaScript, so for a page in a JavaScript-free context it checks the same
 * URL in a helper context where JavaScript runs but the app's own scripts and WASM are blocked:
 * the DOM is then exactly what the server sent, as a browser without JavaScript shows it.
 */
export async function assertAccessible(page, label) {
  const jsOff = page.context()._options?.javaScriptEnabled === false || page.__jsOff === true;
  if (jsOff) {
    // The page as the browser shows it (it may depend on cookies or a one-time message), served
    // again at the same address so styles load and contrast is checked as seen.
    const html = await page.content();
    const url = page.url();
    const helper = await page.context().browser().newContext();
    await helper.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    await helper.route(url, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    const copy = await helper.newPage();
    await copy.goto(url, { waitUntil: 'load' });
    try {
      await axeCheck(copy, `${label} (without JavaScript)`);
    } finally {
      await helper.close();
    }
    return;
  }
  await axeCheck(page, label);
}

async function axeCheck(page, label) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  assert.deepEqual(summary, [], `axe violations on ${label}`);
}

export function assertNoProblems(problems, label) {
  assert.deepEqual(problems, [], `console errors or hydration warnings on ${label}`);
}

export const modes = [
  { name: 'with JavaScript', js: true },
  { name: 'without JavaScript', js: false },
];

/** Polls `fn` in the page from Node until it returns true (works with JavaScript off too). */
export async function waitFor(page, fn, arg, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      if (await page.evaluate(fn, arg)) return;
    } catch {
      // The page is navigating; try again.
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fresh "Mine tilmeldinger" path for an e-mail, made by the server's own command line. */
export function manageLinkPath(email) {
  const bin = process.env.SERVER_BIN;
  assert.ok(bin, 'SERVER_BIN is set by make test');
  const out = execFileSync(bin, ['link', email], { env: process.env, encoding: 'utf8' });
  const url = out.trim().split('\n').pop();
  return new URL(url).pathname;
}

/** Signs up through the form endpoint as a browser without JavaScript would; returns the redirect.
 * `base` is another server's address (a server of its own). */
export async function postSignup(runId, name, email, base = BASE) {
  const response = await fetch(`${base}/api/tilmeld`, {
    method: 'POST',
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ run: String(runId), name, email, consent: 'ja' }),
    redirect: 'manual',
  });
  return response.headers.get('location');
}

/** The demo authenticator key (server/src/demo.rs, printed in the README). */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 (HMAC-SHA1 over the 30-second step, 6 digits), computed here with Node's own HMAC,
 * independently of the server's TOTP code. */
export function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[19] & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 1_000_000).padStart(6, '0');
}

/** Signs a staff member in through the pages; `code` when the account uses the demo authenticator. */
export async function signIn(page, mode, email, password, code, base = '') {
  await visit(page, `${base}/personale/log-ind`, mode);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Adgangskode').fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  if (!code) {
    await page.waitForURL(/\/personale$/);
    return;
  }
  await page.waitForURL(/\/personale\/log-ind\/kode/);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await page.getByLabel('Kode').fill(totp(DEMO_TOTP_SECRET));
    await page.getByRole('button', { name: 'Fortsæt' }).click();
    await page.waitForURL(/\/personale($|\/log-ind\/kode\?fejl)/);
    if (!page.url().includes('fejl')) return;
    await new Promise((r) => setTimeout(r, 30000 - (Date.now() % 30000) + 500));
  }
  throw new Error(`could not sign in ${email}`);
}

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitUntil(check, what, log) {
  for (let i = 0; ; i += 1) {
    try {
      if (await check()) return;
    } catch {
      // Not listening yet.
    }
    if (i > 150) throw new Error(`${what} did not start:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An SMTP sink of its own (the suite's binary, `SINK_BIN`), writing to a fresh folder:
 * `{ port, dir, stop() }`. */
export async function ownSink() {
  const bin = process.env.SINK_BIN;
  assert.ok(bin, 'SINK_BIN is set by make test');
  const dir = mkdtempSync(join(tmpdir(), 'skolebaenk-post-'));
  const port = await freePort();
  const child = spawn(bin, [`127.0.0.1:${port}`, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => {
    log += d;
  });
  await waitUntil(
    () =>
      new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
    'the SMTP sink',
    () => log,
  );
  return {
    port,
    dir,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every message a sink folder holds, oldest first (the sink writes parsed parts as .json). */
export function mailsIn(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

/** Waits for a message in `dir` that satisfies `match`. */
export async function waitForMailIn(dir, match, what, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const found = mailsIn(dir).find(match);
    if (found) return found;
    if (Date.now() > end) throw new Error(`no mail: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A server of its own on a fresh SQLite file (`SERVER_BIN`, `SITE_ROOT`), sending its mail to
 * `smtpPort`; with or without the demo data, on `port` (or a free one), with `extra` settings.
 * `{ base, env, log(), stop() }`. */
export async function ownServer({ demoData, smtpPort, port: chosen, extra = {} }) {
  const bin = process.env.SERVER_BIN;
  assert.ok(bin, 'SERVER_BIN is set by make test');
  assert.ok(process.env.SITE_ROOT, 'SITE_ROOT is set by make test');
  const dir = mkdtempSync(join(tmpdir(), 'skolebaenk-ny-'));
  const port = chosen ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    SKOLEBAENK_ADDR: `127.0.0.1:${port}`,
    SKOLEBAENK_PUBLIC_URL: base,
    SKOLEBAENK_DATABASE_URL: `sqlite://${join(dir, 'ny.db')}?mode=rwc`,
    SKOLEBAENK_DEMO_DATA: demoData ? 'true' : 'false',
    SKOLEBAENK_MIGRATE: 'auto',
    SKOLEBAENK_SITE_ROOT: process.env.SITE_ROOT,
    SKOLEBAENK_LOG: 'warn',
    SKOLEBAENK_RATE_LIMITS: '1000,100,1000,100',
    SKOLEBAENK_MAIL_BACKEND: 'smtp',
    SKOLEBAENK_SMTP_HOST: '127.0.0.1',
    SKOLEBAENK_SMTP_PORT: String(smtpPort),
    SKOLEBAENK_SMTP_TLS: 'none',
    SKOLEBAENK_MAIL_RETRY: '1',
    SKOLEBAENK_JOBS_INTERVAL_SECS: '1',
    ...extra,
  };
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => {
    log += d;
  });
  await waitUntil(async () => (await fetch(`${base}/healthz`)).ok, 'the new server', () => log);
  return {
    base,
    env,
    log: () => log,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The test OpenID Connect provider (`tests/oidc/provider.mjs`) for a client whose answers go
 * to `redirectUri`. `{ issuer, clientId, clientSecret, next(email, amr, verified), stop() }`. */
export async function ownProvider(redirectUri) {
  const clientId = 'skolebaenk';
  const clientSecret = 'en-hemmelighed-kun-til-test';
  const child = spawn(process.execPath, [new URL('../oidc/provider.mjs', import.meta.url).pathname], {
    env: { ...process.env, CLIENT_ID: clientId, CLIENT_SECRET: clientSecret, REDIRECT_URIS: redirectUri },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const issuer = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const ready = out.match(/READY (\S+)/);
      if (ready) resolve(ready[1]);
    });
    child.on('exit', (code) => reject(new Error(`the provider stopped (${code}): ${out}`)));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    async next(email, amr, verified = true) {
      const r = await fetch(`${issuer}/test/next`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, amr, verified }),
      });
      assert.equal(r.status, 204);
    },
    stop: () => child.kill('SIGTERM'),
  };
}
