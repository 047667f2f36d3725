// The staff workspace in a real browser on a 360 px wide phone screen, with JavaScript on and
// off: a demo coordinator signs in with password and authenticator code, finds the home page,
// the account page, the staff list and the log, and signs out. The code is computed here from
// the demo key with Node's own HMAC, independently of the server's TOTP code. axe on every page,
// and no page may scroll sideways at 360 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASE,
  DEMO_TOTP_SECRET,
  assertAccessible,
  assertNoProblems,
  launch,
  modes,
  signIn,
  totp,
  visit,
} from './helpers.mjs';

const MAIL_DIR = process.env.MAIL_DIR;

/** A real 16×9 PNG, to upload. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAJCAIAAAC0SDtlAAAAE0lEQVR42mOwqs0jCTGMahgUGgDh5KTRoHfblAAAAABJRU5ErkJggg==';

/** One demo account per mode, so the two runs never share a code step. */
const ACCOUNTS = {
  true: { email: 'koordinator.randers@recoveryskole.example', password: 'demo-koordinator', name: 'Mette Holm' },
  false: { email: 'admin@recoveryskole.example', password: 'demo-administrator', name: 'Ida Skov' },
};


/** Signs the demo coordinator in on `page` (the helper waits for the next code if needed). */
function signInCoordinator(page, mode) {
  return signIn(page, mode, 'koordinator.randers@recoveryskole.example', 'demo-koordinator', true);
}

/** A Copenhagen date `days` from now, as a date field wants it. */
function dateAhead(days) {
  const d = new Date(Date.now() + days * 86400000);
  return d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });
}

