// Runs axe-core over every HTML page under the given folders, in screen and
// print media, and fails on any violation or on any request a page makes
// beyond its own file. Usage: node axe.mjs DIR...
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
    for (const media of ['screen', 'print']) {
      const external = [];
      const { context, page } = await open(browser, file, external);
      await page.emulateMedia({ media });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      await context.close();
      for (const v of result.violations) {
        violations += 1;
        console.log(`VIOLATION ${file} [${media}] ${v.id} (${v.impact}): ${v.help}`);
        for (const node of v.nodes.slice(0, 5)) {
          console.log(`    at ${node.target.join(' ')}: ${node.html.slice(0, 160)}`);
          if (node.failureSummary) console.log(`    ${node.failureSummary.replace(/\n/g, '\n    ')}`);
        }
      }
      for (const url of external) {
        requests += 1;
        console.log(`EXTERNAL REQUEST ${file} [${media}]: ${url}`);
      }
    }
  }
} finally {
  await browser.close();
}
console.log(`axe-core ${JSON.parse(readFileSync(require.resolve('axe-core/package.json'), 'utf8')).version}: ${files.length} pages checked in screen and print media, ${violations} violations, ${requests} external requests`);
process.exit(violations === 0 && requests === 0 ? 0 : 1);
