/*
 * report_render.cjs - how long headless Chromium takes to open a netvet
 * report and paint it: from navigation to the load event, then a
 * screenshot of the first screen (which forces layout and paint).
 * Prints the milliseconds.  Usage: node report_render.cjs REPORT.html
 */
const { chromium } = require('../tests/browser/node_modules/playwright-core');
const path = require('path');
const { pathToFileURL } = require('url');

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  const t0 = Date.now();
  await page.goto(pathToFileURL(path.resolve(process.argv[2])).href,
    { waitUntil: 'load', timeout: 600000 });
  await page.screenshot({ path: process.argv[2].replace(/\.html$/, '.png') });
  console.log(Date.now() - t0);
  await browser.close();
})();
