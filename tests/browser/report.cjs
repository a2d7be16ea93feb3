/*
 * report.cjs - open a netvet HTML report in headless Chromium, as a person
 * would, and check it: no console or page errors, no request but the file
 * itself, one map mark per site with coordinates (counted in the native
 * JSON model, independently of netvet), tables that sort when a header
 * is clicked, a print view; keep a full-page screenshot.
 * Usage: node report.cjs REPORT.html MODEL.json SCREENSHOT.png
 */
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL ${what}`);
  }
}

function sitesWithCoordinates(modelPath) {
  const model = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
  return (model.sites || []).filter(
    (s) => typeof s.lat === 'number' && typeof s.lon === 'number').length;
}

/* The numbers of column i of the table whose header cell is th. */
async function columnNumbers(th) {
  return th.evaluate((h) => Array.from(h.closest('table').tBodies[0].rows,
    (r) => parseFloat(r.cells[h.cellIndex].textContent)));
}

function sorted(values, dir) {
  return values.every((v, i) => i === 0 || dir * (v - values[i - 1]) >= 0);
}

async function checkSort(page, title) {
  const th = page.locator('table.sortable th.num', { hasText: title }).first();
  const before = await columnNumbers(th);
  await th.click();
  const up = await columnNumbers(th);
  await th.click();
  const down = await columnNumbers(th);
  check(before.length > 1, `the "${title}" column has rows to sort`);
  check(sorted(up, 1) && up.length === before.length,
    `first click on "${title}" sorts ascending: ${up.slice(0, 8)}`);
  check(sorted(down, -1) && down.length === before.length,
    `second click on "${title}" sorts descending: ${down.slice(0, 8)}`);
  check(up[0] !== before[0] || down[0] !== before[0],
    `clicking "${title}" changes the order`);
}

async function run(reportPath, modelPath, shotPath) {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing (scripts/deps --test-extras)`);
  const url = pathToFileURL(path.resolve(reportPath)).href;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'netvet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS,
  });
  const errors = [];
  const requests = [];
  try {
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    context.on('request', (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(300);

    const want = sitesWithCoordinates(modelPath);
    const marks = await page.locator('svg.map circle.site').count();
    check(marks === want, `${marks} site marks on the map, expected ${want}`);
    check(await page.locator('svg.map polyline.flow').count() > 0,
      'critical flows are drawn');
    check(await page.locator('.bar span').count() > 0, 'share bars are drawn');
    check(await page.locator('table.sortable').count() >= 3,
      'the flows, violations and release tables are there');
    await checkSort(page, 'score');
    await checkSort(page, 'HHI');

    await page.screenshot({ path: shotPath, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    check(!(await page.locator('nav').isVisible()), 'print hides the links');

    check(errors.length === 0, `no console or page errors: ${errors}`);
    const others = requests.filter((u) => u !== url);
    check(others.length === 0, `no request but the file: ${others}`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

const [reportPath, modelPath, shotPath] = process.argv.slice(2);
run(reportPath, modelPath, shotPath).then(() => {
  console.log(`browser: ${passed} passed, ${failed} failed (screenshot ` +
    `${shotPath})`);
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.log(`browser: ${e.message}`);
  process.exit(1);
});
