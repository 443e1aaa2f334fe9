import { chromium } from "playwright";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--allow-file-access-from-files"] });
const p = await b.newPage({ viewport: { width: 1280, height: 1000 } });
for (const n of ["en-light", "zh-dark"]) {
  await p.goto(`file:///work/main/test-results/port-3222/screens/api-docs-${n}.png`);
  await p.setContent(`<body style="margin:0"><img style="display:block" src="file:///work/main/test-results/port-3222/screens/api-docs-${n}.png"></body>`);
  await p.waitForTimeout(500);
  await p.screenshot({ path: `/tmp/crop-${n}.png`, clip: { x: 0, y: 4850, width: 1280, height: 1000 }, fullPage: true });
}
await b.close();
