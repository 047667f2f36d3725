// Staff sign-in with the region's login, in a real browser with JavaScript on and off, against a
// real OpenID Connect provider on loopback: the sign-in page offers it beside the local form; a
// coordinator whose provider checked MFA lands in the workspace and signs out again; an e-mail
// with no account is sent back with a plain message. axe on every page of ours.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertAccessible,
  assertNoProblems,
  freePort,
  launch,
  modes,
  openPage,
  ownProvider,
  ownServer,
  ownSink,
  visit,
} from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const mode of modes) {
  describe(`single sign-on ${mode.name}`, () => {
    test("the region's login signs a known coordinator in, and nobody else", async () => {
      const port = await freePort();
      const idp = await ownProvider(`http://127.0.0.1:${port}/personale/log-ind/sso/svar`);
      const sink = await ownSink();
      const site = await ownServer({
        demoData: true,
        smtpPort: sink.port,
        port,
        extra: {
          SKOLEBAENK_OIDC_ISSUER: idp.issuer,
          SKOLEBAENK_OIDC_CLIENT_ID: idp.clientId,
          SKOLEBAENK_OIDC_CLIENT_SECRET: idp.clientSecret,
        },
      });
      const { context, page, problems } = await openPage(browser, mode);
      try {
        await visit(page, `${site.base}/personale/log-ind`, mode);
        const button = page.getByRole('button', { name: 'Log ind med regionens login' });
        await button.waitFor();
        await assertAccessible(page, 'sign-in page with the region\'s login');

        // A coordinator whose provider checked a second factor goes straight in.
        await idp.next('koordinator.randers@recoveryskole.example', ['pwd', 'mfa']);
        await Promise.all([page.waitForURL(`${site.base}/personale`), button.click()]);
        await page.getByText('Hej Mette Holm').waitFor();
        await assertAccessible(page, 'the workspace after the region\'s login');

        // Signing out ends the session here.
        await Promise.all([
          page.waitForURL(/\/personale\/log-ind\?ud=1/),
          page.getByRole('button', { name: 'Log ud', exact: true }).first().click(),
        ]);
        await visit(page, `${site.base}/personale`, mode);
        assert.match(page.url(), /\/personale\/log-ind$/, 'signed out: sent to sign in');

        // Someone the region knows but Skolebænk does not is told so, and stays out. (Another
        // person at this browser: the provider's own session goes first.)
        await context.clearCookies({ name: /^_session/ });
        await idp.next('ny.medarbejder@region.example', ['pwd', 'mfa']);
        await Promise.all([
          page.waitForURL(/fejl=sso-ukendt/),
          page.getByRole('button', { name: 'Log ind med regionens login' }).click(),
        ]);
        await page.getByText('hører ikke til en konto i Skolebænk').waitFor();
        await assertAccessible(page, 'refused by the region\'s login');
        assertNoProblems(problems, 'single sign-on');
      } finally {
        await context.close();
        site.stop();
        sink.stop();
        idp.stop();
      }
    });
  });
}
