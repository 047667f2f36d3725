// The printable term prospectus, as a school prints it: reached from the school's page, a term
// chosen with the plain form (JavaScript on and off), axe on the page, then printed by Chromium
// to PDF. The PDF is read back with pdf.js: its pages are A4, every run on the page is in it,
// and each run's title and sign-up address are on the same page (no run split over two pages),
// at normal size and at a larger print scale.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { assertAccessible, assertNoProblems, launch, modes, openPage, visit } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Each page's text with all white space removed (a long address may wrap), and its size. */
async function pdfPages(bytes) {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const page = await doc.getPage(n);
    const { width, height } = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const text = content.items.map((i) => i.str).join('').replace(/\s+/g, '');
    pages.push({ width, height, text });
  }
  await doc.destroy();
  return pages;
}

const squeeze = (s) => s.replace(/\s+/g, '');

/** Prints the page to PDF and checks pages and runs; returns the number of pages. */
async function checkPrint(page, runs, scale) {
  const pages = await pdfPages(await page.pdf({ format: 'A4', printBackground: true, scale }));
  for (const p of pages) {
    // A4 is 210 × 297 mm: 595.28 × 841.89 points.
    assert.ok(Math.abs(p.width - 595.28) < 1 && Math.abs(p.height - 841.89) < 1, `A4, got ${p.width} × ${p.height}`);
  }
  for (const run of runs) {
    const title = squeeze(run.title);
    const url = squeeze(run.url);
    const withTitle = pages.filter((p) => p.text.includes(title) && p.text.includes(url));
    assert.ok(withTitle.length >= 1, `scale ${scale}: "${run.title}" and ${run.url} on one page`);
    const withUrl = pages.filter((p) => p.text.includes(url));
    assert.equal(withUrl.length, 1, `scale ${scale}: ${run.url} printed once`);
  }
  return pages.length;
}

for (const mode of modes) {
  describe(`prospectus ${mode.name}`, () => {
    test('a school prints its courses of a term on A4 with no run split', async (t) => {
      const { context, page, problems } = await openPage(browser, mode);
      try {
        await visit(page, '/skoler/randers', mode);
        await page.getByRole('link', { name: 'Kursusoversigt til print' }).click();
        await page.waitForURL(/\/skoler\/randers\/katalog/);
        await page.getByRole('heading', { level: 1, name: /Recovery-skolen Randers: kurser/ }).waitFor();
        await assertAccessible(page, 'prospectus');

        // The term with the most runs of those the chooser offers, chosen with the form.
        const terms = await page.$$eval('#termin option', (os) => os.map((o) => o.value));
        let best = { term: terms[0], count: -1 };
        for (const term of terms) {
          await visit(page, `/skoler/randers/katalog?termin=${term}`, mode);
          const count = await page.locator('article.prospectus-run').count();
          if (count > best.count) best = { term, count };
        }
        await visit(page, '/skoler/randers/katalog', mode);
        await page.selectOption('#termin', best.term);
        await page.selectOption('#grupper', 'tema');
        await page.getByRole('button', { name: 'Vis oversigten' }).click();
        await page.waitForURL(new RegExp(`termin=${best.term}.*grupper=tema`));
        await page.locator('article.prospectus-run').first().waitFor();
        await assertAccessible(page, 'prospectus by theme');
        const runs = await page.$$eval('article.prospectus-run', (as) =>
          as.map((a) => ({
            title: a.querySelector('h3').textContent,
            url: a.querySelector('.prospectus-url a').textContent,
            qr: a.querySelector('img.prospectus-qr').naturalWidth,
          })),
        );
        assert.ok(runs.length >= 2, `runs to print (${runs.length})`);
        for (const run of runs) assert.ok(run.qr > 0, `the QR code of "${run.title}" loads`);

        const normal = await checkPrint(page, runs, 1);
        const large = await checkPrint(page, runs, 1.3);
        t.diagnostic(`${runs.length} runs of ${best.term}: ${normal} A4 pages, ${large} at scale 1.3`);
        assert.ok(normal >= 2, `the runs spread over several pages (${normal})`);
        assertNoProblems(problems, 'prospectus');
      } finally {
        await context.close();
      }
    });
  });
}
