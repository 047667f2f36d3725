// An online class in a real browser, with JavaScript on and off, on a demo server and SMTP sink of
// its own (so filling the class touches nothing the other files use). A citizen takes the last
// seat of the demo's online class and finds the meeting link in the confirmation, in its
// invitation (read with ical.js) and on "Mine tilmeldinger"; the person after them waits and sees
// no link, nor do the public course page and the API. The administrator changes the link in the
// run editor, and the seat holder gets the update with a raised SEQUENCE; the waiting person
// gets nothing. axe on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import ICAL from 'ical.js';
import {
  assertAccessible,
  assertNoProblems,
  launch,
  mailsIn,
  modes,
  openPage,
  ownServer,
  ownSink,
  postSignup,
  signIn,
  visit,
  waitForMailIn,
} from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A "Mine tilmeldinger" URL for an e-mail, made by the server's own command line. */
function manageLink(site, email) {
  const out = execFileSync(process.env.SERVER_BIN, ['link', email], { env: site.env, encoding: 'utf8' });
  return `${site.base}${new URL(out.trim().split('\n').pop()).pathname}`;
}

/** The events of a mail's invitation, read with ical.js. */
function eventsOf(mail) {
  assert.equal(mail.calendars.length, 1, 'one invitation');
  const calendar = new ICAL.Component(ICAL.parse(mail.calendars[0]));
  assert.equal(calendar.getFirstPropertyValue('method'), 'REQUEST');
  return calendar.getAllSubcomponents('vevent').map((v) => ({
    uid: v.getFirstPropertyValue('uid'),
    sequence: Number(v.getFirstPropertyValue('sequence')),
    location: v.getFirstPropertyValue('location'),
    url: v.getFirstPropertyValue('url'),
    description: v.getFirstPropertyValue('description'),
  }));
}

for (const mode of modes) {
  describe(`online class ${mode.name}`, () => {
    test('the link reaches the seat holder, nobody else, and a new link follows', async () => {
      const tag = mode.js ? 'js' : 'nojs';
      const sink = await ownSink();
      const site = await ownServer({ demoData: true, smtpPort: sink.port });
      const { context, page, problems } = await openPage(browser, mode);
      try {
        // The public course page and the API never carry the link.
        const coursePage = await (await fetch(`${site.base}/kurser/stress-og-balance`)).text();
        const runId = Number(coursePage.match(/\/hold\/(\d+)\/tilmelding/)?.[1]);
        assert.ok(runId, 'the online class has a sign-up link');
        assert.doesNotMatch(coursePage, /video\.example\.org/);
        for (const path of [`/api/v1/runs/${runId}`, '/api/v1/runs?per_page=100', '/skoler/aarhus/kalender.ics']) {
          const body = await (await fetch(`${site.base}${path}`)).text();
          assert.doesNotMatch(body, /video\.example\.org/, path);
        }

        // Others take all seats but one.
        const form = await (await fetch(`${site.base}/hold/${runId}/tilmelding`)).text();
        const left = Number(form.match(/(\d+) ledige pladser/)?.[1]);
        assert.ok(left > 1, 'the demo class has seats');
        for (let i = 0; i < left - 1; i++) {
          assert.match(await postSignup(runId, `Fyld ${i}`, `fyld-${i}@example.dk`, site.base), /modtaget$/);
        }

        // The citizen takes the last seat through the form.
        const citizen = `online-${tag}@example.dk`;
        await visit(page, `${site.base}/hold/${runId}/tilmelding`, mode);
        await page.fill('#felt-navn', 'Nanna');
        await page.fill('#felt-email', citizen);
        await page.check('#felt-samtykke');
        await Promise.all([page.waitForURL(/\/tilmelding\/modtaget$/), page.click('form.signup-form button[type=submit]')]);
        const waiting = `venter-online-${tag}@example.dk`;
        assert.match(await postSignup(runId, 'Villy', waiting, site.base), /modtaget$/);

        const confirmed = await waitForMailIn(
          sink.dir,
          (m) => m.to === citizen && m.subject.startsWith('Din plads er bekræftet'),
          'the confirmation',
        );
        const link = confirmed.text.match(/Link til undervisningen: (https:\/\/video\.example\.org\/\S+)/)?.[1];
        assert.ok(link, `the link in the confirmation:\n${confirmed.text}`);
        assert.match(confirmed.html, new RegExp(link.replace(/[.?]/g, '\\$&')));
        assert.match(confirmed.text, /Online på Zoom/);
        assert.match(confirmed.text, /kameraet slukket/);
        const invited = eventsOf(confirmed);
        assert.equal(invited.length, 2, 'both sessions');
        for (const e of invited) {
          assert.equal(e.location, link);
          assert.equal(e.url, link);
          assert.match(e.description, new RegExp(link.replace(/[.?]/g, '\\$&')));
        }
        const waitlisted = await waitForMailIn(
          sink.dir,
          (m) => m.to === waiting && m.subject.startsWith('Du står på venteliste'),
          'the waiting list mail',
        );
        assert.doesNotMatch(waitlisted.text + waitlisted.html, /video\.example\.org/);

        // "Mine tilmeldinger": the seat holder has the link, the waiting person has not.
        await visit(page, manageLink(site, citizen), mode);
        const join = page.getByRole('link', { name: /Gå til undervisningen online/ }).first();
        assert.equal(await join.getAttribute('href'), link);
        await assertAccessible(page, 'Mine tilmeldinger with an online class');
        await visit(page, manageLink(site, waiting), mode);
        assert.match(await page.textContent('.booking-card'), /Venteliste/);
        assert.doesNotMatch(await page.content(), /video\.example\.org/);

        // The administrator gives the class a new link from the first session on.
        const newLink = `https://video.example.org/nyt-rum-${tag}`;
        await signIn(page, mode, 'admin@recoveryskole.example', 'demo-administrator', true, site.base);
        await visit(page, `${site.base}/personale/hold/${runId}`, mode);
        const field = page.getByLabel('Link til online-undervisning, Gang 1');
        assert.equal(await field.inputValue(), link);
        await assertAccessible(page, 'run editor with meeting links');
        await field.fill(newLink);
        await Promise.all([
          page.waitForURL(/gang=link/),
          page.locator('form.link-form').first().getByRole('button', { name: 'Gem link' }).click(),
        ]);
        assert.match(await page.textContent('main'), /Linket er gemt/);
        assert.equal(await page.getByLabel('Link til online-undervisning, Gang 2').inputValue(), newLink);

        const update = await waitForMailIn(
          sink.dir,
          (m) => m.to === citizen && m.subject.startsWith('Link til undervisningen'),
          'the new link',
        );
        assert.match(update.text, new RegExp(newLink));
        assert.doesNotMatch(update.text, new RegExp(link.replace(/[.?]/g, '\\$&')));
        const updated = eventsOf(update);
        assert.equal(updated.length, 2);
        for (const e of updated) {
          const before = invited.find((i) => i.uid === e.uid);
          assert.ok(before, 'the same calendar event');
          assert.ok(e.sequence > before.sequence, 'SEQUENCE raised');
          assert.equal(e.location, newLink);
        }
        // Give the worker a moment, then: nothing about links to the waiting person.
        await new Promise((r) => setTimeout(r, 1500));
        const toWaiting = mailsIn(sink.dir).filter((m) => m.to === waiting);
        assert.equal(toWaiting.length, 1);
        assertNoProblems(problems, 'online class');
      } finally {
        await context.close();
        site.stop();
        sink.stop();
      }
    });
  });
}
