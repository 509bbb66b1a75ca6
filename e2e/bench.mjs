// Load test of two pages against a running portal: node bench.mjs BASE [REQUESTS] [CONCURRENCY].
// Prints p50/p95/p99 latency (measured by the client on 127.0.0.1) and throughput for the
// dataset page and the search page (random words, facets on).
const [base, total = '2000', concurrency = '8'] = process.argv.slice(2);
const n = Number(total);
const c = Number(concurrency);

async function run(name, urlFor) {
  const times = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  async function worker() {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      const r = await fetch(urlFor(i));
      await r.arrayBuffer();
      if (r.status !== 200) { failures += 1; }
      times.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: c }, worker));
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
  console.log(`${name}: ${n} requests, ${c} clients, ${(n / elapsed).toFixed(0)} req/s, p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, non-200: ${failures}`);
}

const slugs = [];
for (let page = 1; page <= 5; page += 1) {
  const r = await (await fetch(`${base}/api/1/datasets/?page=${page}&page_size=100`)).json();
  for (const d of r.data) { slugs.push(d.slug); }
}
const words = ['eau', 'air', 'budget', 'transport', 'population', 'vélo', 'école', 'santé', 'énergie', 'déchets', 'qualité', 'commune'];
await run('warm-up', (i) => `${base}/datasets/${slugs[i % slugs.length]}/`);
await run('dataset page /datasets/{slug}/', (i) => `${base}/datasets/${slugs[(i * 7919) % slugs.length]}/`);
await run('search page /datasets/?q=', (i) => `${base}/datasets/?q=${encodeURIComponent(words[i % words.length])}&page=${1 + (i % 3)}`);
