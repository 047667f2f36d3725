// The staff workspace in a real browser on a 360 px wide phone screen, with JavaScript on and
// off: a demo coordinator signs in with password and authenticator code, finds the home page,
// the account page, the staff list and the log, and signs out. The code is computed here from
// the demo key with Node's own HMAC, independently of the server's TOTP code. axe on every page,
// and no page may scroll sideways at 360 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { BASE, assertAccessible, assertNoProblems, launch, modes, visit } from './helpers.mjs';

/** The demo authenticator key (server/src/demo.rs, printed in the README). */
const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** One demo account per mode, so the two runs never share a code step. */
const ACCOUNTS = {
  true: { email: 'koordinator.randers@recoveryskole.example', password: 'demo-koordinator', name: 'Mette Holm' },
  false: { email: 'admin@recoveryskole.example', password: 'demo-administrator', name: 'Ida Skov' },
};

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238: HMAC-SHA1 over the 30-second step, dynamic truncation, 6 digits. */
function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[19] & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 1_000_000).padStart(6, '0');
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
          ['Personale', 'Personale'],
          ['Log', 'Log over handlinger'],
        ]) {
          const nav = page.getByRole('navigation', { name: 'Personalemenu' });
          await nav.getByRole('link', { name: link, exact: true }).focus();
          await page.keyboard.press('Enter');
          await page.getByRole('heading', { level: 1, name: heading }).waitFor();
          await assertAccessible(page, heading);
          await assertFits(page, heading);
        }
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