/** Picks the first option of a select whose text matches `pattern`. */
async function selectMatching(page, selector, pattern) {
  const value = await page.$eval(
    selector,
    (el, source) => [...el.options].find((o) => new RegExp(source).test(o.textContent))?.value,
    pattern.source,
  );
  assert.ok(value, `an option matching ${pattern}`);
  await page.selectOption(selector, value);
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Fails if the page is wider than the screen (it would scroll sideways). */
async function assertFits(page, label) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${label}: the page is ${scroll}px wide on a ${width}px screen`);
}

for (const mode of modes) {
  describe(`staff workspace ${mode.name}`, () => {
    test('a coordinator signs in with a code, looks around on a phone and signs out', async () => {
      const who = ACCOUNTS[mode.js];
      const context = await browser.newContext({
        javaScriptEnabled: mode.js,
        locale: 'da-DK',
        viewport: { width: 360, height: 740 },
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      page.__jsOff = !mode.js;
      const problems = [];
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' || /hydrat/i.test(msg.text())) problems.push(msg.text());
      });
      try {
        // The footer leads staff to sign in; the workspace sends a visitor to sign in first.
        await visit(page, '/', mode);
        await page.getByRole('link', { name: 'For personale' }).click();
        await page.waitForURL(/\/personale\/log-ind/);
        await page.getByRole('heading', { level: 1, name: 'Log ind som personale' }).waitFor();
        assert.equal(await page.locator('html').getAttribute('lang'), 'da');
        await assertAccessible(page, 'sign-in');
        await assertFits(page, 'sign-in');

        // A wrong password is answered plainly and keeps the e-mail.
        await page.getByLabel('E-mail').fill(who.email);
        await page.getByLabel('Adgangskode').fill('ikke den rigtige');
        await page.getByRole('button', { name: 'Log ind' }).click();
        await page.waitForURL(/fejl=forkert/);
        await page.getByText('E-mail eller adgangskode passer ikke').waitFor();
        assert.equal(await page.getByLabel('E-mail').inputValue(), who.email);
        await assertAccessible(page, 'sign-in with an error');

        // Password, then the code from the "app".
        await page.getByLabel('Adgangskode').fill(who.password);
        await page.getByLabel('Adgangskode').press('Enter');
        await page.waitForURL(/\/personale\/log-ind\/kode/);
        await assertAccessible(page, 'code');
        await assertFits(page, 'code');
        await page.getByLabel('Kode').fill(totp(DEMO_TOTP_SECRET));
        await page.getByRole('button', { name: 'Fortsæt' }).click();
        await page.waitForURL(`${BASE}/personale`);
        await page.getByRole('heading', { name: `Hej ${who.name}` }).waitFor();
        await assertAccessible(page, 'staff home');
        await assertFits(page, 'staff home');

        // Every page of the menu, reached by keyboard-focusable links.
        for (const [link, heading] of [
          ['Min konto', 'Min konto'],
          ['Kurser', 'Kurser'],
          ['Profil', 'Underviserprofiler'],
          ['Personale', 'Personale'],
          ['Log', 'Log over handlinger'],
          ['Skoler', 'Skoler'],
          // The themes are the administrator's (the run without JavaScript signs in as one).
          ...(who.name === 'Ida Skov' ? [['Temaer', 'Temaer']] : []),
        ]) {
          const nav = page.getByRole('navigation', { name: 'Personalemenu' });
          await nav.getByRole('link', { name: link, exact: true }).focus();
          await page.keyboard.press('Enter');
          await page.getByRole('heading', { level: 1, name: heading }).waitFor();
          await assertAccessible(page, heading);
          await assertFits(page, heading);
        }
        if (who.name === 'Ida Skov') {
          // A theme without a name is refused in plain words, on the page.
          await visit(page, '/personale/temaer', mode);
          await page.getByRole('button', { name: 'Opret temaet' }).click();
          await page.getByText('Skriv et navn.').waitFor();
          await assertAccessible(page, 'themes with an error');
        }
        // A school's page with its places, and a place refused in plain words.
        await visit(page, '/personale/skoler', mode);
        await page.getByRole('link', { name: 'Recovery-skolen Randers', exact: true }).click();
        await page.getByRole('heading', { level: 2, name: 'Steder' }).waitFor();
        await assertAccessible(page, 'a school');
        await assertFits(page, 'a school');
        await page.getByRole('link', { name: 'Tilføj et sted' }).click();
        await page.getByRole('heading', { level: 1, name: 'Nyt sted' }).waitFor();
        await page.getByLabel('Navn', { exact: true }).fill('Biblioteket');
        await page.getByRole('button', { name: 'Opret stedet' }).click();
        await page.getByText('Vælg, om man kan komme ind uden trin.').waitFor();
        assert.equal(await page.getByLabel('Navn', { exact: true }).inputValue(), 'Biblioteket');
        await assertAccessible(page, 'a place with an error');
        await assertFits(page, 'a place with an error');
        await visit(page, '/personale/totp', mode);
        await page.getByRole('img', { name: 'QR-kode til godkendelsesappen' }).waitFor();
        await assertAccessible(page, 'authenticator set-up');
        await assertFits(page, 'authenticator set-up');

        // Sign out: the workspace is closed again.
        await page.getByRole('button', { name: 'Log ud', exact: true }).click();
        await page.waitForURL(/ud=1/);
        await page.getByText('Du er logget ud.').waitFor();
        await visit(page, '/personale', mode);
        assert.match(page.url(), /\/personale\/log-ind/);
        assertNoProblems(problems, 'staff pages');
      } finally {
        await context.close();
      }
    });

    test('forgotten password and a used link are explained', async () => {
      const context = await browser.newContext({
        javaScriptEnabled: mode.js,
        locale: 'da-DK',
        viewport: { width: 360, height: 740 },
      });
      const page = await context.newPage();
      page.__jsOff = !mode.js;
      try {
        await visit(page, '/personale/glemt', mode);
        await assertAccessible(page, 'forgot password');
        await page.getByLabel('E-mail').fill('ingen@example.org');
        await page.getByRole('button', { name: 'Send link' }).click();
        await page.waitForURL(/sendt=1/);
        await page.getByText('Hvis e-mailen hører til en konto').waitFor();
        const response = await visit(page, `/personale/nulstil/${'x'.repeat(43)}`, mode);
        assert.equal(response.status(), 404);
        await page.getByText('Linket virker ikke længere').waitFor();
        await assertAccessible(page, 'used link');
        await assertFits(page, 'used link');
      } finally {
        await context.close();
      }
    });
  });
}

for (const mode of modes) {
  describe(`run editor ${mode.name}`, () => {
    test('a coordinator makes a run with two sessions, publishes it, a participant signs up, the coordinator moves a session', async () => {
      const context = await browser.newContext({
        javaScriptEnabled: mode.js,
        locale: 'da-DK',
        viewport: { width: 360, height: 740 },
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      page.__jsOff = !mode.js;
      const problems = [];
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      try {
        await signInCoordinator(page, mode);

        // A new course: texts, a theme, a picture with its alt text, then published.
        await page
          .getByRole('navigation', { name: 'Personalemenu' })
          .getByRole('link', { name: 'Kurser', exact: true })
          .click();
        await page.waitForURL(/\/personale\/kurser$/);
        await assertAccessible(page, 'course list');
        await page.getByRole('link', { name: 'Nyt kursus' }).click();
        await page.waitForURL(/\/personale\/kurser\/ny$/);
        await assertAccessible(page, 'new course');
        await assertFits(page, 'new course');
        const title = `Skriv dig fri ${mode.js ? 'med' : 'uden'} JS ${Date.now() % 100000}`;
        await page.getByLabel('Titel', { exact: true }).fill(title);
        await page.getByLabel('Kort beskrivelse').fill('Et værksted om at skrive for sin egen skyld.');
        await page.getByRole('button', { name: 'Opret kursus som kladde' }).click();
        await page.waitForURL(/\/personale\/kurser\/\d+\?gemt=1/);
        const courseId = Number(new URL(page.url()).pathname.split('/').pop());
        // Publishing without the texts is refused; what was typed stays.
        await page.getByRole('button', { name: 'Gem og offentliggør' }).click();
        await page.waitForURL(/fejl=mangler-tekst/);
        await page.getByText('kurset er ikke offentliggjort').waitFor();
        await assertAccessible(page, 'course editor with an error');
        assert.equal(await page.getByLabel('Titel', { exact: true }).inputValue(), title);
        if (mode.js) {
          // The plain-language help follows the typing: hard, then easy again.
          await page
            .getByLabel('Om kurset')
            .fill('Undervisningsforløbet tilrettelægges i overensstemmelse med gældende retningslinjer.');
          await page.locator('#kursus-beskrivelse-lix').getByText(/Svær at læse \(LIX \d+\)/).waitFor();
        }
        await page.getByLabel('Om kurset').fill('Vi skriver korte tekster og læser højt, hvis vi har lyst.');
        if (mode.js) {
          await page.locator('#kursus-beskrivelse-lix').getByText(/Let at læse \(LIX \d+\)/).waitFor();
        }
        await page.getByLabel('Hvad kan du forvente').fill('Tre timer med pauser. Ingen skal vise det, de har skrevet.');
        await page.getByLabel('Skrivning og kreativitet').check();
        // Not without developers from both sides: refused in plain words, the texts kept.
        await page.getByRole('button', { name: 'Gem og offentliggør' }).click();
        await page.waitForURL(/fejl=mangler-peer/);
        await page.getByText('skal der være en peer-underviser').waitFor();
        // Without JavaScript too, each saved text says how easy it is to read.
        await page.locator('#kursus-beskrivelse-lix').getByText(/Let at læse \(LIX \d+\)/).waitFor();
        await assertAccessible(page, 'course editor without developers');
        for (const kind of [/Peer-underviser \(Recovery-skolen Randers/, /Fagprofessionel underviser \(Recovery-skolen Randers/]) {
          await selectMatching(page, '#ny-udvikler', kind);
          await page.getByRole('button', { name: 'Tilføj', exact: true }).click();
          await page.waitForURL(new RegExp(`/personale/kurser/${courseId}`));
          await page.getByRole('heading', { name: 'Udviklet og undervist af' }).waitFor();
        }
        await page.getByRole('button', { name: 'Gem og offentliggør' }).click();
        await page.waitForURL(/offentliggjort=1/);
        await page.getByLabel('Billedtekst (alt-tekst)').fill('En blok og en kuglepen på et bord');
        await page.setInputFiles('#billede-fil', {
          name: 'blok.png',
          mimeType: 'image/png',
          buffer: Buffer.from(PNG, 'base64'),
        });
        await page.getByRole('button', { name: 'Gem billedet' }).click();
        await page.waitForURL(/billede=gemt/);
        await page.getByText('Billedet er gemt.').waitFor();
        await assertAccessible(page, 'course editor');
        await assertFits(page, 'course editor');
        await page.getByRole('link', { name: 'Se kurset, som offentligheden ser det' }).click();
        await page.waitForURL(new RegExp(`/personale/kurser/${courseId}/vis$`));
        await page.getByRole('img', { name: 'En blok og en kuglepen på et bord' }).waitFor();
        await assertAccessible(page, 'course preview');

        // Teacher profiles and the course choice for a new run pass axe too.
        await visit(page, '/personale/profil', mode);
        await page.locator('.link-list a').first().click();
        await page.waitForURL(/\/personale\/profil\/\d+$/);
        await page.getByRole('button', { name: 'Gem profilen' }).waitFor();
        await assertAccessible(page, 'profile editor');
        await assertFits(page, 'profile editor');
        await visit(page, '/personale/hold/ny', mode);
        await assertAccessible(page, 'choose a course');

        // A run of it.
        await visit(page, `/personale/kurser/${courseId}`, mode);
        await page.getByRole('link', { name: 'Opret nyt hold' }).click();
        await page.waitForURL(new RegExp(`/personale/hold/ny\\?kursus=${courseId}$`));
        await assertAccessible(page, 'new run');
        await assertFits(page, 'new run');
        await page.getByLabel('Antal pladser').fill('10');
        await page.getByRole('button', { name: 'Opret hold som kladde' }).click();
        await page.waitForURL(/\/personale\/hold\/\d+\?gemt=1/);
        const runId = Number(new URL(page.url()).pathname.split('/').pop());

        // Two sessions, a week apart.
        for (const days of [21, 28]) {
          await page.fill('#ny-dato', dateAhead(days));
          await page.fill('#ny-start', '17:00');
          await page.fill('#ny-slut', '20:00');
          await page.getByRole('button', { name: 'Tilføj gang' }).click();
          await page.waitForURL(/gang=tilfoejet/);
        }
        // Publishing without a team is refused in plain words.
        await page.getByRole('button', { name: 'Offentliggør holdet' }).click();
        await page.waitForURL(/fejl=team/);
        await page.getByText('Holdet kan ikke offentliggøres endnu').waitFor();
        await assertAccessible(page, 'run editor with a team error');
        await assertFits(page, 'run editor');
        for (const kind of [/Peer-underviser \(Recovery-skolen Randers/, /Fagprofessionel underviser \(Recovery-skolen Randers/]) {
          await selectMatching(page, '#ny-underviser', kind);
          await page.getByRole('button', { name: 'Tilføj', exact: true }).click();
          await page.waitForURL(new RegExp(`/personale/hold/${runId}`));
          await page.getByRole('heading', { name: 'Underviserteam' }).waitFor();
        }
        await page.getByText('Teamet opfylder samskabelsen.').waitFor();
        await page.getByRole('button', { name: 'Offentliggør holdet' }).click();
        await page.waitForURL(/offentliggjort=1/);
        await page.locator('#besked').getByText('Holdet er offentliggjort.').waitFor();

        // A participant signs up in another browser.
        const visitor = await browser.newContext({ javaScriptEnabled: mode.js, locale: 'da-DK' });
        const signup = await visitor.newPage();
        const email = `hold-${mode.js ? 'js' : 'nojs'}-${Date.now()}@example.org`;
        await visit(signup, `/hold/${runId}/tilmelding`, mode);
        await signup.fill('#felt-navn', 'Karla');
        await signup.fill('#felt-email', email);
        await signup.check('#felt-samtykke');
        await Promise.all([
          signup.waitForURL(/\/tilmelding\/modtaget$/),
          signup.click('form.signup-form button[type=submit]'),
        ]);
        await visitor.close();

        // The coordinator moves the second session an hour later.
        await visit(page, `/personale/hold/${runId}`, mode);
        await page.getByText('Flyt eller aflys Gang 2').click();
        const second = page.locator('.session-editor > li').nth(1);
        await second.locator('input[name=start]').fill('18:00');
        await second.locator('input[name=end]').fill('21:00');
        await second.locator('textarea[name=note]').first().fill('Vi har fået et andet lokale den dag.');
        await second.getByRole('button', { name: 'Flyt og giv besked' }).click();
        await page.waitForURL(/gang=flyttet/);
        await page.locator('#besked').getByText('Undervisningsgangen er flyttet').waitFor();

        // The roster shows the participant; the participant is told with a new invitation.
        await page.getByRole('link', { name: 'Deltagerliste' }).first().click();
        await page.waitForURL(new RegExp(`/personale/hold/${runId}/deltagere`));
        await page.getByText('Karla').waitFor();
        await assertAccessible(page, 'roster');
        await assertFits(page, 'roster');
        if (MAIL_DIR) {
          const end = Date.now() + 30000;
          let found;
          while (!found && Date.now() < end) {
            found = readdirSync(MAIL_DIR)
              .filter((f) => f.endsWith('.json'))
              .map((f) => JSON.parse(readFileSync(join(MAIL_DIR, f), 'utf8')))
              .find((m) => m.to.includes(email) && m.text.includes('18.00') && m.calendars.length > 0);
            if (!found) await new Promise((r) => setTimeout(r, 250));
          }
          assert.ok(found, 'the participant got the moved session with a calendar update');
        }
        assertNoProblems(problems, 'run editor');
      } finally {
        await context.close();
      }
    });
  });
}
