#!/usr/bin/env node
/**
 * `npm run size`: first-load JavaScript per page route of the current build (.next), gzip -9 —
 * what a fresh tab downloads before the page is interactive: the root main files plus the entry
 * chunks of the page's layouts and of the page itself.
 * Prints one line per route, largest first; with --check exits 1 when a route other than those
 * allowed (the overview's charts, the editors) is over 180 KB. The same budget is measured in
 * the browser by e2e/shell/bundle-budget.spec.ts.
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

const BUDGET = 180 * 1024;
/** Routes allowed over the budget (issue #17): the overview's charts and the YAML/config editors. */
const ALLOWED = [/^\/overview/, /editor/, /\/configs\/.+/, /\/mesh\/.+/, /\/gateway\/.+/];
const next = path.resolve(process.argv.find((a) => a.startsWith("--dir="))?.slice(6) ?? ".next");
const check = process.argv.includes("--check");

if (!fs.existsSync(path.join(next, "build-manifest.json"))) {
  console.error(`first-load-js: no build in ${next} (run npm run build)`);
  process.exit(2);
}
const build = JSON.parse(fs.readFileSync(path.join(next, "build-manifest.json"), "utf8"));
const sizes = new Map();
const gz = (file) => {
  if (!sizes.has(file)) {
    const p = path.join(next, file.replace(/^\/?_next\//, "").replace(/^\//, ""));
    sizes.set(file, fs.existsSync(p) ? gzipSync(fs.readFileSync(p), { level: 9 }).length : 0);
  }
  return sizes.get(file);
};

function manifests(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return manifests(p);
    return d.name === "page_client-reference-manifest.js" ? [p] : [];
  });
}

const rows = [];
for (const file of manifests(path.join(next, "server", "app"))) {
  const sandbox = { globalThis: {} };
  sandbox.globalThis = sandbox;
  vm.runInNewContext(fs.readFileSync(file, "utf8"), sandbox);
  for (const [key, manifest] of Object.entries(sandbox.__RSC_MANIFEST ?? {})) {
    const route = key.replace(/\/page$/, "").replace(/\/\([^)]+\)/g, "") || "/";
    const files = new Set(build.rootMainFiles);
    // Layouts and the page; error, loading and not-found boundaries load when they are shown.
    for (const [entry, list] of Object.entries(manifest.entryJSFiles ?? {})) if (/\/(layout|page)$/.test(entry)) for (const f of list) files.add(f);
    const total = [...files].reduce((n, f) => n + gz(f), 0);
    rows.push({ route, total, files: files.size });
  }
}
rows.sort((a, b) => b.total - a.total);
let over = 0;
for (const r of rows) {
  const allowed = ALLOWED.some((re) => re.test(r.route));
  const flag = r.total > BUDGET ? (allowed ? "  (over 180 KB, allowed)" : "  OVER 180 KB") : "";
  if (r.total > BUDGET && !allowed) over++;
  console.log(`${(r.total / 1024).toFixed(1).padStart(7)} KB  ${String(r.files).padStart(3)} files  ${r.route}${flag}`);
}
console.log(`first-load JavaScript (gzip -9) of ${rows.length} page routes; budget 180 KB${over ? `; ${over} over` : ""}`);
if (check && over) process.exit(1);
