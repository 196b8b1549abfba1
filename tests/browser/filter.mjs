// Uses the site dashboard's filter as a person would, from the keyboard, in
// headless Chromium with the page's own Content-Security-Policy in force,
// and prints what was visible at each step as JSON for the Rust test to
// judge. Usage: node filter.mjs INDEX.html "ORGANISATION NAME"
//
// Steps: the page as loaded; the name typed into the search box; the box
// cleared and the "Overdue" toggle pressed with the space bar; and the page
// loaded again with JavaScript disabled.
import { resolve } from 'node:path';
import { launch, open } from './chromium.mjs';

const [file, name] = process.argv.slice(2);
if (!file || !name) {
  console.error('usage: node filter.mjs INDEX.html "ORGANISATION NAME"');
  process.exit(2);
}

// The data rows a person can see: organisation name and status group of each.
function visible() {
  const rows = Array.from(document.querySelectorAll('#reviews tbody tr:not(.group)'));
  return rows
    .filter((tr) => tr.getClientRects().length > 0)
    .map((tr) => [tr.querySelector('th').textContent, tr.parentElement.id]);
}

async function state(page) {
  return page.evaluate(`(${visible.toString()})()`);
}

async function shownText(page, expected) {
  await page.waitForFunction(
    (text) => document.getElementById('filter-shown').textContent === text,
    expected,
    { timeout: 5000 },
  ).catch(() => {});
  return page.evaluate(() => document.getElementById('filter-shown').textContent);
}

const browser = await launch();
const external = [];
const result = {};
try {
  const { context, page } = await open(browser, resolve(file), external, {
    viewport: { width: 1280, height: 900 },
  });
  result.load_ms = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return Math.round(nav.loadEventEnd - nav.startTime);
  });
  result.filter_shown = await page.isVisible('#filter');
  const loaded = await state(page);
  result.loaded = loaded.length;
  result.loaded_text = await shownText(page, `${loaded.length.toLocaleString('en-GB')} of ${loaded.length.toLocaleString('en-GB')} shown`);

  await page.focus('#filter-text');
  await page.keyboard.type(name);
  const typed = await state(page);
  result.typed = typed;
  result.typed_headings = await page.evaluate(() =>
    Array.from(document.querySelectorAll('#reviews tbody'))
      .filter((body) => body.getClientRects().length > 0)
      .map((body) => body.querySelector('tr.group th').textContent));
  result.typed_text = await shownText(page, `${typed.length.toLocaleString('en-GB')} of ${loaded.length.toLocaleString('en-GB')} shown`);

  await page.fill('#filter-text', '');
  await page.focus('button[data-status="overdue"]');
  await page.keyboard.press('Space');
  result.overdue_pressed = await page.getAttribute('button[data-status="overdue"]', 'aria-pressed');
  const overdue = await state(page);
  result.overdue = overdue.length;
  result.overdue_groups = [...new Set(overdue.map(([, group]) => group))];
  result.overdue_text = await shownText(page, `${overdue.length.toLocaleString('en-GB')} of ${loaded.length.toLocaleString('en-GB')} shown`);
  await context.close();

  const noScript = await open(browser, resolve(file), external, {
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: false,
  });
  // Playwright still evaluates its own code with the page's scripts off.
  result.no_script = (await state(noScript.page)).length;
  result.no_script_ran = await noScript.page.evaluate(() => document.getElementById('filter-shown').textContent !== '');
  result.no_script_filter_shown = await noScript.page.isVisible('#filter');
  await noScript.context.close();
} finally {
  await browser.close();
}
result.external = external;
console.log(JSON.stringify(result));
