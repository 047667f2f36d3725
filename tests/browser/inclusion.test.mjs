// Nobody left out, in a real browser with JavaScript on and off, on a demo server and SMTP sink
// of its own: on a course with nothing to join, a person asks "Giv mig besked", gets the receipt
// and says no thanks with one button; a coordinator signs up a caller with a phone number only,
// and the call to make shows on the run's list and the home page until it is marked made; the
// run's own evaluation page. axe on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertAccessible,
  assertNoProblems,
  launch,
  mailsIn,
  modes,
  openPage,
  ownServer,
  ownSink,
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

for (const mode of modes) {
  describe(`nobody left out ${mode.name}`, () => {
    test('"Giv mig besked", a sign-up without e-mail and the calls to make', async () => {
      const tag = mode.js ? 'js' : 'nojs';
      const sink = await ownSink();
      const site = await ownServer({ demoData: true, smtpPort: sink.port });
      const { context, page, problems } = await openPage(browser, mode);
      try {
        // A course whose only run is full with no waiting list: the page offers to tell.
        await visit(page, `${site.base}/kurser/personlige-statements-og-moedeforberedelse`, mode);
        await page.getByRole('heading', { name: 'Giv mig besked' }).waitFor();
        await assertAccessible(page, 'course page with "Giv mig besked"');
        const email = `besked-${tag}@example.dk`;
        await page.fill('#giv-besked-email', email);
        await page.check('#giv-besked-samtykke');
        await Promise.all([
          page.waitForURL(/besked=ja/),
          page.locator('form.watch-form').getByRole('button', { name: 'Giv mig besked' }).click(),
        ]);
        await page.getByText('Vi har sendt dig en kvittering').waitFor();
        await assertAccessible(page, 'after "Giv mig besked"');
        const receipt = await waitForMailIn(sink.dir, (m) => m.to === email, 'the receipt');
        assert.match(receipt.subject, /^Du får besked om et nyt hold/);
        const link = receipt.text.split(/\s+/).find((w) => w.includes('/giv-besked/'));
        assert.ok(link, 'a no-thanks link');
        await visit(page, link, mode);
        await assertAccessible(page, 'no-thanks page');
        await Promise.all([
          page.waitForURL(/afmeldt=1/),
          page.getByRole('button', { name: 'Jeg vil ikke have besked alligevel' }).click(),
        ]);
        await page.getByText('Din e-mail er slettet').waitFor();
        await assertAccessible(page, 'after no thanks');

        // A Randers run with room: the coordinator signs up a caller with a phone number only.
        const runs = await (await fetch(`${site.base}/api/v1/runs?per_page=100`)).json();
        const run = runs.items.find((r) => r.school === 'randers' && r.seats.state === 'open');
        assert.ok(run, 'a Randers run with room');
        await signIn(page, mode, 'koordinator.randers@recoveryskole.example', 'demo-koordinator', true, site.base);
        await visit(page, `${site.base}/personale/hold/${run.id}/deltagere`, mode);
        await page.getByLabel('Navn', { exact: true }).fill('Poul Ring');
        await page.getByLabel('Telefon').fill('12 34 56 78');
        await page.getByLabel(/har sagt ja/).check();
        await Promise.all([
          page.waitForURL(/besked=tilmeldt/),
          page.getByRole('button', { name: 'Tilmeld', exact: true }).click(),
        ]);
        await page.getByRole('heading', { name: /Ingen e-mail – ring \(1\)/ }).waitFor();
        await page.getByText('Har fået en plads på holdet').waitFor();
        await assertAccessible(page, 'roster with a call to make');
        await visit(page, `${site.base}/personale`, mode);
        await page.getByRole('heading', { name: /Ingen e-mail – ring \(1\)/ }).waitFor();
        await assertAccessible(page, 'home page with a call to make');
        await Promise.all([
          page.waitForURL(/\/personale#ring$/),
          page.getByRole('button', { name: 'Ringet op til Poul Ring' }).click(),
        ]);
        assert.equal(await page.getByRole('heading', { name: /Ingen e-mail – ring/ }).count(), 0);
        // No mail was sent for him: everything the sink has is to addresses.
        assert.ok(mailsIn(sink.dir).every((m) => m.to.includes('@')));

        // The run's own evaluation page.
        await visit(page, `${site.base}/personale/hold/${run.id}/resultater`, mode);
        await page.getByRole('heading', { name: /Holdets evaluering/ }).waitFor();
        await assertAccessible(page, 'the run\'s own evaluation');
        assertNoProblems(problems, 'nobody left out');
      } finally {
        await context.close();
        site.stop();
        sink.stop();
      }
    });
  });
}
