// The WASM bundle is fetched once per page load: the preload hint in the page's head is the
// request the loader then uses (no second download, no "preloaded but not used" warning), and the
// page hydrates. Checked on the front page, a course page and the sign-up form.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, assertNoProblems, launch, openPage, visit } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the preloaded WASM bundle is the one used', async () => {
  const mode = { js: true };
  const { context, page, problems } = await openPage(browser, mode);
  const warnings = [];
  page.on('console', (msg) => {
    if (msg.type() === 'warning') warnings.push(msg.text());
  });
  try {
    await visit(page, '/kurser/recovery-og-haab', mode);
    const form = await page.locator('a[href$="/tilmelding"]').first().getAttribute('href');
    assert.ok(form, 'the course page links to a sign-up form');
    for (const path of ['/', '/kurser/recovery-og-haab', form]) {
      const wasm = [];
      const onRequest = (request) => {
        if (new URL(request.url()).pathname.endsWith('.wasm')) wasm.push(request.url());
      };
      page.on('request', onRequest);
      await visit(page, path, mode);
      // Chromium says so a few seconds after the load event when a preload went unused.
      await new Promise((r) => setTimeout(r, 3500));
      page.off('request', onRequest);
      assert.equal(wasm.length, 1, `one request for the bundle on ${path}: ${wasm.join(', ')}`);
    }
    const unused = warnings.filter((w) => /preload/i.test(w));
    assert.deepEqual(unused, [], 'no preload went unused or mismatched');
    assertNoProblems(problems, 'bundle loading');
  } finally {
    await context.close();
  }
});
