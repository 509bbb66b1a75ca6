// End-to-end test of the web portal in real headless Chromium (playwright-core, no browser
// download: the Debian package /usr/bin/chromium), with axe-core accessibility checks.
// Started by scripts/e2e, which passes the server's address in PORTAIL_E2E_BASE.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const base = process.env.PORTAIL_E2E_BASE;
const shots = process.env.PORTAIL_E2E_SCREENSHOTS || path.resolve('..', 'target', 'e2e-screenshots');
const executablePath = process.env.PORTAIL_E2E_CHROMIUM || '/usr/bin/chromium';
const axePath = require.resolve('axe-core/axe.min.js');

let browser;
let page;

before(async () => {
  assert.ok(base, 'PORTAIL_E2E_BASE must be set (run scripts/e2e)');
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});

after(async () => {
  if (browser) { await browser.close(); }
});

async function shot(name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** Runs axe-core on the current page: no serious or critical violation allowed. */
async function checkAccessibility(name) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${name}: ${JSON.stringify(bad)}`);
}

const email = `camille.${Date.now()}@example.org`;
const title = `Pistes cyclables ${Date.now()}`;
let slug;
let apiKey;
let countsCsv;

test('sign up', async () => {
  await page.goto(`${base}/`);
  await checkAccessibility('home');
  await shot('01-home');
  await page.goto(`${base}/register`);
  await page.fill('#f-first_name', 'Camille');
  await page.fill('#f-last_name', 'Durand');
  await page.fill('#f-email', email);
  await page.fill('#f-password', 'a long enough password');
  await Promise.all([page.waitForURL(`${base}/me/`), page.click('button[type=submit]:has-text("Créer mon compte")')]);
  assert.match(await page.content(), new RegExp(email.replace(/\./g, '\\.')));
  await shot('02-profile');
});

test('create an organization', async () => {
  await page.goto(`${base}/organizations/new`);
  await page.fill('#f-name', 'Métropole de Valbourg E2E');
  await page.fill('#f-description', 'La métropole publie ses données de mobilité.');
  await Promise.all([page.waitForURL(/\/organizations\/[^/]+\/$/), page.click('button:has-text("Créer")')]);
  assert.match(await page.textContent('h1'), /Métropole de Valbourg E2E/);
});

test('publish a dataset with an uploaded file and a remote link', async () => {
  await page.goto(`${base}/publish`);
  await checkAccessibility('publish step 1');
  await shot('03-publish-owner');
  await page.check('text=Métropole de Valbourg E2E');
  await page.click('button:has-text("Continuer")');
  await page.waitForSelector('#f-title');
  await checkAccessibility('publish step 2');
  await page.fill('#f-title', title);
  await page.fill('#f-description', 'Les **pistes cyclables** de la métropole, avec leur longueur, mises à jour chaque mois.');
  await page.selectOption('#f-license', 'lov2');
  await page.selectOption('#f-frequency', 'monthly');
  await page.fill('#f-tags', 'vélo, mobilité');
  await page.fill('#f-temporal_start', '2021-01-01');
  await page.fill('#f-temporal_end', '2024-12-31');
  await shot('04-publish-describe');
  await Promise.all([page.waitForURL(/\/publish\/[^/]+\/resources$/), page.click('button:has-text("Continuer")')]);
  slug = page.url().split('/publish/')[1].split('/')[0];
  await checkAccessibility('publish step 3');
  const dir = mkdtempSync(path.join(tmpdir(), 'portail-e2e-'));
  const file = path.join(dir, 'troncons.csv');
  writeFileSync(file, 'id,longueur\n1,120\n2,340\n');
  await page.fill('#u-title', 'Tronçons 2024');
  await page.setInputFiles('#u-file', file);
  await Promise.all([page.waitForURL(/\/resources$/), page.waitForResponse((r) => r.url().includes('/upload')), page.click('button:has-text("Envoyer le fichier")')]);
  await page.waitForSelector('text=Tronçons 2024');
  // A file larger than a chunk goes in parts (udata's chunked protocol), with the progress bar
  // over the whole file; 1 KiB chunks here (2 MiB by default) to send several.
  await page.evaluate(() => document.querySelector('form[data-upload]').setAttribute('data-chunk-size', '1024'));
  const rows = ['site,jour,passages'];
  for (let i = 0; i < 400; i += 1) { rows.push(`${i % 7},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i * 3}`); }
  countsCsv = `${rows.join('\n')}\n`;
  const counts = path.join(dir, 'comptages.csv');
  writeFileSync(counts, countsCsv);
  const uploadCalls = [];
  const onRequest = (r) => { if (r.method() === 'POST' && r.url().includes('/upload')) { uploadCalls.push(r.url()); } };
  page.on('request', onRequest);
  await page.fill('#u-title', 'Comptages 2024');
  await page.setInputFiles('#u-file', counts);
  await page.click('button:has-text("Envoyer le fichier")');
  await page.waitForSelector('text=Comptages 2024');
  page.off('request', onRequest);
  const parts = Math.ceil(Buffer.byteLength(countsCsv) / 1024);
  assert.equal(uploadCalls.length, parts + 1, `${parts} chunks and the final call`);
  await page.fill('#l-url', 'https://carto.example.org/velo');
  await page.fill('#l-title', 'Carte interactive');
  await page.selectOption('#l-type', 'documentation');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Ajouter le lien")')]);
  await page.waitForSelector('text=Carte interactive');
  await shot('05-publish-resources');
  await page.click('a:has-text("Continuer")');
  await page.waitForSelector('#vis-public');
  await checkAccessibility('publish step 4');
  await Promise.all([page.waitForURL(`${base}/datasets/${slug}/`), page.click('button:has-text("Publier")')]);
  await checkAccessibility('dataset page');
  await shot('06-dataset');
  const html = await page.content();
  assert.match(html, /Tronçons 2024/);
  assert.match(html, /Carte interactive/);
  assert.match(html, /application\/ld\+json/);
  const dataset = await (await fetch(`${base}/api/1/datasets/${slug}/`)).json();
  const assembled = dataset.resources.find((r) => r.title === 'Comptages 2024');
  assert.ok(assembled, 'the chunked upload is a resource');
  assert.equal(assembled.filesize, Buffer.byteLength(countsCsv));
  assert.equal(await (await fetch(assembled.url)).text(), countsCsv);
});

test('find it through search, then download it', async () => {
  let found = false;
  for (let i = 0; i < 30 && !found; i += 1) {
    await page.goto(`${base}/datasets/?q=${encodeURIComponent('pistes cyclables')}`);
    found = (await page.content()).includes(title);
    if (!found) { await new Promise((r) => setTimeout(r, 300)); }
  }
  assert.ok(found, 'the dataset is found by search');
  await checkAccessibility('search page');
  await shot('07-search');
  await page.click(`a:has-text("${title}")`);
  const href = await page.getAttribute('a.btn:has-text("Télécharger : Tronçons 2024")', 'href');
  const response = await fetch(href);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'id,longueur\n1,120\n2,340\n');
});

test('edit it', async () => {
  await page.goto(`${base}/datasets/${slug}/edit`);
  await shot('08-edit');
  await page.fill('#f-title', `${title} (modifié)`);
  await Promise.all([page.waitForURL(/\/datasets\/[^/]+\/$/), page.click(`form[action="/datasets/${slug}/edit"] button[type=submit]`)]);
  assert.match(await page.textContent('h1'), /modifié/);
  // A new title gives a new slug (as in udata); the old address still resolves through the API.
  slug = page.url().split('/datasets/')[1].split('/')[0];
  await page.goto(`${base}/datasets/${slug}/dashboard`);
  assert.match(await page.content(), /Qualité des métadonnées/);
  await shot('09-dashboard');
});

test('live with it: follow, discuss, propose a community resource, look after it', async () => {
  await page.goto(`${base}/datasets/${slug}/`);
  await Promise.all([page.waitForURL(/#follow$/), page.click('button:has-text("Suivre ce jeu de données")')]);
  assert.match(await page.content(), /Ne plus suivre/);
  await page.fill('#dn-title', 'Tronçons manquants');
  await page.fill('#dn-comment', 'La piste du canal manque.');
  await Promise.all([page.waitForURL(/#discussion-/), page.click('button:has-text("Publier la discussion")')]);
  await page.fill('#cr-title', 'Carte des pistes');
  await page.fill('#cr-url', 'https://example.org/carte.geojson');
  await Promise.all([page.waitForURL(/#community$/), page.click('button:has-text("Proposer la ressource")')]);
  assert.match(await page.content(), /Carte des pistes/);
  await checkAccessibility('dataset page with community');
  await page.goto(`${base}/datasets/${slug}/dashboard`);
  assert.match(await page.content(), /Tronçons manquants/);
  assert.ok(await page.$('svg.chart[role=img] title'), 'charts have a title');
  await checkAccessibility('dashboard');
  await shot('09b-dashboard-living');
  await page.goto(`${base}/me/datasets`);
  assert.match(await page.content(), /modifié/);
  await checkAccessibility('my datasets');
  await page.goto(`${base}/me/transfers`);
  await checkAccessibility('transfers');
});

test('create an API key and use it with curl', async () => {
  await page.goto(`${base}/me/api-keys`);
  await page.fill('#f-name', 'e2e');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Créer une clé")')]);
  apiKey = (await page.textContent('#new-api-key')).trim();
  await shot('10-api-key');
  assert.match(apiKey, /^udata_/);
  const out = execFileSync('curl', ['-sS', '-H', `X-API-KEY: ${apiKey}`, `${base}/api/1/me/`]).toString();
  assert.equal(JSON.parse(out).email, email);
  await page.reload();
  assert.ok(!(await page.content()).includes(apiKey), 'the key is shown once');
});

test('delete a resource after confirming', async () => {
  const before = (await (await fetch(`${base}/api/1/datasets/${slug}/`)).json()).resources.length;
  await page.goto(`${base}/datasets/${slug}/edit`);
  await page.click('a.btn.danger[href*="/resources/"] >> nth=0');
  await page.waitForSelector('text=irréversible');
  await shot('11-confirm-delete');
  await Promise.all([page.waitForURL(`${base}/datasets/${slug}/edit`), page.click('button:has-text("Oui, supprimer")')]);
  const api = await (await fetch(`${base}/api/1/datasets/${slug}/`)).json();
  assert.equal(api.resources.length, before - 1);
});

test('switch to English', async () => {
  await page.goto(`${base}/`);
  await Promise.all([page.waitForNavigation(), page.click('a[hreflang=en]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.content(), /Find, use and publish open data/);
});
