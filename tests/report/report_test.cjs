// Renders innosim's HTML report in headless Chromium (Debian's, driven by playwright-core) and
// checks that every chart is drawn, that nothing is logged as an error, and that the page asks
// for nothing over the network (it must work offline). Keeps the report, a full-page screenshot
// and a printed PDF as test artefacts.
//
//   node report_test.cjs INNOSIM NODE_MODULES ARTEFACT_DIR
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
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

(async () => {
  fs.mkdirSync(artefacts, { recursive: true });
  const html = path.join(artefacts, 'report.html');
  fs.rmSync(html, { force: true });
  // A comparison with the counterfactual, a variant and per-municipality end states (for the map).
  execFileSync(innosim, ['compare', 'baseline', 'no-programme', 'half-budget', 'small-municipality-quota',
    '--replicates', '8', '--quiet', '--tables', '--output', path.join(artefacts, 'report.h5'), '--report', html],
  { stdio: ['ignore', 'ignore', 'inherit'] });
  check(fs.existsSync(html), 'innosim compare --report wrote the report');

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) {
      problems.push('network request: ' + r.url());
    }
  });
  await page.goto('file://' + path.resolve(html));
  await page.waitForFunction(() => document.body.dataset.charts !== undefined, null, { timeout: 60000 });
  const state = await page.evaluate(() => document.body.dataset.charts);
  check(state === 'rendered', `all charts rendered (state: ${state})`);
  const charts = await page.evaluate(() => [...document.querySelectorAll('.chart')].map((d) => {
    const svg = d.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    return { id: d.id, width: box.width, height: box.height, marks: svg ? svg.querySelectorAll('path').length : 0 };
  }));
  check(charts.length === 6,
    `six charts (adoption, groups, group differences, two maps, funnel): ${charts.map((c) => c.id)}`);
  for (const c of charts) {
    check(c.width > 200 && c.height > 100, `${c.id} has a drawing (${c.width} x ${c.height})`);
    check(c.marks > 10, `${c.id} has marks (${c.marks})`);
  }
  const map = charts.find((c) => c.id === 'chart-map-0');
  check(map && map.marks >= 357, `the map shows every municipality (${map && map.marks} paths)`);
  const headline = await page.evaluate(() => document.querySelector('table').innerText);
  check(headline.includes('adoptions') && headline.includes('no-programme'), 'the headline table');
  // The answer comes first: a paragraph of sentences per scenario, with intervals.
  const summary = await page.evaluate(() => [...document.querySelectorAll('section.summary p')].map((p) => p.innerText));
  check(summary.length >= 4 && summary[0].startsWith('baseline (the reference)') &&
    summary.some((p) => p.startsWith('no-programme') && /\[.* – .*\]/.test(p)),
  `the summary opens the report: ${summary.join(' | ')}`);
  const sections = await page.evaluate(() => [...document.querySelectorAll('h2')].map((h) => h.innerText));
  check(sections[0] === 'Summary', `the summary is the first section: ${sections}`);
  check(sections.some((h) => h.startsWith('Who gains')) && sections.some((h) => h.startsWith('What the programme did')),
    `group differences and the programme's activity: ${sections}`);
  // The difference map greys out municipalities whose interval includes 0, and its legend has a unit.
  const diffMap = await page.evaluate(() => {
    const svg = document.querySelector('#chart-map-1 svg');
    const fills = [...svg.querySelectorAll('path')].map((p) => p.getAttribute('fill'));
    return { grey: fills.filter((f) => f === '#cfcfcf').length, text: svg.textContent };
  });
  check(diffMap.grey > 0 && diffMap.text.includes('difference in adoptions'),
    `the difference map marks what is not clear (${diffMap.grey} grey) and names its unit`);
  // Whole programme years on the time axis.
  const ticks = await page.evaluate(() => [...document.querySelectorAll('#chart-adoption svg .role-axis-label text')]
    .map((t) => t.textContent));
  check(ticks.length > 0 && ticks.every((t) => /^[0-9,]+$/.test(t)), `whole-number ticks only: ${ticks}`);
  check(problems.length === 0, 'no errors and no network requests: ' + problems.join('; '));
  await page.screenshot({ path: path.join(artefacts, 'report.png'), fullPage: true });
  await page.pdf({ path: path.join(artefacts, 'report.pdf'), format: 'A4', printBackground: true });
  check(fs.statSync(path.join(artefacts, 'report.pdf')).size > 20000, 'the report prints to PDF');

  // The same comparison in bokmål: every heading, and the charts draw.
  const nbHtml = path.join(artefacts, 'report-nb.html');
  execFileSync(innosim, ['report', path.join(artefacts, 'report.h5'), '-o', nbHtml, '--lang', 'nb'], { stdio: 'ignore' });
  const nb = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  nb.on('console', (m) => { if (m.type() === 'error') problems.push('nb report console error: ' + m.text()); });
  nb.on('pageerror', (e) => problems.push('nb report page error: ' + e));
  await nb.goto('file://' + path.resolve(nbHtml));
  await nb.waitForFunction(() => document.body.dataset.charts !== undefined, null, { timeout: 60000 });
  check(await nb.evaluate(() => document.body.dataset.charts) === 'rendered', 'the bokmål report renders');
  const nbText = await nb.evaluate(() => ({
    lang: document.documentElement.lang,
    headings: [...document.querySelectorAll('h2')].map((h) => h.innerText),
    // The built-in scenarios' descriptions too: they have their description_nb.
    body: document.body.innerText,
  }));
  check(nbText.lang === 'nb', `html lang="nb" (${nbText.lang})`);
  check(JSON.stringify(nbText.headings) === JSON.stringify(['Sammendrag', 'Hva som ble sammenlignet', 'Hovedresultater',
    'Adopsjon over tid', 'Resultater etter sentralitet og størrelse', 'Hvem tjener på det: forskjeller fra baseline etter gruppe',
    'Hva programmet gjorde: arenaer, meglere og midler', 'Hvor: Norges kommuner',
    'Utlysningene: søknader, tildelinger, resultater', 'Metode']), `the bokmål headings: ${nbText.headings}`);
  for (const english of ['Headline results', 'adoptions per', 'Warning:', 'MNOK', 'inhabitants', 'programme year']) {
    check(!nbText.body.includes(english), `English left in the bokmål report: '${english}'`);
  }
  check(/\d\u202f\d{3}/.test(nbText.body) && /\d,\d/.test(nbText.body),
    'bokmål numbers: narrow no-break space between thousands, decimal comma');
  await nb.screenshot({ path: path.join(artefacts, 'report-nb.png'), fullPage: true });

  // The report of a single run's result file (innosim report): one map, no differences.
  const run = path.join(artefacts, 'run.h5');
  const runHtml = path.join(artefacts, 'run-report.html');
  execFileSync(innosim, ['run', 'adaptive', '--replicates', '4', '--quiet', '--output', run], { stdio: 'ignore' });
  execFileSync(innosim, ['report', run, '-o', runHtml], { stdio: 'ignore' });
  const second = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  second.on('console', (m) => { if (m.type() === 'error') problems.push('run report console error: ' + m.text()); });
  second.on('pageerror', (e) => problems.push('run report page error: ' + e));
  await second.goto('file://' + path.resolve(runHtml));
  await second.waitForFunction(() => document.body.dataset.charts !== undefined, null, { timeout: 60000 });
  check(await second.evaluate(() => document.body.dataset.charts) === 'rendered', 'the run report renders');
  check(await second.evaluate(() => document.querySelectorAll('.chart svg').length) === 4, 'a run report has 4 charts');
  check(problems.length === 0, 'no errors in the run report: ' + problems.join('; '));
  await second.screenshot({ path: path.join(artefacts, 'run-report.png'), fullPage: true });

  // The report of a sweep with Sobol indices (innosim sweep, analyse sobol, report).
  const sweepYaml = path.join(artefacts, 'sweep.yaml');
  fs.writeFileSync(sweepYaml, 'description: A small Saltelli sweep for the report test.\nbase: baseline\n' +
    'replicates: 1\nyears: 3\ndesign: {type: saltelli, base_rows: 6}\nfactors:\n' +
    '  programme.budget_mnok_per_year: {min: 10, max: 200}\n  diffusion.q_per_year: {min: 0.1, max: 1}\n');
  const sweep = path.join(artefacts, 'sweep.h5');
  const sweepHtml = path.join(artefacts, 'sweep-report.html');
  for (const f of [sweep, sweep + '.journal', sweep + '.lock']) fs.rmSync(f, { force: true });
  execFileSync(innosim, ['sweep', sweepYaml, '-o', sweep, '--quiet'], { stdio: 'ignore' });
  execFileSync(innosim, ['analyse', 'sobol', sweep, '--bootstrap', '100'], { stdio: 'ignore' });
  execFileSync(innosim, ['report', sweep, '-o', sweepHtml], { stdio: 'ignore' });
  const third = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  third.on('console', (m) => { if (m.type() === 'error') problems.push('sweep report console error: ' + m.text()); });
  third.on('pageerror', (e) => problems.push('sweep report page error: ' + e));
  await third.goto('file://' + path.resolve(sweepHtml));
  await third.waitForFunction(() => document.body.dataset.charts !== undefined, null, { timeout: 60000 });
  check(await third.evaluate(() => document.body.dataset.charts) === 'rendered', 'the sweep report renders');
  const sweepCharts = await third.evaluate(() => [...document.querySelectorAll('.chart')].map((d) => ({
    id: d.id, marks: d.querySelector('svg') ? d.querySelector('svg').querySelectorAll('path').length : 0 })));
  check(sweepCharts.map((c) => c.id).join() === 'chart-scatter,chart-sobol',
    `a sweep report has the scatter and Sobol charts: ${sweepCharts.map((c) => c.id)}`);
  // 24 points x 2 factors x 5 results in the scatter; 5 results x 2 factors x 2 indices as bars.
  check(sweepCharts.every((c) => c.marks > 20), `the sweep charts have marks: ${JSON.stringify(sweepCharts)}`);
  const sobolTable = await third.evaluate(() => [...document.querySelectorAll('table')].map((t) => t.innerText).join('\n'));
  check(sobolTable.includes('programme.budget_mnok_per_year') && sobolTable.includes('ST'), 'the Sobol table');
  // A few base rows: the report says the indices are no more than a ranking, and the axis is not
  // clamped to [0, 1] (its domain reaches every interval).
  const sobolWarning = await third.evaluate(() => [...document.querySelectorAll('p.warning')].map((p) => p.innerText).join(' '));
  check(/rest on \d+ base rows/.test(sobolWarning), `the sweep report warns about few base rows: ${sobolWarning}`);
  check(problems.length === 0, 'no errors in the sweep report: ' + problems.join('; '));
  await third.screenshot({ path: path.join(artefacts, 'sweep-report.png'), fullPage: true });

  // The report of a calibration (innosim calibrate on the classic Bass model, then report).
  const bassYaml = path.join(artefacts, 'bass-1000.yaml');
  fs.writeFileSync(bassYaml, 'description: Bass on 1,000 agents.\nmodel: {type: bass, p_innovation_per_step: 0.01, ' +
    'q_imitation_per_step: 0.08, step_rule: exact}\ngraph: {type: complete, nodes: 1000}\nseeding: {strategy: none}\n' +
    'run: {seed: 1, replicates: 1, steps: 60}\n');
  const calibYaml = path.join(artefacts, 'calibration.yaml');
  fs.writeFileSync(calibYaml, 'description: The report test\'s calibration of p and q.\nmodel: classic\n' +
    'base: bass-1000.yaml\nseed: 3\nparticles: 80\ngenerations: 4\nparameters:\n' +
    '  model.p_innovation_per_step: {prior: loguniform, min: 0.001, max: 0.1}\n' +
    '  model.q_imitation_per_step: {prior: loguniform, min: 0.008, max: 0.8}\ntargets:\n' +
    '  - {name: step 10, indicator: adopters, reading: at_step, step: 10, observed: 138, sd: 15, source: s, definition: d}\n' +
    '  - {name: step 30, indicator: adopters, reading: at_step, step: 30, observed: 601, sd: 30, source: s, definition: d}\n');
  const calib = path.join(artefacts, 'calibration.h5');
  const calibHtml = path.join(artefacts, 'calibration-report.html');
  for (const f of [calib, calib + '.journal', calib + '.lock']) fs.rmSync(f, { force: true });
  execFileSync(innosim, ['calibrate', calibYaml, '-o', calib, '--quiet'], { stdio: 'ignore' });
  execFileSync(innosim, ['report', calib, '-o', calibHtml], { stdio: 'ignore' });
  const fourth = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  fourth.on('console', (m) => { if (m.type() === 'error') problems.push('calibration report console error: ' + m.text()); });
  fourth.on('pageerror', (e) => problems.push('calibration report page error: ' + e));
  await fourth.goto('file://' + path.resolve(calibHtml));
  await fourth.waitForFunction(() => document.body.dataset.charts !== undefined, null, { timeout: 60000 });
  check(await fourth.evaluate(() => document.body.dataset.charts) === 'rendered', 'the calibration report renders');
  const calibCharts = await fourth.evaluate(() => [...document.querySelectorAll('.chart')].map((d) => ({
    id: d.id, marks: d.querySelector('svg') ? d.querySelector('svg').querySelectorAll('path').length : 0 })));
  check(calibCharts.map((c) => c.id).join() ===
    'chart-marginal-0,chart-marginal-1,chart-pair-0,chart-predictive,chart-generations',
    `a calibration report has marginals, a pair, the predictive check and the generations: ${calibCharts.map((c) => c.id)}`);
  check(calibCharts.every((c) => c.marks > 3), `the calibration charts have marks: ${JSON.stringify(calibCharts)}`);
  const calibText = await fourth.evaluate(() => document.body.innerText);
  check(calibText.includes('model.q_imitation_per_step') && calibText.includes('Posterior predictive check'),
    'the calibration report names its parameters and checks its targets');
  await fourth.screenshot({ path: path.join(artefacts, 'calibration-report.png'), fullPage: true });

  // The sweep and calibration reports in bokmål: they render, their headings are bokmål, and
  // none of the English phrases a missed translation would leave is there.
  for (const [file, headings, english] of [
    [sweep, ['Hva som ble variert', 'Hvert resultat mot hver parameter', 'Hvilke parametere betyr noe: Sobol-indekser',
      'Sobol-indekser', 'Metode'], ['What was varied', 'Warning:', 'share of variance', 'base rows']],
    [calib, ['Posterior', 'Posterior mot prior', 'De sterkest korrelerte parene', 'Prediktiv posteriorsjekk', 'Mål',
      'Toleranse og akseptanse per generasjon', 'Generasjoner', 'Metode'],
    ['Posterior against prior', 'generation', 'Targets', 'Warning', 'weight', 'share per bin']]]) {
    const nbOut = file.replace('.h5', '-nb.html');
    execFileSync(innosim, ['report', file, '-o', nbOut, '--lang', 'nb'], { stdio: 'ignore' });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (e) => problems.push(`${nbOut} page error: ` + e));
    await page.goto('file://' + path.resolve(nbOut));
    await page.waitForFunction(() => document.body.dataset.charts !== undefined, null, { timeout: 60000 });
    check(await page.evaluate(() => document.body.dataset.charts) === 'rendered', `${nbOut} renders`);
    const seen = await page.evaluate(() => ({
      headings: [...document.querySelectorAll('h2')].map((h) => h.innerText), body: document.body.innerText }));
    check(JSON.stringify(seen.headings.filter((h) => h !== 'Advarsler')) === JSON.stringify(headings),
      `${nbOut} headings: ${seen.headings}`);
    for (const e of english) check(!seen.body.includes(e), `English left in ${nbOut}: '${e}'`);
  }
  check(problems.length === 0, 'no errors in the bokmål sweep and calibration reports: ' + problems.join('; '));
  await browser.close();
  console.log(`${failures.length} failure(s); artefacts in ${artefacts}`);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => {
  console.log('FAIL: ' + e);
  process.exit(1);
});
