// Browse, filter, open a course and switch language, each with JavaScript on and off; axe on
// every page; no console errors; no hydration warnings.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, visit, assertAccessible, assertNoProblems, modes, BASE, waitFor } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PAGES = [
  ['/', 'Find et kursus'],
  ['/?skole=viborg&tid=aften', 'Find et kursus'],
  ['/kurser/recovery-og-haab', 'Recovery og håb'],
  ['/kurser/madlavning-paa-et-budget', 'Madlavning på et budget'],
  ['/kurser/recovery-cafe', 'Recovery-café'],
  ['/skoler', 'Skolerne'],
  ['/skoler/aarhus', 'Recovery-skolen Aarhus'],
  ['/kontakt', 'Kontakt'],
  ['/privatliv', 'Privatlivspolitik'],
  ['/tilgaengelighed', 'Tilgængelighedserklæring'],
  ['/kurser/findes-ikke', 'Siden findes ikke'],
];

for (const mode of modes) {
  describe(`catalogue ${mode.name}`, () => {
    test('every page renders in Danish and passes axe (WCAG 2.1 A/AA)', async () => {
      const { context, page, problems } = await openPage(browser, mode);
      for (const [path, heading] of PAGES) {
        await visit(page, path, mode);
        assert.equal(await page.getAttribute('html', 'lang'), 'da', path);
        assert.equal((await page.locator('h1').first().innerText()).trim(), heading, path);
        await assertAccessible(page, path);
      }
      // The 404 page is the only one allowed a failed request: it answers 404 on purpose.
      assertNoProblems(problems.filter((p) => !/status of 404/.test(p)), 'pages');
      await context.close();
    });

    test('browse the front page and open a course', async () => {
      const { context, page, problems } = await openPage(browser, mode);
      await visit(page, '/', mode);
      const cards = page.locator('.run-card');
      // 20 upcoming demo runs and the class under way.
      assert.equal(await cards.count(), 21);
      await page.getByRole('link', { name: 'Madlavning på et budget' }).click();
      await page.waitForURL(/\/kurser\/madlavning-paa-et-budget/);
      await page.getByRole('heading', { level: 1, name: 'Madlavning på et budget' }).waitFor();
      const body = await page.locator('main').innerText();
      assert.match(body, /Udviklet og undervist af/);
      assert.match(body, /Peer-underviser/);
      assert.match(body, /Fagprofessionel underviser/);
      assert.match(body, /Ikke trinfri adgang/);
      assertNoProblems(problems, 'browse');
      await context.close();
    });

    test('filter through the form; the URL holds the filter and the back button works', async () => {
      const { context, page, problems } = await openPage(browser, mode);
      await visit(page, '/', mode);
      if (mode.js) await page.evaluate(() => { window.__noReload = true; });
      await page.getByLabel('Skole', { exact: true }).selectOption('viborg');
      assert.equal(await page.getByLabel('Aften').isVisible(), false, 'less used choices are folded');
      await page.getByText('Flere valg').click();
      await page.getByLabel('Aften').check();
      await page.getByRole('button', { name: 'Vis kurser' }).click();
      await page.waitForURL(/skole=viborg/);
      await waitFor(page, () => document.querySelector('#resultater')?.textContent.includes('hold fundet')
        && document.querySelectorAll('.run-card').length < 21);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('skole'), 'viborg');
      assert.equal(url.searchParams.get('tid'), 'aften');
      const titles = await page.locator('.run-card-title').allInnerTexts();
      assert.ok(titles.length >= 1, 'some evening runs in Viborg');
      assert.ok(titles.every((t) => !t.includes('Madlavning')), 'no Randers runs');
      assert.ok(titles.includes('Netværk og ensomhed'));
      if (mode.js) {
        assert.equal(await page.evaluate(() => window.__noReload), true, 'updated without a full reload');
        await waitFor(page, () => /hold fundet/.test(document.querySelector('[role=status]')?.textContent ?? ''));
        const heading = await page.locator('#resultater').innerText();
        assert.equal(await page.getByRole('status').innerText(), heading, 'the new count is announced');
      }
      await assertAccessible(page, 'filtered list');

      await page.goBack();
      await waitFor(page, () => document.querySelectorAll('.run-card').length === 21);
      assert.equal(new URL(page.url()).search, '');
      assert.equal(await page.getByLabel('Skole', { exact: true }).inputValue(), '', 'the form follows the URL');
      assert.equal(await page.getByLabel('Aften').isChecked(), false);
      assertNoProblems(problems, 'filter');
      await context.close();
    });

    test('a shared filter link opens with the form filled in', async () => {
      const { context, page, problems } = await openPage(browser, mode);
      await visit(page, '/?format=drop-in', mode);
      assert.equal(await page.locator('.run-card').count(), 1);
      assert.equal(await page.getByLabel('Form', { exact: true }).inputValue(), 'drop-in');
      assert.equal(await page.getByLabel('Form', { exact: true }).isVisible(), true, 'folded choices open when in use');
      assert.match(await page.locator('.run-card').innerText(), /Drop-in – ingen tilmelding/);
      assertNoProblems(problems, 'shared link');
      await context.close();
    });

    test('switch language to English and back, staying on the page', async () => {
      const { context, page, problems } = await openPage(browser, mode);
      await visit(page, '/kurser/soevn-og-hvile', mode);
      await page.getByRole('button', { name: 'English' }).click();
      await waitFor(page, () => document.documentElement.lang === 'en');
      assert.equal(new URL(page.url()).pathname, '/kurser/soevn-og-hvile');
      assert.match(await page.locator('main').innerText(), /What can you expect\?/);
      await assertAccessible(page, 'English course page');
      await page.getByRole('button', { name: 'Dansk' }).click();
      await waitFor(page, () => document.documentElement.lang === 'da');
      assert.match(await page.locator('main').innerText(), /Hvad kan du forvente\?/);
      assertNoProblems(problems, 'language');
      await context.close();
    });

    test('keyboard: the skip link comes first and moves focus to the content', async () => {
      const { context, page } = await openPage(browser, mode);
      await visit(page, '/', mode);
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.textContent);
      assert.equal(focused, 'Gå til indhold');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', 'focus is visible');
      await page.keyboard.press('Enter');
      assert.equal(new URL(page.url()).hash, '#indhold');
      await context.close();
    });
  });
}

test('unknown course answers 404 with the helpful page', async () => {
  const response = await fetch(`${BASE}/kurser/findes-ikke`);
  assert.equal(response.status, 404);
  assert.match(await response.text(), /Siden findes ikke/);
});
