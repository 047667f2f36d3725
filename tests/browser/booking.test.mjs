// The booking flow in a real browser, with JavaScript on and off: sign up, see the confirmation,
// open "Mine tilmeldinger" from a link, give afbud, and see the seat go to the first in line.
// Mistakes come back with messages next to the fields; typed markup stays text. axe on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE,
  assertAccessible,
  assertNoProblems,
  launch,
  manageLinkPath,
  modes,
  openPage,
  postSignup,
  visit,
} from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A run with free seats that no earlier test has touched: its id and how many seats are left. */
async function openRun(skip) {
  const html = await (await fetch(`${BASE}/?ledige=1`)).text();
  const ids = [...html.matchAll(/\/kurser\/[^"#]+#hold-(\d+)/g)].map((m) => Number(m[1]));
  for (const id of ids) {
    if (skip.has(id)) continue;
    const page = await (await fetch(`${BASE}/hold/${id}/tilmelding`)).text();
    const many = page.match(/(\d+) ledige pladser/);
    const left = many ? Number(many[1]) : page.includes('1 ledig plads') ? 1 : 0;
    if (left > 0) return { id, left };
  }
  throw new Error('no open run left in the demo data');
}

async function fillForm(page, { name, email }) {
  await page.fill('#felt-navn', name);
  await page.fill('#felt-email', email);
  await page.check('#felt-samtykke');
}

const used = new Set();

for (const mode of modes) {
  describe(`booking ${mode.name}`, () => {
    test('sign up, confirmation, Mine tilmeldinger, afbud passes the seat on', async () => {
      const tag = mode.js ? 'js' : 'nojs';
      const run = await openRun(used);
      used.add(run.id);
      // Others take all seats but one.
      for (let i = 0; i < run.left - 1; i++) {
        const location = await postSignup(run.id, `Fyld ${i}`, `fyld-${tag}-${i}@example.dk`);
        assert.match(location, /^\/hold\/\d+\/tilmelding\/modtaget$/);
      }

      const first = await openPage(browser, mode);
      const firstEmail = `forste-${tag}@example.dk`;
      await visit(first.page, `/hold/${run.id}/tilmelding`, mode);
      await assertAccessible(first.page, 'sign-up form');
      await fillForm(first.page, { name: 'Åse', email: firstEmail });
      await first.page.selectOption('#felt-kommune', 'Aarhus');
      await first.page.check('#perspektiv-relative');
      await Promise.all([first.page.waitForURL(/\/tilmelding\/modtaget$/), first.page.click('form.signup-form button[type=submit]')]);
      await first.page.waitForSelector('h1');
      // "Tak" is the same whatever happened (it must not tell who is signed up); the e-mail
      // and "Mine tilmeldinger" say seat or waiting list.
      assert.equal(await first.page.textContent('h1'), 'Tak for din tilmelding');
      assert.match(await first.page.textContent('main'), /Hvad sker der nu\?/);
      await assertAccessible(first.page, 'thank-you page');

      // The run is full now: the next person joins the waiting list as number 1.
      const second = await openPage(browser, mode);
      const secondEmail = `anden-${tag}@example.dk`;
      await visit(second.page, `/hold/${run.id}/tilmelding`, mode);
      assert.match(await second.page.textContent('main'), /Holdet er fuldt/);
      await fillForm(second.page, { name: 'Zoë', email: secondEmail });
      await Promise.all([second.page.waitForURL(/\/tilmelding\/modtaget$/), second.page.click('form.signup-form button[type=submit]')]);
      await second.page.waitForSelector('h1');
      assert.equal(await second.page.textContent('h1'), 'Tak for din tilmelding');
      await visit(second.page, manageLinkPath(secondEmail), mode);
      assert.match(await second.page.textContent('.booking-card'), /Venteliste/);

      // The first opens "Mine tilmeldinger" from their link and gives afbud.
      await visit(first.page, manageLinkPath(firstEmail), mode);
      assert.equal(await first.page.textContent('h1'), 'Mine tilmeldinger');
      await assertAccessible(first.page, 'Mine tilmeldinger');
      await Promise.all([
        first.page.waitForURL(/besked=afbud/),
        first.page.click('button:has-text("Meld afbud til hele holdet")'),
      ]);
      await first.page.waitForSelector('#besked');
      assert.match(await first.page.textContent('#besked'), /Dit afbud er modtaget/);
      await assertAccessible(first.page, 'after afbud');

      // The seat went to the first in line.
      await visit(second.page, manageLinkPath(secondEmail), mode);
      const card = await second.page.textContent('.booking-card');
      assert.match(card, /Tilmeldt/);
      assert.doesNotMatch(card, /Venteliste/);

      assertNoProblems(first.problems, 'first person');
      assertNoProblems(second.problems, 'second person');
      await first.context.close();
      await second.context.close();
    });

    test('mistakes come back next to the fields, markup stays text', async () => {
      const run = await openRun(new Set());
      const { context, page, problems } = await openPage(browser, mode);
      await visit(page, `/hold/${run.id}/tilmelding`, mode);
      await page.fill('#felt-navn', '<img src=x onerror="window.__pwned=1">');
      await page.fill('#felt-email', 'ikke en mail');
      await Promise.all([page.waitForURL(/\/hold\/\d+\/tilmelding/), page.click('form.signup-form button[type=submit]')]);
      await page.waitForSelector('#tilmeld-fejl');
      const summary = await page.textContent('#tilmeld-fejl');
      assert.match(summary, /Skriv en gyldig e-mail/);
      assert.match(summary, /Sæt flueben/);
      assert.equal(await page.inputValue('#felt-navn'), '<img src=x onerror="window.__pwned=1">');
      assert.equal(await page.inputValue('#felt-email'), 'ikke en mail');
      assert.equal(await page.getAttribute('#felt-email', 'aria-invalid'), 'true');
      if (mode.js) assert.equal(await page.evaluate(() => window.__pwned), undefined);
      await assertAccessible(page, 'form with mistakes');
      assertNoProblems(problems, 'form with mistakes');
      await context.close();
    });

    test('asking for a link answers the same for any address', async () => {
      const { context, page, problems } = await openPage(browser, mode);
      await visit(page, '/mine-tilmeldinger', mode);
      await assertAccessible(page, 'request a link');
      await page.fill('#mine-email', `ukendt-${mode.js ? 'js' : 'nojs'}@example.dk`);
      await Promise.all([page.waitForURL(/sendt=1/), page.click('form.signup-form button[type=submit]')]);
      await page.waitForSelector('.notice-ok');
      assert.match(await page.textContent('.notice-ok'), /Hvis der er tilmeldinger på adressen/);
      await assertAccessible(page, 'link requested');
      const invalid = await visit(page, '/mine-tilmeldinger/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', mode);
      assert.equal(invalid.status(), 404);
      assert.equal(await page.textContent('h1'), 'Linket virker ikke');
      await assertAccessible(page, 'invalid link');
      // The browser logs the intended 404 of the invalid link; nothing else may appear.
      assertNoProblems(problems.filter((p) => !p.includes('status of 404')), 'link pages');
      await context.close();
    });
  });
}
