/*
 * report.cjs - open a netvet HTML report in headless Chromium, as a person
 * would, and check it: no console or page errors, no request but the file
 * itself, one map mark per site with coordinates (counted in the native
 * JSON model, independently of netvet), tables that sort when a header
 * is clicked, a print view; the decision page: the marking on every
 * printed page (in the PDF netvet printed, read back with pdftotext),
 * names where ids were (vendor shares too), the vendor margin and what
 * changed stated; the map: land drawn, the places and numbered
 * critical sites labelled, other groups' worst flows not faded by the
 * lens; the flows table filtered by sector, classification and text, and
 * a click on a flow's row highlighting its route; keep screenshots (full page, first page, map) beside SCREENSHOT.
 * Usage: node report.cjs REPORT.html MODEL.json SCREENSHOT.png REPORT.pdf
 *        MARKING
 */
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { execFileSync } = require('child_process');

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
    (r) => parseFloat(r.cells[h.cellIndex].textContent.replace(/,/g, ''))));
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

/* Every printed page carries the marking, at its top and at its bottom. */
function checkPdf(pdfPath, marking) {
  check(fs.existsSync(pdfPath), `netvet --pdf wrote ${pdfPath}`);
  if (!fs.existsSync(pdfPath))
    return;
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'],
    { encoding: 'utf8' });
  const pages = text.split('\f').filter((p) => p.trim().length > 0);
  check(pages.length >= 3, `the PDF has pages: ${pages.length}`);
  const unmarked = pages.map((p, i) => [i + 1, p]).filter(([, p]) =>
    p.split(marking).length - 1 < 2).map(([i]) => i);
  check(unmarked.length === 0,
    `the marking is at the top and bottom of every page; not on ${unmarked}`);
  const first = pages[0] || '';
  check(/What to do first/.test(first) || /What to do first/.test(pages[1]),
    'the summary (what is wrong, how bad, what to do first) leads the PDF');
}

/* The ids of the model's flows and assets, which a person should not
 * have to read on the decision page. */
function modelIds(modelPath) {
  const model = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
  return [...(model.flows || []), ...(model.assets || [])].map((x) => x.id);
}

async function checkNames(page, modelPath) {
  const summary = await page.locator('section.summary').innerText();
  const ids = modelIds(modelPath);
  const words = new Set(summary.split(/[\s(),;:]+/).map(
    (w) => w.replace(/\.$/, '')));
  const seen = ids.filter((id) => words.has(id));
  check(seen.length === 0, `no flow or asset id on the decision page: ${seen}`);
  const model = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
  const siteNames = new Set(model.sites.map((s) => s.name));
  const from = await page.locator('#flows ~ table.sortable').first()
    .evaluate((t) => Array.from(t.tBodies[0].rows, (r) => r.cells[3].textContent));
  check(from.length > 0 && from.every((n) => siteNames.has(n)),
    `the flows table names sites, not ids: ${from.slice(0, 3)}`);
  check(/What to do first/.test(summary) && /Replace the /.test(summary),
    'the summary says what to do first');
  check(/Vendor margin: of the \d+ critical flows, \d+ ha(s|ve) a margin of 1/
    .test(summary), 'the summary gives the vendor margin of critical flows');
  check(/What changed: no earlier version of the network/.test(summary),
    'the summary says there is no earlier version to compare with');
  /* Vendor shares by name, the id in the tooltip. */
  const entities = new Map((model.entities || []).map((e) => [e.id, e.name]));
  const parts = await page.locator('.bar span[title]').evaluateAll((ss) =>
    ss.map((x) => [x.textContent, x.getAttribute('title')]));
  const labelled = parts.filter(([t]) => t.length > 0);
  check(labelled.length > 0 && labelled.every(([t, title]) =>
    !entities.has(t) && /\(([^)]+)\) \d+%$/.test(title) &&
    entities.get(title.match(/\(([^)]+)\) \d+%$/)[1]) === t),
  `vendor shares are labelled by name, the id in the tooltip: ${
    labelled.slice(0, 3)}`);
}

async function checkMap(page) {
  const land = await page.locator('svg.map path.land').getAttribute('d');
  check(land && land.length > 1000, 'the land layer is drawn');
  check(await page.locator('svg.map path.border').count() === 1,
    'national borders are drawn');
  const keys = await page.locator('svg.map g.key').count();
  const rows = await page.locator('table.sitekey tbody tr').count();
  check(keys > 0 && keys === rows,
    `critical sites are numbered on the map (${keys}) and keyed (${rows})`);
  check(await page.locator('svg.map text.place').count() >= 3,
    'the largest places are labelled');
  check(await page.locator('svg.map g.scale text').count() === 1,
    'a scale bar');
  /* The lens keeps other groups' worst flows in plain sight. */
  const others = await page.locator(
    'svg.map .flow[data-level="must"]:not(.hit)').evaluateAll((ls) =>
    ls.map((l) => parseFloat(getComputedStyle(l).opacity)));
  check(others.length > 0 && others.every((o) => o >= 0.6),
    `other groups' must flows are drawn plainly: ${others.slice(0, 5)}`);
}

