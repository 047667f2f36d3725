// Writes brotli (quality 11) and gzip (level 9) copies beside the bundle's files in a built
// site's pkg/ folder (`node scripts/precompress.mjs target/site/pkg`), once per build, so the
// server sends them as they are instead of compressing on every request.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const dir = process.argv[2];
for (const name of fs.readdirSync(dir)) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const raw = fs.readFileSync(path.join(dir, name));
  const br = zlib.brotliCompressSync(raw, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  fs.writeFileSync(path.join(dir, `${name}.br`), br);
  fs.writeFileSync(path.join(dir, `${name}.gz`), zlib.gzipSync(raw, { level: 9 }));
  console.log(`${name}: ${(raw.length / 1024).toFixed(0)} KB, brotli ${(br.length / 1024).toFixed(0)} KB`);
}
