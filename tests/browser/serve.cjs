/*
 * serve.cjs - the web page of `netvet serve` in headless Chromium, used
 * as a person would: a fresh store and a key made with `netvet serve keys
 * add`, the server on a loopback port it picks, then in the page: a wrong
 * key refused and the right one taken (name and permissions shown); a
 * broken upload refused with the loader's upload:LINE:COL; the example
 * uploaded and opened as its report; Huawei war-gamed; a flow picked in
 * the report's table and its route highlighted on the map with its
 * culprits named; a modified copy uploaded and the two compared; the
 * posture chart and the release matrix with reasons; the newest deleted;
 * log out; then a read-only key offered no change and no analysis.  No
 * console error (a Content-Security-Policy violation is one) and no
 * request to anywhere but the server.  Screenshots beside SCREENSHOT.
 * Usage: node serve.cjs NETVET MODEL.json SCREENSHOT.png
 */
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawn } = require('child_process');

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
const GROUP = 'vendor:huawei';
const WAIT = 60000;

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

/* A fresh store, a key with every permission, and the server listening
 * on a port of its choosing (read back from its first line). */
async function startServer(netvet, dir) {
  const db = path.join(dir, 'history.db');
  execFileSync(netvet, ['store', 'init', db], { stdio: 'ignore' });
  const key = execFileSync(netvet, ['serve', 'keys', 'add', db, '--name',
    'analyst', '--permissions', 'read,write,analyse,admin'],
  { encoding: 'utf8' }).trim();
  const reader = execFileSync(netvet, ['serve', 'keys', 'add', db, '--name',
    'reader', '--permissions', 'read'], { encoding: 'utf8' }).trim();
  const server = spawn(netvet, ['serve', '--store', db, '--listen',
    '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(
      `netvet serve did not say where it listens: ${log}`)), WAIT);
    server.stderr.on('data', (d) => {
      log += d;
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(
      `netvet serve exited with ${code}: ${log}`)));
  });
  return { server, url, key, reader };
}

/* The model with its first twenty Huawei assets made Nokia's: a better
 * network to compare with. */
function modifiedCopy(modelPath, dir) {
  const model = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
  let n = 0;
  for (const a of model.assets)
    if (/^huawei/i.test(a.vendor || '') && n++ < 20)
      a.vendor = 'Nokia';
  const out = path.join(dir, 'model-2.json');
  fs.writeFileSync(out, JSON.stringify(model));
  return { path: out, changed: n > 20 ? 20 : n };
}

