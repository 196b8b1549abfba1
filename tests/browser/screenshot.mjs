// Looks at a page as a person would: a full-page PNG in screen or print media
// at a given width, or the page printed to an A4 PDF by Chromium's own print
// path. A contributor's tool, not a test.
// Usage: node screenshot.mjs PAGE.html OUT.png [screen|print] [WIDTH] [HEIGHT] [SCROLL_Y]
//        (with HEIGHT, one window-sized view from SCROLL_Y down, not the whole page)
//        node screenshot.mjs PAGE.html OUT.pdf
import { resolve } from 'node:path';
import { launch, open } from './chromium.mjs';

const [page_, out, media = 'screen', width = '1100', height, scrollY = '0'] = process.argv.slice(2);
if (!page_ || !out) {
  console.error('usage: node screenshot.mjs PAGE.html OUT.png|OUT.pdf [screen|print] [WIDTH]');
  process.exit(2);
}
const browser = await launch();
const external = [];
try {
  const { page } = await open(browser, resolve(page_), external, {
    viewport: { width: Number(width), height: Number(height || 900) },
  });
  if (out.endsWith('.pdf')) {
    await page.pdf({ path: out, preferCSSPageSize: true, printBackground: true });
  } else {
    await page.emulateMedia({ media });
    if (height) {
      await page.evaluate((y) => window.scrollTo(0, y), Number(scrollY));
      await page.screenshot({ path: out });
    } else {
      await page.screenshot({ path: out, fullPage: true });
    }
  }
} finally {
  await browser.close();
}
if (external.length) {
  console.error(`the page asked for: ${external.join(', ')}`);
  process.exit(1);
}
