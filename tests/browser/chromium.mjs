// Starts Debian's Chromium headless through playwright-core. Never lets a
// tool download a browser of its own: the executable path is fixed, and the
// flags keep Chromium off the network (this machine has none but loopback).
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.POLICYGEN_CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// Opens a local page, failing (through `external`) on any request that is not
// for the file itself or an inline data: URI: pages must be self-contained.
export async function open(browser, file, external, options = {}) {
  const context = await browser.newContext(options);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) {
      return route.continue();
    }
    external.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(new URL(`file://${file}`).href, { waitUntil: 'load' });
  return { context, page };
}
