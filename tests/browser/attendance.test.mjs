// Fremmøde, evaluation and reports in a real browser on a 360 px phone screen, with JavaScript
// on and off: the demo teacher takes attendance for the class under way (taps by keyboard and
// pointer, "the rest present", a walk-in; with JavaScript a reload keeps unsaved taps), a
// participant answers the evaluation from the link in her e-mail (once), and the coordinator
// opens the reports and downloads a CSV file. axe on every page; nothing scrolls sideways.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertAccessible,
  assertNoProblems,
  launch,
  modes,
  signIn,
  visit,
} from './helpers.mjs';

const MAIL_DIR = process.env.MAIL_DIR;

async function assertFits(page, label) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${label}: the page is ${scroll}px wide on a ${width}px screen`);
}

/** Evaluation links in the mail the sink received, one per message. */
function evaluationLinks() {
  return readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(MAIL_DIR, f), 'utf8')))
    .map((m) => m.text.split(/\s+/).find((w) => w.includes('/evaluering/')))
    .filter(Boolean)
    .map((u) => new URL(u).pathname);
}

let browser;
before(async () => {
  assert.ok(MAIL_DIR, 'MAIL_DIR is set by make test');
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function phone(js) {
  const context = await browser.newContext({
    javaScriptEnabled: js,
    locale: 'da-DK',
    viewport: { width: 360, height: 740 },
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /hydrat/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  page.__jsOff = !js;
  return { context, page, problems };
}

for (const mode of modes) {
  describe(`fremmøde, evaluation and reports ${mode.name}`, () => {
    test('the teacher takes attendance for the class under way', async () => {
      const { context, page, problems } = await phone(mode.js);
      try {
        await signIn(page, mode, 'lone.bech@recoveryskole.example', 'demo-underviser', false);
        await page.getByRole('link', { name: 'Fremmøde' }).first().click();
        await page.waitForURL(/\/fremmoede\?gang=\d+/);
        if (mode.js) await page.waitForLoadState('networkidle');
        await assert.doesNotReject(page.getByRole('heading', { level: 1, name: /Fremmøde: Recovery og håb/ }).waitFor());
        await assertFits(page, 'attendance');
        await assertAccessible(page, 'attendance');

        const people = page.locator('fieldset.attendance-person');
        const count = await people.count();
        assert.ok(count >= 8, `everyone on the class is listed (${count})`);
        const first = people.nth(0);
        const name = (await first.locator('legend strong').textContent()).trim();
        // By keyboard: focus the first choice, move with the arrow keys to "Kom senere".
        await first.getByLabel('Til stede').focus();
        await page.keyboard.press(' ');
        await page.keyboard.press('ArrowRight');
        assert.ok(await first.getByLabel('Kom senere').isChecked(), 'arrow keys move the tap');
        // By pointer: the second person left early.
        await people.nth(1).getByText('Gik tidligere').click();
        if (mode.js) {
          // A lost connection: the page is reloaded before saving, and the taps are still there.
          await page.reload({ waitUntil: 'networkidle' });
          assert.ok(await people.nth(0).getByLabel('Kom senere').isChecked(), 'the tap survives a reload');
          assert.ok(await people.nth(1).getByLabel('Gik tidligere').isChecked());
        }
        await page.getByRole('button', { name: 'Gem, og marker resten som til stede' }).click();
        await page.waitForURL(/besked=gemt/);
        if (mode.js) await page.waitForLoadState('networkidle');
        await assert.doesNotReject(page.getByText('Fremmødet er gemt.').waitFor());
        assert.ok(await people.nth(0).getByLabel('Kom senere').isChecked(), `${name} came late`);
        assert.ok(await people.nth(2).getByLabel('Til stede').isChecked(), 'the rest are present');
        await assert.doesNotReject(page.getByText(`${count} af ${count} er registreret.`).waitFor());
        await assertAccessible(page, 'attendance saved');

        // Someone came without signing up.
        const guest = `Gæst ${mode.js ? 'A' : 'B'}`;
        await page.getByLabel('Navn').fill(guest);
        await page.getByLabel('Deltager som (valgfrit)').selectOption('relative');
        await page.getByRole('button', { name: 'Tilføj' }).click();
        await page.waitForURL(/besked=tilfoejet/);
        await assert.doesNotReject(page.getByText('Personen er tilføjet og registreret som til stede.').waitFor());
        await assert.doesNotReject(page.locator('legend', { hasText: guest }).waitFor());
        await assertFits(page, 'attendance with a walk-in');
        assertNoProblems(problems, 'attendance');
      } finally {
        await context.close();
      }
    });

    test('a participant answers the evaluation once', async () => {
      const links = evaluationLinks();
      assert.ok(links.length >= 2, `evaluation invitations were sent (${links.length})`);
      const link = links[mode.js ? 0 : 1];
      const { context, page, problems } = await phone(mode.js);
      try {
        await visit(page, link, mode);
        await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Evaluering' }).waitFor());
        await assertFits(page, 'evaluation');
        await assertAccessible(page, 'evaluation');
        const hope = page.getByRole('group', { name: 'Kurset har givet mig mere håb for fremtiden.' });
        await hope.getByText('Helt enig').click();
        const peer = page.getByRole('group', { name: /underviserne har egen erfaring/ });
        await peer.getByText('Ved ikke').click();
        await page.getByRole('group', { name: 'Vil du anbefale kurset til andre?' }).getByText('Ja', { exact: true }).click();
        await page.getByLabel('Hvad tager du med dig fra kurset?').fill('At jeg ikke er alene.');
        await page.getByRole('button', { name: 'Send mine svar' }).click();
        await page.waitForURL(/\/evaluering\/tak$/);
        await assert.doesNotReject(page.getByRole('heading', { name: 'Tak for dine svar' }).waitFor());
        await assertAccessible(page, 'evaluation sent');
        assertNoProblems(problems, 'evaluation');
        // The link works once: the browser now gets a 404 page that says so.
        const again = await visit(page, link, mode);
        assert.equal(again.status(), 404);
        await assert.doesNotReject(page.getByText('Linket virker ikke længere').waitFor());
      } finally {
        await context.close();
      }
    });

    test('the coordinator reads the reports and downloads a table', async () => {
      const { context, page, problems } = await phone(mode.js);
      try {
        // The administrator in the second run, so the two never share a code step.
        const [email, password] = mode.js
          ? ['koordinator.randers@recoveryskole.example', 'demo-koordinator']
          : ['admin@recoveryskole.example', 'demo-administrator'];
        await signIn(page, mode, email, password, true);
        await page.getByRole('link', { name: 'Rapporter' }).click();
        await page.waitForURL(/\/personale\/rapporter/);
        if (mode.js) await page.waitForLoadState('networkidle');
        await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Rapporter' }).waitFor());
        await assert.doesNotReject(page.getByRole('img', { name: /Fremmøde over tid/ }).waitFor());
        await assertFits(page, 'reports');
        await assertAccessible(page, 'reports');
        // A narrower choice through the form.
        await page.getByLabel('Kursus', { exact: true }).selectOption({ label: 'Recovery og håb' });
        await page.getByRole('button', { name: 'Vis tallene' }).click();
        await page.waitForURL(/kursus=\d+/);
        if (mode.js) await page.waitForLoadState('networkidle');
        await assert.doesNotReject(page.getByRole('table', { name: 'Hold i perioden' }).waitFor());
        await assertAccessible(page, 'reports for one course');
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.locator('a[href*="tabel=hold"]').click(),
        ]);
        assert.match(download.suggestedFilename(), /^skolebaenk-hold-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/);
        const text = readFileSync(await download.path(), 'utf8');
        assert.ok(text.startsWith('\ufeffKursus;Skole;Begynder'), text.slice(0, 80));
        assert.ok(text.includes('Recovery og håb;Recovery-skolen Randers'), text);
        assertNoProblems(problems, 'reports');
      } finally {
        await context.close();
      }
    });
  });
}
