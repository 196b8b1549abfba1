// Runs axe-core over every HTML page under the given folders, on a wide and a
// narrow screen and in print media, and fails on any violation or on any
// request a page makes beyond its own file. Usage: node axe.mjs DIR...
//
// Every rule axe ships enabled is run (WCAG 2.0–2.2 A and AA and axe's best
// practices), not a chosen subset.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { launch, open } from './chromium.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function htmlFiles(path) {
  const full = resolve(path);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(full, entry.name);
      if (entry.isDirectory()) return htmlFiles(child);
      return entry.name.endsWith('.html') ? [child] : [];
    });
}

const folders = process.argv.slice(2);
if (folders.length === 0) {
  console.error('usage: node axe.mjs DIR...');
  process.exit(2);
}
const files = folders.flatMap(htmlFiles);
if (files.length === 0) {
  console.error(`no HTML pages found in ${folders.join(', ')}`);
  process.exit(1);
}

const browser = await launch();
let violations = 0;
let requests = 0;
try {
  for (const file of files) {
    const external = [];
    // The site dashboard's Content-Security-Policy allows its own script
    // only; axe is injected past it.
    const { context, page } = await open(browser, file, external, { bypassCSP: true });
    await page.addScriptTag({ content: axeSource });
    // A desktop window, a phone-sized one (the narrow-screen layout), and print.
    for (const [media, width] of [['screen', 1280], ['screen', 390], ['print', 1280]]) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ media });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of result.violations) {
        violations += 1;
        console.log(`VIOLATION ${file} [${media} ${width}px] ${v.id} (${v.impact}): ${v.help}`);
        for (const node of v.nodes.slice(0, 5)) {
          console.log(`    at ${node.target.join(' ')}: ${node.html.slice(0, 160)}`);
          if (node.failureSummary) console.log(`    ${node.failureSummary.replace(/\n/g, '\n    ')}`);
        }
      }
    }
    await context.close();
    for (const url of external) {
      requests += 1;
      console.log(`EXTERNAL REQUEST ${file}: ${url}`);
    }
  }
} finally {
  await browser.close();
}
console.log(`axe-core ${JSON.parse(readFileSync(require.resolve('axe-core/package.json'), 'utf8')).version}: ${files.length} pages checked on a wide and a narrow screen and in print, ${violations} violations, ${requests} external requests`);
process.exit(violations === 0 && requests === 0 ? 0 : 1);
