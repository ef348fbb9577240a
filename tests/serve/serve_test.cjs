// The explorer (innosim serve) in headless Chromium, as a policy analyst would use it: open it,
// move the budget slider, run, watch the comparison stream in with intervals, reload the shared
// URL and get the result from the cache, switch to bokmål, download the report. Nothing is
// logged as an error and no request leaves localhost.
//
//   node serve_test.cjs INNOSIM NODE_MODULES ARTEFACT_DIR
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [innosim, modules, artefacts] = process.argv.slice(2);
const { chromium } = require(path.resolve(modules, 'playwright-core'));

const failures = [];
function check(ok, message) {
  if (!ok) {
    failures.push(message);
    console.log('FAIL: ' + message);
  }
}

function startServer(dir) {
  return new Promise((resolve, reject) => {
    const server = spawn(innosim, ['serve', '--port', '0', '--dir', dir, '--threads', '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    server.stdout.on('data', (d) => {
      text += d;
      const m = text.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve({ server, url: m[0] });
    });
    server.on('exit', (code) => reject(new Error(`innosim serve exited with ${code}: ${text}`)));
    setTimeout(() => reject(new Error('innosim serve did not say where it listens')), 20000);
  });
}

(async () => {
  fs.mkdirSync(artefacts, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innosim-serve-'));
  const { server, url } = await startServer(dir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e));
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) {
      problems.push('request outside the server: ' + r.url());
    }
  });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30000 });
  const levers = await page.evaluate(() => [...document.querySelectorAll('#levers input')].length);
  check(levers >= 10, `the levers from the parameter registry: ${levers}`);

  // The analyst's question: 20 % of the budget from innovation projects to arenas and brokers
  // (one slider: the arenas' share takes it from innovation projects), and more brokers.
  const shares = await page.evaluate(() => {
    const set = (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('input')); };
    set('lever-programme.share_arenas', 0.3);
    const read = (k) => Number(document.getElementById('lever-' + k).value);
    return ['pre_project', 'innovation_project', 'competence_project', 'arenas'].map((k) => read('programme.share_' + k));
  });
  check(JSON.stringify(shares) === JSON.stringify([0.1, 0.35, 0.25, 0.3]), `moving 20 % to arenas: shares ${shares}`);
  // Move the budget to 90 MNOK and run with 10 replicates; record every state the page shows.
  await page.evaluate(() => {
    const set = (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('input')); };
    set('lever-arenas.brokers_per_county', 4);
    set('lever-programme.budget_mnok_per_year', 90);
    set('replicates', 10);
    window.states = [];
    new MutationObserver(() => window.states.push(document.body.dataset.state))
      .observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
  });
  const started = Date.now();
  await page.click('#run');
  await page.waitForFunction(() => ['done', 'failed', 'refused'].includes(document.body.dataset.state), null, { timeout: 180000 });
  const seconds = (Date.now() - started) / 1000;
  const first = await page.evaluate(() => ({ state: document.body.dataset.state, states: window.states, hash: location.hash,
    cached: document.body.dataset.cached, job: document.body.dataset.job, status: document.getElementById('status').innerText,
    error: document.getElementById('error').innerText, table: document.getElementById('metrics').innerText }));
  check(first.state === 'done', `the comparison finished (${first.state}: ${first.error})`);
  check(first.states.includes('running'), `results streamed in while running: ${first.states}`);
  check(first.hash.includes('programme.budget_mnok_per_year=90') && first.hash.includes('r=10'), `the URL holds the scenario: ${first.hash}`);
  check(first.table.includes('explored') && first.table.includes('no-programme') && first.table.includes('['),
    `the table shows every scenario with intervals: ${first.table.slice(0, 200)}`);
  const marks = await page.evaluate(() => {
    const svg = document.querySelector('#chart-differences svg');
    return svg ? svg.querySelectorAll('path').length : 0;
  });
  check(marks > 10, `the differences chart is drawn (${marks} marks)`);
  console.log(`first run: ${seconds.toFixed(1)} s for 3 scenarios x 10 replicates`);
  await page.screenshot({ path: path.join(artefacts, 'explorer.png'), fullPage: true });

  // The shared URL in a fresh page: the same scenario, from the cache.
  const shared = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  shared.on('pageerror', (e) => problems.push('shared page error: ' + e));
  await shared.goto(url + first.hash);
  await shared.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 30000 });
  const again = await shared.evaluate(() => ({ cached: document.body.dataset.cached, job: document.body.dataset.job,
    table: document.getElementById('metrics').innerText }));
  check(again.cached === 'true' && again.job === first.job, `the shared URL is answered from the cache (${again.cached}, ${again.job})`);
  check(again.table === first.table, 'the cached result is the same');

  // Bokmål: the page and the table switch language.
  await shared.click('#lang-nb');
  const nb = await shared.evaluate(() => ({ title: document.getElementById('title').innerText, run: document.getElementById('run').innerText,
    table: document.getElementById('metrics').innerText, lang: document.documentElement.lang }));
  check(nb.title === 'innosim utforsker' && nb.run === 'Kjør sammenligningen' && nb.lang === 'nb', `bokmål page: ${JSON.stringify(nb).slice(0, 200)}`);
  check(nb.table.includes('adopsjoner') && nb.table.includes('utforsket'), `bokmål table: ${nb.table.slice(0, 200)}`);
  await shared.screenshot({ path: path.join(artefacts, 'explorer-nb.png'), fullPage: true });

  // The downloads: the report (in both languages), the scenario and the HDF5 file.
  const links = await shared.evaluate(() => [...document.querySelectorAll('#downloads a')].map((a) => a.href));
  check(links.length === 4, `four downloads: ${links}`);
  for (const link of links) {
    const r = await shared.request.get(link);
    check(r.status() === 200 && (await r.body()).length > 100, `${link}: ${r.status()}`);
  }
  const report = await (await shared.request.get(links.find((l) => l.endsWith('report-nb.html')))).text();
  check(report.includes('<html lang="nb">') && report.includes('Sammendrag'), 'the bokmål report');
  check(problems.length === 0, 'no errors and no requests outside the server: ' + problems.join('; '));

  await browser.close();
  server.kill('SIGTERM');
  const code = await new Promise((resolve) => server.on('exit', resolve));
  check(code === 0, `innosim serve stops cleanly on SIGTERM (exit ${code})`);
  console.log(`${failures.length} failure(s); artefacts in ${artefacts}`);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => {
  console.log('FAIL: ' + e);
  process.exit(1);
});
