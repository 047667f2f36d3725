// The public API's human side and the embedded catalogue, in a real browser with JavaScript on
// and off: the coordinator makes an API key (shown once) and a webhook on the Integrations
// page; the API page is linked from the footer; and the school's embed code, copied from the
// page, shows the courses in a page on another origin (a second local server), with the
// script variant fitting the iframe's height. axe on every page, iframes included.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { BASE, assertAccessible, assertNoProblems, launch, modes, signIn, visit } from './helpers.mjs';

const COORDINATOR = ['koordinator.randers@recoveryskole.example', 'demo-koordinator'];

/** A second web server on another port, so another origin: a municipal page with `snippet`. */
function hostServer(pages) {
  const server = createServer((req, res) => {
    const body = pages[req.url];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Randers Kommune – Sundhed</title></head>
<body><header><p>Randers Kommune</p></header><main><h1>Kurser om trivsel</h1><p>Recovery-skolen holder kurser for alle.</p>${body}</main></body></html>`);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('integrations, API page and embed', () => {
  let browser;
  let snippets;
  let host;
  let hostBase;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    host?.close();
  });

  for (const mode of modes) {
    test(`the coordinator makes a key and a webhook (${mode.name})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: mode.js, locale: 'da-DK' });
      const page = await context.newPage();
      page.__jsOff = !mode.js;
      const problems = [];
      page.on('pageerror', (err) => problems.push(err.message));
      await signIn(page, mode, ...COORDINATOR, true);
      await page.getByRole('link', { name: 'Integrationer' }).click();
      await page.waitForURL(/\/personale\/integrationer$/);
      if (mode.js) await page.waitForLoadState('networkidle');
      await assertAccessible(page, 'the integrations page');

      const name = `Datavarehus ${mode.js ? 'med' : 'uden'} JavaScript`;
      await page.getByLabel('Hvem eller hvad er nøglen til?').fill(name);
      await page.getByLabel('Læse og registrere fremmøde').check();
      await page.getByLabel('Hvor længe skal den virke?').selectOption('90');
      await page.getByRole('button', { name: 'Lav nøglen' }).click();
      await page.waitForURL(/ny=noegle/);
      const shown = page.getByRole('status').filter({ hasText: 'Her er den nye nøgle' });
      const key = (await shown.locator('code').textContent()).trim();
      assert.match(key, /^sbk_[a-z2-7]{52}$/);
      await assertAccessible(page, 'the integrations page with a new key');
      // The key works at once, for this school's data.
      const ok = await fetch(`${BASE}/api/v1/schools/randers/bookings`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(ok.status, 200);
      // Shown once: a reload does not show it again.
      await page.reload();
      assert.equal(await page.getByText(key).count(), 0);
      assert.ok(await page.getByRole('rowheader', { name: new RegExp(name) }).count());

      await page.getByLabel('Modtagerens adresse').fill('https://partner.example/skolebaenk');
      await page.getByLabel('et hold bliver fuldt').check();
      await page.getByRole('button', { name: 'Opret webhooken' }).click();
      await page.waitForURL(/ny=webhook/);
      const secret = (await page.getByRole('status').filter({ hasText: 'hemmelige nøgle' }).locator('code').textContent()).trim();
      assert.match(secret, /^whsec_[0-9a-f]{64}$/);
      await assertAccessible(page, 'the integrations page with a new webhook');

      // A plain http address elsewhere is refused, in Danish, and nothing is added.
      const hooks = await page.getByRole('button', { name: /^Slet webhooken/ }).count();
      await page.getByLabel('Modtagerens adresse').fill('http://partner.example/hook');
      await page.getByLabel('en person tilmelder sig').check();
      await page.getByRole('button', { name: 'Opret webhooken' }).click();
      await page.waitForURL(/fejl=https/);
      await page.getByRole('alert').filter({ hasText: 'https://' }).waitFor();
      assert.equal(await page.getByRole('button', { name: /^Slet webhooken/ }).count(), hooks);

      snippets = {
        iframe: await page.getByLabel('Kode til en side uden JavaScript (iframe)').inputValue(),
        script: await page.getByLabel('Kode, der selv tilpasser højden (script)').inputValue(),
      };
      assertNoProblems(problems, 'the integrations page');
      await context.close();
    });
  }

  for (const mode of modes) {
    test(`the API page is linked from the footer (${mode.name})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: mode.js, locale: 'da-DK' });
      const page = await context.newPage();
      page.__jsOff = !mode.js;
      await visit(page, '/', mode);
      await page.getByRole('contentinfo').getByRole('link', { name: 'API for udviklere' }).click();
      await page.waitForURL(/\/api$/);
      await page.getByRole('heading', { level: 1, name: 'API for udviklere' }).waitFor();
      assert.ok(await page.getByRole('link', { name: 'GET /api/v1/runs', exact: true }).count());
      assert.ok(await page.getByText('Skolebaenk-Signature').count());
      await page.locator('#fejl-rate_limited').waitFor();
      await assertAccessible(page, 'the API page');
      const spec = await (await fetch(`${BASE}/api/v1/openapi.json`)).json();
      assert.equal(spec.openapi, '3.1.0');
      await context.close();
    });
  }

  test('the embed shows the courses on another origin', async () => {
    assert.ok(snippets, 'the snippets were read from the integrations page');
    host = await hostServer({ '/iframe.html': snippets.iframe, '/script.html': snippets.script });
    hostBase = `http://127.0.0.1:${host.address().port}`;
    assert.notEqual(new URL(hostBase).origin, new URL(BASE).origin);

    for (const mode of modes) {
      const context = await browser.newContext({ javaScriptEnabled: mode.js, locale: 'da-DK' });
      const page = await context.newPage();
      page.__jsOff = !mode.js;
      // Without JavaScript on the host page, the iframe variant.
      await page.goto(`${hostBase}/iframe.html`, { waitUntil: 'load' });
      const frame = page.frameLocator('iframe');
      await frame.getByRole('heading', { level: 1, name: 'Kurser hos Recovery-skolen Randers' }).waitFor();
      const signup = frame.getByRole('link', { name: /^Tilmeld dig/ }).first();
      const href = await signup.getAttribute('href');
      assert.ok(href.startsWith(`${BASE}/hold/`) && href.endsWith('/tilmelding'), href);
      const colour = await frame.locator('h1').evaluate((h) => getComputedStyle(h).backgroundColor);
      assert.equal(colour, 'rgb(31, 95, 91)', 'the school colour');
      if (mode.js) await assertAccessible(page, 'a host page with the iframe');
      // Following the link leaves the host page for the sign-up form.
      await signup.click();
      await page.waitForURL(new RegExp(`^${BASE}/hold/\\d+/tilmelding$`));
      await context.close();
    }

    // The script variant inserts the iframe and fits its height to the list.
    const context = await browser.newContext({ locale: 'da-DK' });
    const page = await context.newPage();
    await page.goto(`${hostBase}/script.html`, { waitUntil: 'load' });
    const frame = page.frameLocator('iframe');
    await frame.getByRole('heading', { level: 1 }).waitFor();
    let fitted;
    for (let i = 0; i < 50; i += 1) {
      fitted = await page.evaluate(() => {
        const f = document.querySelector('iframe');
        const inner = f.contentDocument; // cross-origin: null
        return { height: Number(f.getAttribute('height')), crossOrigin: inner === null };
      });
      if (fitted.height !== 720) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(fitted.crossOrigin, 'the list is served from Skolebænk, not the host');
    const content = await frame.locator('html').evaluate((h) => h.scrollHeight);
    assert.ok(Math.abs(fitted.height - content) <= 2, `iframe ${fitted.height}px for ${content}px of list`);
    await assertAccessible(page, 'a host page with the script');
    await context.close();

    // Every other page refuses to be framed.
    const refused = await fetch(`${BASE}/personale/log-ind`);
    assert.equal(refused.headers.get('x-frame-options'), 'DENY');
  });
});
