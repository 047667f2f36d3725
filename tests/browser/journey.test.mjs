// The new-school journey, on an empty installation (no demo data), with JavaScript on and off:
// the operator makes the first administrator with `server create-admin`; the administrator
// chooses a password, sets up the authenticator app (the code is computed here from the key the
// page shows) and creates a school, a step-free place and a theme, and invites a coordinator;
// the coordinator (invitation from the SMTP sink) sets up their app and invites a peer and a
// professional teacher, who choose their passwords; the coordinator writes a course (refused
// until both are developers) and a run with two sessions at the new place, and publishes both;
// a citizen finds the run by the new theme, sees the step-free facts, signs up, and the
// confirmation arrives at the sink. axe on every page.
//
// Each mode starts its own server on a fresh SQLite file, sending mail to the suite's SMTP sink.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertAccessible, assertNoProblems, launch, modes, ownServer, totp } from './helpers.mjs';

const SERVER_BIN = process.env.SERVER_BIN;
const MAIL_DIR = process.env.MAIL_DIR;
const SMTP_PORT = process.env.SMTP_PORT;
const SITE_ROOT = process.env.SITE_ROOT;

let browser;
before(async () => {
  for (const [name, value] of Object.entries({ SERVER_BIN, MAIL_DIR, SMTP_PORT, SITE_ROOT })) {
    assert.ok(value, `${name} is set by make test`);
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The newest message the sink received for `to`, waiting for it. */
async function mailTo(to, what, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const found = readdirSync(MAIL_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(MAIL_DIR, f), 'utf8')))
      .filter((m) => m.to === to);
    if (found.length) return found[found.length - 1];
    if (Date.now() > end) throw new Error(`no mail to ${to}: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The first address in a mail's text that contains `part`, as a path. */
function linkIn(text, part) {
  const url = text.split(/\s+/).find((w) => w.startsWith('http') && w.includes(part));
  assert.ok(url, `a link with ${part} in ${text}`);
  const u = new URL(url);
  return u.pathname + u.search;
}

/** A Copenhagen date `days` from now, as a date field wants it. */
function dateAhead(days) {
  return new Date(Date.now() + days * 86400000).toLocaleDateString('sv-SE', {
    timeZone: 'Europe/Copenhagen',
  });
}

for (const mode of modes) {
  describe(`new school on an empty installation ${mode.name}`, () => {
    test('from create-admin to a citizen signed up, by the new theme and place', async () => {
      const site = await ownServer({ demoData: false, smtpPort: SMTP_PORT });
      const tag = `${mode.js ? 'js' : 'nojs'}${Date.now() % 100000}`;
      const people = [];
      const problems = [];
      /** A person in a browser of their own. */
      async function person() {
        const context = await browser.newContext({ javaScriptEnabled: mode.js, locale: 'da-DK' });
        const page = await context.newPage();
        page.__jsOff = !mode.js;
        page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
        page.on('console', (msg) => {
          if (msg.type() === 'error' || /hydrat/i.test(msg.text())) problems.push(msg.text());
        });
        people.push(context);
        return page;
      }
      const go = (page, path) => page.goto(site.base + path, { waitUntil: mode.js ? 'networkidle' : 'load' });
      const checked = async (page, label) => {
        assert.equal(await page.locator('html').getAttribute('lang'), 'da');
        await assertAccessible(page, label);
      };
      /** Chooses a password on an invitation link, then signs in; `app` sets up the authenticator. */
      async function acceptInvitation(page, path, email, app) {
        const password = `en-lang-adgangskode-${tag}`;
        await go(page, path);
        await checked(page, `invitation for ${email}`);
        await page.fill('#ny-adgangskode', password);
        await page.fill('#gentag-adgangskode', password);
        await page.locator('main form button[type=submit]').click();
        await page.waitForURL(/\/personale\/log-ind/);
        await page.getByLabel('E-mail').fill(email);
        await page.getByLabel('Adgangskode').fill(password);
        await page.getByRole('button', { name: 'Log ind' }).click();
        if (!app) {
          await page.waitForURL(/\/personale$/);
          return;
        }
        await page.waitForURL(/\/personale\/totp/);
        await checked(page, 'authenticator set-up');
        const key = (await page.locator('code.secret').textContent()).replace(/\s+/g, '');
        for (let attempt = 0; ; attempt += 1) {
          await page.fill('#totp-kode', totp(key));
          await page.getByRole('button', { name: 'Slå appen til' }).click();
          await page.waitForURL(/\/personale\/(konto\/koder|totp\?fejl)/);
          if (!page.url().includes('fejl')) break;
          assert.ok(attempt < 2, 'the code from the key is accepted');
          await new Promise((r) => setTimeout(r, 30000 - (Date.now() % 30000) + 500));
        }
        await checked(page, 'recovery codes');
        await page.getByRole('link', { name: 'Jeg har gemt dem' }).click();
        await page.waitForURL(/\/personale$/);
      }
      const nav = (page, name) =>
        page.getByRole('navigation', { name: 'Personalemenu' }).getByRole('link', { name, exact: true }).click();

      try {
        // An empty catalogue, and the operator's first administrator.
        const citizen = await person();
        await go(citizen, '/');
        await checked(citizen, 'empty catalogue');
        const adminEmail = `admin-${tag}@example.org`;
        const out = execFileSync(SERVER_BIN, ['create-admin', adminEmail, 'Nina Nielsen'], {
          env: site.env,
          encoding: 'utf8',
        });
        const admin = await person();
        await acceptInvitation(admin, new URL(out.trim().split('\n').pop()).pathname, adminEmail, true);
        await checked(admin, 'administrator home');

        // A school.
        await nav(admin, 'Skoler');
        await admin.getByRole('link', { name: 'Opret en skole' }).click();
        await admin.getByRole('heading', { level: 1, name: 'Ny skole' }).waitFor();
        await checked(admin, 'new school');
        const schoolName = `Recovery-skolen Fjordby ${tag}`;
        await admin.getByLabel('Navn', { exact: true }).fill(schoolName);
        await admin.getByLabel('Kort navn').fill(`RS Fjordby`);
        await admin.getByLabel('Vej og nummer').fill('Havnegade 4');
        await admin.getByLabel('Postnummer').fill('7800');
        await admin.getByLabel('By', { exact: true }).fill('Fjordby');
        await admin.getByLabel('E-mail', { exact: true }).fill(`kontakt-${tag}@example.org`);
        await admin.getByRole('button', { name: 'Opret skolen' }).click();
        await admin.waitForURL(/\/personale\/skoler\/\d+\?gemt=1/);
        await admin.getByText('Skolens oplysninger er gemt.').waitFor();
        await checked(admin, 'school');

        // A step-free place.
        await admin.getByRole('link', { name: 'Tilføj et sted' }).click();
        await admin.getByRole('heading', { level: 1, name: 'Nyt sted' }).waitFor();
        await checked(admin, 'new place');
        await admin.getByLabel('Navn', { exact: true }).fill('Fjordhuset');
        await admin.getByLabel('Vej og nummer').fill('Strandvej 2');
        await admin.getByLabel('Postnummer').fill('7800');
        await admin.getByLabel('By', { exact: true }).fill('Fjordby');
        await admin.getByLabel('Lokale').fill('Salen, 2. sal');
        await admin.getByLabel('Ja, hele vejen').check();
        await admin.getByLabel('Uddybning').fill('Elevator til 2. sal');
        await admin.getByLabel('Handicaptoilet').check();
        await admin.getByRole('button', { name: 'Opret stedet' }).click();
        await admin.waitForURL(/\/steder\/\d+\?gemt=1/);
        await admin.getByText('Stedet er gemt.').waitFor();

        // A theme.
        await nav(admin, 'Temaer');
        await admin.getByRole('heading', { level: 1, name: 'Temaer' }).waitFor();
        const theme = `Naturen og os ${tag}`;
        await admin.getByLabel('Navn', { exact: true }).first().fill(theme);
        await admin.getByRole('button', { name: 'Opret temaet' }).click();
        await admin.waitForURL(/\/personale\/temaer\?gemt=1/);
        await checked(admin, 'themes');

        // A coordinator for the school, invited by mail.
        const coordinatorEmail = `koordinator-${tag}@example.org`;
        await nav(admin, 'Personale');
        await admin.getByRole('heading', { name: 'Invitér en kollega' }).waitFor();
        await checked(admin, 'staff');
        await admin.fill('#inviter-navn', 'Kim Koordinator');
        await admin.fill('#inviter-email', coordinatorEmail);
        await admin.selectOption('#inviter-skole', { label: schoolName });
        await admin.selectOption('#inviter-rolle', 'coordinator');
        await admin.getByRole('button', { name: 'Send invitation' }).click();
        await admin.waitForURL(/inviteret=1/);
        const coordinatorMail = await mailTo(coordinatorEmail, 'the coordinator invitation');
        const coordinator = await person();
        await acceptInvitation(coordinator, linkIn(coordinatorMail.text, '/personale/invitation/'), coordinatorEmail, true);

        // The coordinator invites a peer and a professional teacher.
        const teachers = [
          ['Pia Peer', `peer-${tag}@example.org`, 'peer'],
          ['Frank Fagperson', `fag-${tag}@example.org`, 'fagprofessionel'],
        ];
        for (const [name, email, kind] of teachers) {
          await nav(coordinator, 'Personale');
          await coordinator.fill('#inviter-navn', name);
          await coordinator.fill('#inviter-email', email);
          await coordinator.selectOption('#inviter-rolle', 'teacher');
          await coordinator.check(`#inviter-slags-${kind}`);
          await coordinator.getByRole('button', { name: 'Send invitation' }).click();
          await coordinator.waitForURL(/inviteret=1/);
          const mail = await mailTo(email, `the invitation of ${name}`);
          const teacher = await person();
          await acceptInvitation(teacher, linkIn(mail.text, '/personale/invitation/'), email, false);
          await checked(teacher, `${name}'s home`);
        }

        // A course: refused until a peer and a professional are among its developers.
        await nav(coordinator, 'Kurser');
        await coordinator.getByRole('link', { name: 'Nyt kursus' }).click();
        const title = `Gåture ved fjorden ${tag}`;
        await coordinator.getByLabel('Titel', { exact: true }).fill(title);
        await coordinator.getByLabel('Kort beskrivelse').fill('Vi går en tur sammen og taler om det, der fylder.');
        await coordinator.getByRole('button', { name: 'Opret kursus som kladde' }).click();
        await coordinator.waitForURL(/\/personale\/kurser\/\d+\?gemt=1/);
        const courseId = Number(new URL(coordinator.url()).pathname.split('/').pop());
        await coordinator.getByLabel('Om kurset').fill('Fire ture i roligt tempo. Vi holder pauser undervejs.');
        await coordinator.getByLabel('Hvad kan du forvente').fill('Gode sko og tøj efter vejret. Du bestemmer selv, hvad du siger.');
        await coordinator.getByLabel(theme).check();
        await coordinator.getByRole('button', { name: 'Gem og offentliggør' }).click();
        await coordinator.waitForURL(/fejl=mangler-peer/);
        await coordinator.getByText('skal der være en peer-underviser').waitFor();
        await checked(coordinator, 'course without developers');
        const pia = await coordinator.$eval('#ny-udvikler', (el) => [...el.options].find((o) => o.textContent.includes('Pia Peer'))?.value);
        await coordinator.selectOption('#ny-udvikler', pia);
        await coordinator.getByRole('button', { name: 'Tilføj', exact: true }).click();
        await coordinator.waitForURL(new RegExp(`/personale/kurser/${courseId}`));
        await coordinator.getByRole('button', { name: 'Gem og offentliggør' }).click();
        await coordinator.waitForURL(/fejl=mangler-fagperson/);
        await checked(coordinator, 'course with only a peer');
        const frank = await coordinator.$eval('#ny-udvikler', (el) => [...el.options].find((o) => o.textContent.includes('Frank Fagperson'))?.value);
        await coordinator.selectOption('#ny-udvikler', frank);
        await coordinator.getByRole('button', { name: 'Tilføj', exact: true }).click();
        await coordinator.waitForURL(new RegExp(`/personale/kurser/${courseId}`));
        await coordinator.getByRole('button', { name: 'Gem og offentliggør' }).click();
        await coordinator.waitForURL(/offentliggjort=1/);
        await checked(coordinator, 'published course');

        // A run with two sessions at the new place, its team, published.
        await coordinator.getByRole('link', { name: 'Opret nyt hold' }).click();
        await coordinator.waitForURL(/\/personale\/hold\/ny\?kursus=/);
        await checked(coordinator, 'new run');
        const place = await coordinator.$eval('#hold-sted', (el) => [...el.options].find((o) => o.textContent.includes('Fjordhuset'))?.value);
        assert.ok(place, 'the new place is offered');
        await coordinator.selectOption('#hold-sted', place);
        await coordinator.getByRole('button', { name: 'Opret hold som kladde' }).click();
        await coordinator.waitForURL(/\/personale\/hold\/\d+\?gemt=1/);
        const runId = Number(new URL(coordinator.url()).pathname.split('/').pop());
        for (const days of [21, 28]) {
          await coordinator.fill('#ny-dato', dateAhead(days));
          await coordinator.fill('#ny-start', '10:00');
          await coordinator.fill('#ny-slut', '12:00');
          await coordinator.getByRole('button', { name: 'Tilføj gang' }).click();
          await coordinator.waitForURL(/gang=tilfoejet/);
        }
        for (const name of ['Pia Peer', 'Frank Fagperson']) {
          const value = await coordinator.$eval('#ny-underviser', (el, n) => [...el.options].find((o) => o.textContent.includes(n))?.value, name);
          await coordinator.selectOption('#ny-underviser', value);
          await coordinator.getByRole('button', { name: 'Tilføj', exact: true }).click();
          await coordinator.waitForURL(new RegExp(`/personale/hold/${runId}`));
        }
        await coordinator.getByText('Teamet opfylder samskabelsen.').waitFor();
        await coordinator.getByRole('button', { name: 'Offentliggør holdet' }).click();
        await coordinator.waitForURL(/offentliggjort=1/);
        await checked(coordinator, 'published run');

        // A citizen finds it by the new theme, sees the step-free facts and signs up.
        await go(citizen, '/');
        await citizen.selectOption('#f-tema', { label: theme });
        await citizen.getByRole('button', { name: 'Vis kurser' }).click();
        await citizen.waitForURL(/tema=/);
        await checked(citizen, 'catalogue by the new theme');
        await citizen.getByRole('link', { name: title }).first().click();
        await citizen.waitForURL(/\/kurser\//);
        await citizen.getByText('Trinfri adgang. Elevator til 2. sal').first().waitFor();
        await checked(citizen, 'course page');
        await go(citizen, `/hold/${runId}/tilmelding`);
        await checked(citizen, 'sign-up');
        const citizenEmail = `borger-${tag}@example.org`;
        await citizen.fill('#felt-navn', 'Sofie');
        await citizen.fill('#felt-email', citizenEmail);
        await citizen.check('#felt-samtykke');
        await Promise.all([
          citizen.waitForURL(/\/tilmelding\/modtaget$/),
          citizen.click('form.signup-form button[type=submit]'),
        ]);
        await checked(citizen, 'sign-up received');
        const confirmation = await mailTo(citizenEmail, 'the confirmation');
        assert.match(confirmation.subject, /RS Fjordby/, 'the school\'s short name in the subject');
        assert.ok(!confirmation.subject.includes(title), 'the course is not in the subject');
        // The school gave no phone number: the mail asks people to write, not to call nobody.
        assert.match(confirmation.text, new RegExp(`skriv til kontakt-${tag}@example.org`));
        assert.doesNotMatch(confirmation.text, /ring på/);
        assertNoProblems(problems, 'the new-school journey');
      } finally {
        for (const context of people) await context.close();
        site.stop();
      }
    });
  });
}