async function upload(page, file, message) {
  await page.goto(page.url().replace(/#.*/, '') + '#/snapshots');
  await page.waitForSelector('#upload');
  await page.setInputFiles('#upload-file', file);
  await page.fill('#upload-message', message);
  await page.click('#upload button[type=submit]');
}

/* The report once shown in the page (in a shadow root, which the
 * locators see into); with group, the war-gamed one. */
async function report(page, group) {
  await page.waitForSelector(
    `#report[data-ready="1"][data-group="${group || ''}"]`, { timeout: WAIT });
  return page.locator('#report');
}

/* An admin deletes the newest snapshot, with a reason. */
async function deleteNewest(page) {
  await page.goto(page.url().replace(/#.*/, '') + '#/snapshots');
  await page.waitForSelector('#snapshots table');
  const rows = page.locator('#snapshots tbody tr');
  const before = await rows.count();
  await rows.first().locator('button.danger').click();
  await page.fill('#snapshots input[aria-label="Why it is deleted"]',
    'uploaded by mistake');
  await rows.first().locator('button[type=submit]').click();
  await page.waitForFunction((n) => document.querySelectorAll(
    '#snapshots tbody tr').length === n - 1, before);
  check(true, 'an admin deletes a snapshot with a reason');
}

/* A key that may only read sees no upload, delete or release matrix; the
 * report still opens. */
async function readOnly(page, key, id) {
  await page.fill('#key', key);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#user');
  check((await page.innerText('#perms')) === 'read',
    `a reader's permissions: ${await page.innerText('#perms')}`);
  await page.waitForSelector('#snapshots table');
  check(await page.locator('#upload').count() === 0 &&
    await page.locator('#snapshots button.danger').count() === 0,
  'a reader is offered no upload and no delete');
  await page.goto(page.url().replace(/#.*/, '') + `#/snapshot/${id}`);
  await report(page);
  check(await page.locator('#release-link').count() === 0,
    'a reader is offered no release matrix');
}

async function logIn(page, key) {
  await page.waitForSelector('#login');
  await page.fill('#key', 'not-a-key');
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#error.shown');
  check(/401|unauthori[sz]ed|key/i.test(await page.innerText('#error')),
    `a wrong key is refused: ${await page.innerText('#error')}`);
  await page.fill('#key', key);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#user');
  check((await page.innerText('#user')).includes('analyst'),
    'the page says who is logged in');
  check((await page.innerText('#perms')) === 'read, write, analyse, admin',
    `and their permissions: ${await page.innerText('#perms')}`);
}

async function badUpload(page, dir) {
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"netvet": 1,\n  "sites": [\n    {"id": }\n]}\n');
  await upload(page, bad, 'a broken file');
  await page.waitForSelector('#error.shown');
  const text = await page.innerText('#error');
  check(/upload:3:\d+:/.test(text),
    `a broken upload shows the loader's upload:LINE:COL: ${text}`);
}

/* War-game the group: the report's blast radius names it and draws the
 * flows it is on. */
async function warGame(page) {
  const options = await page.$$eval('#group option', (os) =>
    os.map((o) => o.value));
  check(options.includes(GROUP) && !options.includes('vendor:nokia'),
    `${GROUP} can be war-gamed, a trusted vendor not: ${options}`);
  await page.selectOption('#group', GROUP);
  const rep = await report(page, GROUP);
  const blast = await rep.locator('.mapsection .verdict').innerText();
  check(/If Huawei .* turned hostile, it could read \d+ of \d+/.test(blast),
    `the report gives Huawei's blast radius: ${blast.slice(0, 80)}`);
  check(await rep.locator('svg.map .flow.hit').count() > 0,
    'the flows Huawei is on are drawn thick');
  return rep;
}

/* Click the first listed flow whose route is on the map. */
async function pickFlow(page, rep) {
  const id = await rep.evaluate((host) => {
    const root = host.shadowRoot;
    const drawn = new Set(Array.from(root.querySelectorAll(
      'svg.map .flow[data-flow]'), (l) => l.dataset.flow));
    const row = Array.from(root.querySelectorAll('tr[data-flow]'))
      .find((r) => drawn.has(r.dataset.flow));
    return row && row.dataset.flow;
  });
  check(!!id, 'a listed flow has its route on the map');
  const row = rep.locator(`tr[data-flow="${id}"]`);
  await row.click();
  const picked = await rep.locator('svg.map .flow.sel').evaluateAll((ls) =>
    ls.map((l) => [l.dataset.flow, parseFloat(getComputedStyle(l)
      .strokeWidth), l.getAttribute('points').split(' ').length]));
  check(picked.length === 1 && picked[0][0] === id && picked[0][1] >= 4 &&
    picked[0][2] >= 2, `clicking ${id} highlights its route: ${picked}`);
  const culprits = await row.evaluate((r) => r.cells[8].textContent);
  const info = await rep.locator('#flowinfo').innerText();
  check(culprits.length > 0 && info.includes(culprits),
    `its culprits are named under the map: ${info.slice(0, 120)}`);
  await page.waitForFunction((f) => location.hash.includes('flow=' + f), id);
  check(true, 'the picked flow is kept in the address');
  return id;
}

async function compare(page, changed) {
  await page.goto(page.url().replace(/#.*/, '') + '#/snapshots');
  await page.waitForSelector('#snapshots table');
  const boxes = page.locator('#snapshots tbody input[type=checkbox]');
  check(await boxes.count() === 2, 'both uploads are listed');
  /* Picked newest first: the page still compares the older to the newer. */
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.click('#compare');
  await page.waitForSelector('#verdict', { timeout: WAIT });
  const verdict = await page.innerText('#verdict');
  check(/made nothing worse/.test(verdict) && /Risk score [\d.]+ → [\d.]+/
    .test(verdict), `the diff says the change made nothing worse: ${verdict}`);
  const assets = await page.$$eval('#diff table', (ts) => {
    const row = Array.from(ts[0].tBodies[0].rows).find((r) =>
      r.cells[0].textContent === 'assets');
    return row ? row.cells[3].textContent : '';
  });
  check(assets === String(changed), `${changed} assets changed: ${assets}`);
  const better = await page.locator('#diff td.ok', { hasText: 'better' })
    .count();
  check(better > 0, `flows whose exposure got better are listed: ${better}`);
}

async function posture(page) {
  await page.goto(page.url().replace(/#.*/, '') + '#/posture');
  await page.waitForSelector('#posture svg.chart', { timeout: WAIT });
  const lines = await page.$$eval('#posture svg.chart polyline', (ls) =>
    ls.map((l) => l.getAttribute('points').split(' ').length));
  check(lines.length >= 4 && lines.every((n) => n === 2),
    `the posture chart has a line per level over both snapshots: ${lines}`);
  const legend = await page.innerText('#posture figcaption');
  check(/must.*routed.*failover.*may/s.test(legend) && !/object/.test(legend),
    `the chart's legend names the levels: ${legend}`);
}

async function release(page, id) {
  await page.goto(page.url().replace(/#.*/, '') + `#/snapshot/${id}/release`);
  await page.waitForSelector('#release table', { timeout: WAIT });
  const cells = await page.$$eval('#release td.allow, #release td.deny',
    (cs) => cs.map((c) => c.className));
  check(cells.includes('allow') && cells.includes('deny'),
    'the release matrix allows and denies');
  const first = page.locator('#release td.deny details').first();
  await first.locator('summary').click();
  const why = await first.locator('p').innerText();
  check(/pack uk-2020/.test(why), `a decision gives its reason: ${why}`);
}

async function run(netvet, modelPath, shotPath) {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing (scripts/deps --test-extras)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netvet-serve-'));
  const srv = await startServer(netvet, dir);
  const context = await chromium.launchPersistentContext(
    path.join(dir, 'profile'), { executablePath: CHROMIUM, headless: true,
      args: ARGS, viewport: { width: 1366, height: 900 } });
  const errors = [];
  const foreign = [];
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('console', (m) => m.type() === 'error' &&
      !/status of 40[01]/.test(m.text()) && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    context.on('request', (r) => r.url().startsWith(srv.url + '/') ||
      foreign.push(r.url()));
    await page.goto(srv.url + '/');
    await logIn(page, srv.key);
    await badUpload(page, dir);
    await upload(page, modelPath, 'the example network');
    await page.waitForFunction(() => /^#\/snapshot\/[0-9a-f]+/
      .test(location.hash), null, { timeout: WAIT });
    const first = page.url().match(/#\/snapshot\/([0-9a-f]+)/)[1];
    await report(page);
    check((await page.innerText('#meta')).includes('the example network'),
      'the uploaded snapshot opens with its message');
    const rep = await warGame(page);
    await pickFlow(page, rep);
    await page.screenshot({ path: shotPath, fullPage: true });
    await rep.locator('svg.map').screenshot({
      path: shotPath.replace(/\.png$/, '-map.png') });

    /* A reloaded page gets its session (and CSRF token) back. */
    await page.reload();
    await page.waitForSelector('#user');
    const copy = modifiedCopy(modelPath, dir);
    await upload(page, copy.path, 'twenty Huawei assets replaced');
    await page.waitForFunction((id) => /^#\/snapshot\/[0-9a-f]+/
      .test(location.hash) && !location.hash.includes(id), first);
    await compare(page, copy.changed);
    await page.screenshot({ path: shotPath.replace(/\.png$/, '-diff.png'),
      fullPage: true });
    await posture(page);
    await release(page, first);
    await page.emulateMedia({ media: 'print' });
    check(!(await page.isVisible('header nav')), 'print hides the links');
    await page.emulateMedia({ media: 'screen' });

    await deleteNewest(page);
    await page.click('#logout');
    await page.waitForSelector('#login');
    const after = await page.evaluate(() => fetch('/api/v1/session')
      .then((r) => r.status));
    check(after === 401, `logged out, the session is gone: ${after}`);
    await readOnly(page, srv.reader, first);
    check(errors.length === 0, `no console or page errors: ${errors}`);
    check(foreign.length === 0, `no request but to the server: ${foreign}`);
  } finally {
    await context.close();
    srv.server.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const [netvet, modelPath, shotPath] = process.argv.slice(2);
run(path.resolve(netvet), modelPath, shotPath).then(() => {
  console.log(`browser serve: ${passed} passed, ${failed} failed ` +
    `(screenshot ${shotPath})`);
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.log(`browser serve: ${e.message}`);
  process.exit(1);
});
