// npm run bench: times the core where administrators feel it, against plain JavaScript doing the
// same work in the same process, and writes target/bench/summary.json. Times are medians of
// several runs after a warm-up; every ratio comes from runs alternated in one process.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { gzipSync } from 'node:zlib';
import { SyncSession, validateBankAccount } from '../../pkg/index.js';
import { jsPreview } from './baseline.js';
import { alternate, median, time } from './stats.js';
import { recordFetch } from './record.js';
import { pageFetchOverCli, pageInteractive, pageLongestTask } from './page.js';
import { ratelimitedFetch } from './ratelimit.js';

const OUT = new URL('../../target/bench/', import.meta.url).pathname;
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
/** @type {Record<string, number>} */
const summary = {};
/** @type {string[][]} */
const table = [];
const put = (/** @type {string} */ name, /** @type {number} */ value, /** @type {string} */ note) => {
  summary[name] = Number(value.toFixed(value < 10 ? 3 : 1));
  table.push([name, String(summary[name]), note]);
  process.stderr.write(`  ${name} = ${summary[name]}  (${note})\n`);
};

/** A preview from recorded bodies: the whole fetch fed to a session, then the preview read. @param {Map<string, any>} recorded @param {string} today */
function preview(recorded, today) {
  const s = new SyncSession({ today, now: `${today}T09:00:00+01:00` });
  for (;;) {
    const requests = s.poll();
    if (!requests.length) break;
    s.handle(requests.map((r) => recorded.get(r.id)));
  }
  const p = s.preview();
  return { session: s, preview: p };
}

for (const n of sizes) {
  const label = n >= 1000 ? `${n / 1000}k` : String(n);
  process.stderr.write(`recording ${n} people per side from the sandbox…\n`);
  const { today, responses, bytes } = await recordFetch(n);
  const runs = n >= 50_000 ? 5 : 9;
  const vsParse = alternate(
    () => preview(responses, today).session.free(),
    () => { const utf8 = new TextDecoder(); for (const r of responses.values()) JSON.parse(utf8.decode(r.body)); },
    { runs, warmup: 2 },
  );
  put(`preview_${label}_ms`, vsParse.a, `${responses.size} responses, ${(bytes / 1e6).toFixed(1)} MB`);
  put(`json_parse_${label}_ms`, vsParse.b, 'TextDecoder + JSON.parse of the same bytes');
  put(`preview_${label}_over_json_parse`, vsParse.ratio, 'goal ≤ 1.3');
  if (n === 10_000) {
    const vsJs = alternate(() => jsPreview(responses), () => preview(responses, today).session.free(), { runs, warmup: 2 });
    put('js_baseline_10k_ms', vsJs.a, 'plain JS match and diff');
    put('js_baseline_10k_over_preview', vsJs.ratio, 'goal ≥ 1.5');
    const { session, preview: p } = preview(responses, today);
    const id = p.differences[0]?.id;
    const choices = ['huma', 'crona', 'leave'];
    const replans = [];
    for (let i = 0; i < 43; i++) {
      const choice = choices[i % 3];
      const t = time(() => session.plan({ choices: id ? { [id]: /** @type {any} */ (choice) } : {} }));
      if (i >= 3) replans.push(t);
    }
    put('replan_10k_ms', median(replans), `${p.differences.length} differences resident; goal ≤ 5`);
    session.free();
  }
}

if (process.env.BENCH_RATELIMIT !== '0') {
  const limited = await ratelimitedFetch();
  put('ratelimited_fetch_over_floor', limited.ratio, limited.note);
}

// The wasm module as shipped.
const wasm = readFileSync(new URL('../../pkg/web/crona_sync_bg.wasm', import.meta.url));
put('wasm_bytes', wasm.length, 'pkg/web/crona_sync_bg.wasm');
put('wasm_gzip_bytes', gzipSync(wasm, { level: 9 }).length, 'gzip -9; goal ≤ 200,000');

// Bank validation through the package (wasm), over the test vectors.
const vectors = JSON.parse(readFileSync(new URL('../fixtures/bank-vectors.json', import.meta.url), 'utf8'));
const perRound = 20;
const rounds = [];
for (let i = 0; i < 7; i++) {
  const t = time(() => {
    for (let k = 0; k < perRound; k++) for (const v of vectors) validateBankAccount(v.clearing, v.account, { lenient: v.lenient });
  });
  if (i >= 2) rounds.push(t);
}
put('bank_validations_per_s_wasm', (perRound * vectors.length) / (median(rounds) / 1000), `${vectors.length} vectors × ${perRound}, through the npm package`);

// Native: written by the ignored Rust test `bench_bank` (scripts/bench.sh runs it first).
try {
  const native = JSON.parse(readFileSync(`${OUT}native.json`, 'utf8'));
  put('bank_validations_per_s_native', native.bank_validations_per_s_native, 'cargo test --release; goal ≥ 1,000,000');
} catch {
  process.stderr.write('  (no native figures: run through npm run bench)\n');
}

if (process.env.BENCH_PAGE !== '0') {
  put('page_interactive_10k_ms', await pageInteractive(10_000), 'Chromium: end of fetch → conflicts table takes input; goal ≤ 1,000');
  const vsCli = await pageFetchOverCli(10_000);
  put('page_fetch_10k_over_cli', vsCli.ratio, `page ${(vsCli.page / 1000).toFixed(1)} s, CLI ${(vsCli.cli / 1000).toFixed(1)} s: Synchronize → conflicts table over drive() + preview; goal ≤ 1.5`);
  put('page_longest_task_10k_ms', await pageLongestTask(10_000), 'Chromium main thread, Synchronize → result; goal ≤ 200');
}

mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}summary.json`, JSON.stringify(summary, null, 2) + '\n');
const width = Math.max(...table.map((r) => r[0].length));
process.stdout.write(`\ncrona-sync bench — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n\n`);
for (const [k, val, note] of table) process.stdout.write(`${k.padEnd(width)}  ${val.padStart(12)}  ${note}\n`);
process.stdout.write(`\nwritten to target/bench/summary.json\n`);