/* The flows table filters by sector and classification (the map's lines
 * too) and by text; a click on a row picks its flow: its line on the map
 * stands out, the rest fade, its culprits are written under the map. */
async function checkFlows(page) {
  const rows = page.locator('#flowfilter + table tbody tr');
  const all = await rows.count();
  const sectors = await page.locator('#flowsector option').evaluateAll(
    (os) => os.map((o) => o.value).filter((v) => v));
  check(sectors.length > 1, `sectors to filter by: ${sectors}`);
  const sector = sectors[0];
  await page.selectOption('#flowsector', sector);
  const shown = await rows.evaluateAll((rs) => rs.filter((r) => !r.hidden)
    .map((r) => r.dataset.sector));
  check(shown.length > 0 && shown.length < all &&
    shown.every((s) => s === sector),
  `the sector filter keeps the ${sector} rows: ${shown.length} of ${all}`);
  const lines = await page.locator('svg.map .flow[data-flow]').evaluateAll(
    (ls) => ls.map((l) => [l.dataset.sector, getComputedStyle(l).display]));
  check(lines.length > 0 && lines.every(([s, d]) =>
    (s === sector) === (d !== 'none')),
  'the sector filter hides the other sectors\' flows on the map');
  await page.selectOption('#flowsector', '');
  const cls = await page.locator('#flowclass option').evaluateAll(
    (os) => os.map((o) => o.value).filter((v) => v));
  await page.selectOption('#flowclass', cls[0]);
  const byClass = await rows.evaluateAll((rs) => rs.filter((r) => !r.hidden)
    .map((r) => r.dataset.class));
  check(byClass.length > 0 && byClass.every((c) => c === cls[0]),
    `the classification filter keeps the ${cls[0]} rows`);
  await page.selectOption('#flowclass', '');
  const row = rows.first();
  const id = await row.getAttribute('data-flow');
  await page.fill('#flowq', id);
  const found = await rows.evaluateAll((rs) => rs.filter((r) => !r.hidden)
    .map((r) => r.dataset.flow));
  check(found.includes(id) && found.length < all,
    `searching for ${id} finds its row: ${found}`);
  await page.fill('#flowq', '');
  await row.click();
  const picked = await page.locator('svg.map .flow.sel').evaluateAll((ls) =>
    ls.map((l) => [l.dataset.flow, parseFloat(getComputedStyle(l)
      .strokeWidth)]));
  check(picked.length === 1 && picked[0][0] === id && picked[0][1] >= 4,
    `clicking ${id}'s row highlights its route: ${picked}`);
  const faded = await page.locator('svg.map .flow:not(.sel)').evaluateAll(
    (ls) => ls.map((l) => parseFloat(getComputedStyle(l).opacity)));
  check(faded.every((o) => o < 0.5), 'the other flows fade');
  const culprits = await row.evaluate((r) => r.cells[8].textContent);
  const info = await page.locator('#flowinfo').innerText();
  check(culprits.length > 0 && info.includes(culprits),
    `its culprits are named under the map: ${info}`);
  await row.click();
  check(await page.locator('svg.map .flow.sel').count() === 0 &&
    !(await page.locator('#flowinfo').isVisible()),
  'a second click lets it go');
}

async function run(reportPath, modelPath, shotPath, pdfPath, marking) {
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
    await checkMap(page);
    await checkNames(page, modelPath);
    await checkFlows(page);
    check(await page.locator('.marking').count() === 2 &&
      (await page.locator('.marking.top').innerText()) === marking,
      'the marking is at the top and bottom of the screen');

    await page.screenshot({ path: shotPath, fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shotPath.replace(/\.png$/, '-first.png') });
    await page.locator('svg.map').screenshot(
      { path: shotPath.replace(/\.png$/, '-map.png') });
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

const [reportPath, modelPath, shotPath, pdfPath, marking] =
  process.argv.slice(2);
run(reportPath, modelPath, shotPath, pdfPath, marking).then(() => {
  checkPdf(pdfPath, marking);
  console.log(`browser: ${passed} passed, ${failed} failed (screenshot ` +
    `${shotPath})`);
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.log(`browser: ${e.message}`);
  process.exit(1);
});
