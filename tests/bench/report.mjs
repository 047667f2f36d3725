// Gathers `make bench`'s figures (lines `name<TAB>value<TAB>unit`) into one table on stdout and
// one JSON file: `node report.mjs FIGURES.tsv OUT_DIR COMMIT`. Writes OUT_DIR/<time>.json and
// OUT_DIR/latest.json; pages' requests per second are also given as a share of the baseline's.
import fs from "node:fs";
import path from "node:path";

const [file, outDir, commit] = process.argv.slice(2);
const figures = {};
for (const line of fs.readFileSync(file, "utf8").split("\n")) {
  const [name, value, unit] = line.split("\t");
  if (name && value !== undefined) figures[name] = { value: Number(value), unit };
}

// Each page beside the baseline: requests/s of both and the ratio.
const pages = [...new Set(Object.keys(figures)
  .filter((k) => k.startsWith("http.") && k.endsWith(".app.rps"))
  .map((k) => k.slice("http.".length, -".app.rps".length)))];
for (const page of pages) {
  const app = figures[`http.${page}.app.rps`];
  const base = figures[`http.${page}.baseline.rps`];
  if (app && base && base.value > 0) {
    figures[`http.${page}.ratio`] = { value: Number((app.value / base.value).toFixed(3)), unit: "x baseline" };
  }
}

const now = new Date().toISOString();
const report = { commit, taken_at: now, figures };
fs.mkdirSync(outDir, { recursive: true });
const json = JSON.stringify(report, null, 2) + "\n";
fs.writeFileSync(path.join(outDir, `${now.replace(/[:.]/g, "-")}.json`), json);
fs.writeFileSync(path.join(outDir, "latest.json"), json);

const width = Math.max(...Object.keys(figures).map((k) => k.length));
console.log(`figures of ${commit} (${now})`);
for (const [name, { value, unit }] of Object.entries(figures).sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${name.padEnd(width)}  ${String(value).padStart(10)}  ${unit}`);
}
console.log(`written to ${path.join(outDir, "latest.json")}`);
