// Lighthouse's mobile scores (its default: a mid-range phone on slow 4G, simulated) for pages of
// a running server, in Debian's Chromium: `node lighthouse.mjs BASE PATH…`. Prints one line per
// page and score, `lighthouse.<page>.<category><TAB>score<TAB>of 100`, for `make bench`.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [base, ...paths] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  for (const p of paths) {
    const result = await lighthouse(`${base}${p}`, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility"],
    });
    const name = p === "/" ? "front" : p.replace(/^\//, "").replace(/[^a-z0-9]+/gi, "_");
    for (const category of ["performance", "accessibility"]) {
      const score = result.lhr.categories[category].score;
      console.log(`lighthouse.${name}.${category}\t${Math.round(score * 100)}\tof 100`);
    }
    const lcp = result.lhr.audits["largest-contentful-paint"]?.numericValue;
    const tbt = result.lhr.audits["total-blocking-time"]?.numericValue;
    if (lcp !== undefined) console.log(`lighthouse.${name}.lcp\t${lcp.toFixed(0)}\tms`);
    if (tbt !== undefined) console.log(`lighthouse.${name}.tbt\t${tbt.toFixed(0)}\tms`);
  }
} finally {
  await chrome.kill();
}
