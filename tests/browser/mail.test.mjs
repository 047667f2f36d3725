// E-mail in a real browser, with JavaScript on and off. The server sends its mail over SMTP to the
// test sink, which writes each message it receives to MAIL_DIR (parsed parts in a .json beside
// the .eml). A person on the waiting list for tomorrow's full class waits; a seat holder opens
// "Jeg kan ikke alligevel" from their reminder, confirms on the page, and the waiting person gets
// the seat and its mail, whose invitation is read with ical.js and checked against Copenhagen time.
// Also: the personal calendar link on "Mine tilmeldinger", the evaluation link page, and the
// demo outbox page (on a second server that writes mail to files). axe on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
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

const MAIL_DIR = process.env.MAIL_DIR;
const OUTBOX_BASE = process.env.OUTBOX_BASE_URL;

let browser;
before(async () => {
  assert.ok(MAIL_DIR, 'MAIL_DIR is set by make test');
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Every message the sink has received so far. */
function received() {
  return readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(MAIL_DIR, f), 'utf8')));
}

/** Waits for a message that satisfies `match`. */
async function waitForMail(match, what, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const found = received().find(match);
    if (found) return found;
    if (Date.now() > end) throw new Error(`no mail: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The first address in `text` that contains `part`, as a path on the app. */
function linkPath(text, part) {
  const url = text.split(/\s+/).find((w) => w.startsWith('http') && w.includes(part));
  assert.ok(url, `a link with ${part}`);
  return new URL(url).pathname + new URL(url).search;
}

/** The demo's class tomorrow evening: full, with a waiting list. */
async function fullRunTomorrow() {
  const html = await (await fetch(`${BASE}/kurser/at-leve-med-stemmer`)).text();
  const id = html.match(/\/hold\/(\d+)\/tilmelding/)?.[1];
  assert.ok(id, 'the demo class tomorrow has a sign-up link');
  return Number(id);
}

const usedReminders = new Set();

for (const mode of modes) {
  describe(`mail ${mode.name}`, () => {
    test('"Jeg kan ikke alligevel" in a reminder gives the seat to the waiting list', async () => {
      const tag = mode.js ? 'js' : 'nojs';
      const runId = await fullRunTomorrow();
      const waiting = `venter-${tag}@example.dk`;
      assert.match(await postSignup(runId, 'Vera', waiting), /^\/hold\/\d+\/tilmelding\/modtaget$/);
      await waitForMail((m) => m.to === waiting && m.subject.startsWith('Du står på venteliste'), 'waiting list');

      // A seat holder's reminder (the server sends them on its own: the class is tomorrow).
      const reminder = await waitForMail(
        (m) => m.subject.startsWith('Kommer du?') && m.text.includes('At leve med stemmer') && !usedReminders.has(m.to),
        'a reminder',
      );
      usedReminders.add(reminder.to);
      assert.match(reminder.html, /Ja, jeg kommer/);
      const no = linkPath(reminder.text, 'svar=nej');
      const yes = linkPath(reminder.text, 'svar=ja');

      const { context, page, problems } = await openPage(browser, mode);
      await visit(page, yes, mode);
      assert.equal(await page.textContent('h1'), 'Kommer du?');
      await assertAccessible(page, 'Kommer du? (ja)');
      await visit(page, no, mode);
      const buttons = page.locator('.reply-question form button[type=submit]');
      assert.equal(await buttons.count(), 1, 'one confirm button');
      assert.equal((await buttons.textContent()).trim(), 'Ja, meld afbud');
      await assertAccessible(page, 'Kommer du? (nej)');
      await Promise.all([page.waitForURL(/udfald=afbud/), buttons.click()]);
      await page.waitForSelector('#udfald');
      assert.match(await page.textContent('#udfald'), /pladsen er givet videre/);
      await assertAccessible(page, 'after the afbud');

      // The waiting person has the seat, and their mail says so, with an invitation.
      const promoted = await waitForMail(
        (m) => m.to === waiting && m.subject.startsWith('Du har fået en plads'),
        'the promotion',
      );
      assert.match(promoted.text, /At leve med stemmer/);
      assert.match(promoted.text, /kl\. 19\.00–20\.00|kl\. 19\.00–21\.00/);
      assert.equal(promoted.calendars.length, 1);
      const calendar = new ICAL.Component(ICAL.parse(promoted.calendars[0]));
      assert.equal(calendar.getFirstPropertyValue('method'), 'REQUEST');
      ICAL.TimezoneService.register(new ICAL.Timezone(calendar.getFirstSubcomponent('vtimezone')));
      const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent'));
      assert.match(event.uid, /^invite-session-\d+@/);
      // ical.js turns the local time into an instant through the calendar's own VTIMEZONE; the
      // platform's time zone database must read that instant as 19.00 in Copenhagen.
      const local = new Intl.DateTimeFormat('da-DK', {
        timeZone: 'Europe/Copenhagen',
        hour: '2-digit',
        minute: '2-digit',
      }).format(event.startDate.toJSDate());
      assert.equal(local, '19.00');

      const manage = await openPage(browser, mode);
      await visit(manage.page, manageLinkPath(waiting), mode);
      assert.match(await manage.page.textContent('.booking-card'), /Tilmeldt/);
      assertNoProblems(problems, 'reminder answer');
      assertNoProblems(manage.problems, 'Mine tilmeldinger');
      await manage.context.close();
      await context.close();
    });

    test('a private calendar link from Mine tilmeldinger', async () => {
      // A demo participant with a seat on a later class (the reminders above are for others).
      const email = mode.js ? 'deltager25@example.org' : 'deltager26@example.org';
      const { context, page, problems } = await openPage(browser, mode);
      await visit(page, manageLinkPath(email), mode);
      await Promise.all([
        page.waitForURL(/#kalender$/),
        page.click('button:has-text("Lav et kalenderlink")'),
      ]);
      await page.waitForSelector('#kalender-link');
      const feed = await page.inputValue('#kalender-link');
      assert.match(feed, /\/kalender\/[A-Za-z0-9_-]{43}\.ics$/);
      await assertAccessible(page, 'Mine tilmeldinger with a calendar link');
      const response = await fetch(feed);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type'), /^text\/calendar/);
      const feedCalendar = new ICAL.Component(ICAL.parse(await response.text()));
      assert.equal(feedCalendar.name, 'vcalendar');
      assert.ok(feedCalendar.getFirstSubcomponent('vtimezone'));
      assert.ok(feedCalendar.getAllSubcomponents('vevent').length >= 1, 'their sessions');
      assertNoProblems(problems, 'calendar link');
      await context.close();
    });

    test('an evaluation link that no longer works says so', async () => {
      const { context, page, problems } = await openPage(browser, mode);
      const response = await visit(page, `/evaluering/${'a'.repeat(43)}`, mode);
      assert.equal(response.status(), 404);
      assert.equal(await page.textContent('h1'), 'Linket virker ikke længere');
      await assertAccessible(page, 'evaluation link gone');
      // The browser reports the page's own 404; nothing else may go wrong.
      assertNoProblems(
        problems.filter((p) => !p.includes('status of 404')),
        'evaluation link',
      );
      await context.close();
    });
  });
}

test('the demo outbox lists the mail written to files', async () => {
  assert.ok(OUTBOX_BASE, 'OUTBOX_BASE_URL is set by make test');
  for (const mode of modes) {
    const { context, page, problems } = await openPage(browser, mode);
    await page.goto(`${OUTBOX_BASE}/udbakke`, { waitUntil: mode.js ? 'networkidle' : 'load' });
    assert.equal(await page.textContent('h1'), 'Udbakke (demo)');
    assert.match(await page.textContent('main'), /Kommer du\?/);
    await assertAccessible(page, `demo outbox ${mode.name}`);
    assertNoProblems(problems, 'demo outbox');
    await context.close();
  }
});
