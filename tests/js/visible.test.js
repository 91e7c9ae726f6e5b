// Values from the APIs reach a terminal shown, never obeyed: ESC and OSC 8 sequences, BEL, CR,
// NUL, C1 controls, bidi overrides and invisible format characters are written as escapes
// (pkg/lib/text.js), in the CLI's human output, its --json, its text report, its error messages
// and serve's log; the CLI's own colour codes still work around them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { visible, visibleJson } from '../../pkg/lib/text.js';
import 'crona-sync'; // loads the core: the text names fields by its field table
import { planText, previewText, reportText } from '../../pkg/lib/render.js';
import { progressBar } from '../../pkg/lib/cli/progress.js';
import { CLI, jobEnv, runCli, workdir } from './support/cli.js';
import { sandbox } from './support/sandbox.js';
import { deliver } from './support/serve.js';

/** Anything a terminal would obey or a reader couldn't see, besides the newline between lines. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;
/** @param {string} s */
const raw = (s) => s.match(new RegExp(RAW.source, 'gu'))?.map((c) => `U+${c.codePointAt(0)?.toString(16).padStart(4, '0')}`) ?? [];

const HOSTILE = 'Eva\u001b[2J\u001b]8;;http://x\u0007y\u001b]8;;\u0007\r0 differences\u202e';
const HOSTILE_SHOWN = 'Eva\\u001b[2J\\u001b]8;;http://x\\u0007y\\u001b]8;;\\u0007\\r0 differences\\u202e';

test('visible(): ESC sequences, OSC 8 links and BEL are written as \\u escapes', () => {
  assert.equal(visible('\u001b[2J'), '\\u001b[2J');
  assert.equal(visible('a\u001b[31mred\u001b[0m'), 'a\\u001b[31mred\\u001b[0m');
  assert.equal(visible('\u001b]8;;http://evil\u0007click\u001b]8;;\u0007'), '\\u001b]8;;http://evil\\u0007click\\u001b]8;;\\u0007');
  assert.equal(visible('\u001b]8;;http://evil\u001b\\click'), '\\u001b]8;;http://evil\\u001b\\click', 'the ST form too');
  assert.equal(visible('ding\u0007'), 'ding\\u0007');
  assert.equal(visible(HOSTILE), HOSTILE_SHOWN);
});

test('visible(): CR, LF, tab, backspace and form feed get their short escapes; the text stays on one line', () => {
  assert.equal(visible('Eva\r0 differences'), 'Eva\\r0 differences');
  assert.equal(visible('line 1\nline 2'), 'line 1\\nline 2');
  assert.equal(visible('a\r\nb'), 'a\\r\\nb');
  assert.equal(visible('a\tb'), 'a\\tb');
  assert.equal(visible('abc\b\b\bxyz'), 'abc\\b\\b\\bxyz');
  assert.equal(visible('\f'), '\\f');
  assert.equal(visible('\u000b'), '\\u000b', 'vertical tab has no short form in JSON');
});

test('visible(): NUL, DEL and the rest of C0 and C1', () => {
  assert.equal(visible('Eva\u0000'), 'Eva\\u0000');
  assert.equal(visible('\u007f'), '\\u007f');
  assert.equal(visible('\u009b2J'), '\\u009b2J', 'C1 CSI');
  assert.equal(visible('\u009d8;;http://x\u009c'), '\\u009d8;;http://x\\u009c', 'C1 OSC … ST');
  assert.equal(visible('a\u0085b'), 'a\\u0085b', 'NEL');
  assert.equal(visible('\u0080\u009f'), '\\u0080\\u009f');
  // The notation is JSON's: every C0 control as JSON.stringify writes it inside a string.
  for (let code = 0; code < 0x20; code++) {
    const ch = String.fromCharCode(code);
    assert.equal(visible(ch), JSON.stringify(ch).slice(1, -1), `U+${code.toString(16)}`);
  }
  for (let code = 0x7f; code <= 0x9f; code++) assert.equal(visible(String.fromCharCode(code)), `\\u00${code.toString(16)}`);
});

test('visible(): bidi embeddings, overrides, isolates and marks', () => {
  assert.equal(visible('Eva\u202eniltsirK'), 'Eva\\u202eniltsirK', 'RLO');
  assert.equal(visible('\u202a\u202b\u202c\u202d\u202e'), '\\u202a\\u202b\\u202c\\u202d\\u202e');
  assert.equal(visible('\u2066\u2067\u2068\u2069'), '\\u2066\\u2067\\u2068\\u2069');
  assert.equal(visible('\u200e\u200f\u061c'), '\\u200e\\u200f\\u061c', 'LRM, RLM, ALM');
});

test('visible(): invisible format characters, separators and lone surrogates', () => {
  assert.equal(visible('E\u200bva'), 'E\\u200bva', 'zero-width space');
  assert.equal(visible('E\u200cv\u200da'), 'E\\u200cv\\u200da', 'zero-width non-joiner and joiner');
  assert.equal(visible('\ufeffEva'), '\\ufeffEva', 'BOM');
  assert.equal(visible('Ev\u00ada'), 'Ev\\u00ada', 'soft hyphen');
  assert.equal(visible('E\u2060va'), 'E\\u2060va', 'word joiner');
  assert.equal(visible('a\u2028b\u2029c'), 'a\\u2028b\\u2029c', 'line and paragraph separators');
  assert.equal(visible('Eva\u{e0001}\u{e0041}'), 'Eva\\udb40\\udc01\\udb40\\udc41', 'tag characters, as UTF-16 halves like JSON');
  assert.equal(visible('a\ud800b\udc00'), 'a\\ud800b\\udc00', 'lone surrogates');
});

test('visible(): ordinary text of every script is left as it is, backslashes included', () => {
  for (const s of ['Åsa Öberg-Ñúñez', 'Björk, Johanna', '李小龍', 'مریم حسینی', 'שרה', 'Zoë 🎉', 'Storgatan 1\u00a0A', 'C:\\Users\\eva', '<img onerror=x>', '']) {
    assert.equal(visible(s), s, s);
  }
});

test('visible(): idempotent, and anything else is written as a template would', () => {
  assert.equal(visible(visible(HOSTILE)), HOSTILE_SHOWN);
  assert.equal(visible(42), '42');
  assert.equal(visible(null), 'null');
  assert.equal(visible(undefined), 'undefined');
});

test('visibleJson(): bidi, C1, DEL and separators escaped too; still JSON, the same value', () => {
  const value = { name: `${HOSTILE}\u0085\u009b\u007f\u2028\u2029\u2066x\u2069\u200b\u{e0001}`, n: 1, list: ['Åsa', null] };
  const text = visibleJson(value);
  assert.equal(text, '{"name":"Eva\\u001b[2J\\u001b]8;;http://x\\u0007y\\u001b]8;;\\u0007\\r0 differences\\u202e\\u0085\\u009b\\u007f\\u2028\\u2029\\u2066x\\u2069\\u200b\\udb40\\udc01","n":1,"list":["Åsa",null]}');
  assert.deepEqual(raw(text), []);
  assert.deepEqual(JSON.parse(text), value);
  // Indented, its own newlines stay newlines.
  assert.equal(visibleJson({ a: '\u202e' }, 2), '{\n  "a": "\\u202e"\n}');
  assert.deepEqual(JSON.parse(visibleJson({ a: '\u202e' }, 2)), { a: '\u202e' });
  assert.equal(visibleJson({ a: 'plain "quoted" \\ text' }), JSON.stringify({ a: 'plain "quoted" \\ text' }));
});

/** The CLI's colours, switched on, as on a terminal. */
const on = {
  bold: (/** @type {string} */ s) => `\x1b[1m${s}\x1b[22m`,
  dim: (/** @type {string} */ s) => `\x1b[2m${s}\x1b[22m`,
  red: (/** @type {string} */ s) => `\x1b[31m${s}\x1b[39m`,
  green: (/** @type {string} */ s) => `\x1b[32m${s}\x1b[39m`,
  yellow: (/** @type {string} */ s) => `\x1b[33m${s}\x1b[39m`,
};
/** The text without the CLI's own colour codes. @param {string} s */
const uncoloured = (s) => s.replace(/\x1b\[\d+m/g, '');

test('previewText: the data escaped inside the colour codes, padded by its visible width', () => {
  const preview = /** @type {any} */ ({
    counts: { huma: 2, crona: 1, matched: 1, differences: 2, blockers: 1, onlyInHuma: 1, onlyInCrona: 0 },
    differences: [
      { person: { name: `${HOSTILE} Björk`, anstNr: '1031', email: 'eva\u202e@x.se' }, field: 'givenName', huma: { display: HOSTILE }, crona: { display: 'Johanna' }, suggestion: null, allowed: ['huma', 'crona', 'leave'] },
      { person: { name: `${HOSTILE} Björk`, anstNr: '1031', email: 'eva\u202e@x.se' }, field: 'familyName', huma: { display: `${'A'.repeat(26)}\u202exyz` }, crona: { display: 'B\tC' }, suggestion: 'huma', allowed: ['huma', 'crona', 'leave'] },
    ],
    blockers: [{ code: 'control_characters', message: `${HOSTILE} Björk: the given name has control characters.` }],
    onlyInHuma: [{ person: { name: `Ny\u0000 ${HOSTILE}`, humaId: 'u-1\u009b' }, creatable: false, reasons: [{ message: 'No\rpe.' }] }],
    onlyInCrona: [],
    notices: [{ message: 'Note\u0007\u2066' }],
  });
  const text = previewText(preview, on);
  assert.deepEqual(raw(uncoloured(text)), [], 'nothing raw but the colour codes');
  const lines = text.split('\n');
  assert.ok(lines.includes(`\x1b[1m${HOSTILE_SHOWN} Björk\x1b[22m \x1b[2mAnstNr 1031, eva\\u202e@x.se\x1b[22m`), text);
  assert.ok(lines.includes('  Given name      Eva\\u001b[2J\\u001b]8;;http://… Johanna                        \x1b[2m→ ?      \x1b[22m [huma|crona|leave]'), text);
  // Cut before an escape it can't show whole, and the columns still line up.
  assert.ok(lines.includes(`  Family name     ${'A'.repeat(26)}…    B\\tC                           \x1b[32m→ huma   \x1b[39m [huma|crona|leave]`), text);
  assert.ok(lines.includes(`  \x1b[31mcontrol_characters\x1b[39m: ${HOSTILE_SHOWN} Björk: the given name has control characters.`), text);
  assert.ok(lines.includes(`  \x1b[31m✗\x1b[39m Ny\\u0000 ${HOSTILE_SHOWN} \x1b[2mu-1\\u009b\x1b[22m — No\\rpe.`), text);
  assert.ok(lines.includes('\x1b[2mNote: Note\\u0007\\u2066\x1b[22m'), text);
});

test('planText and reportText: descriptions, names and API error messages escaped, on one line each', () => {
  const plan = /** @type {any} */ ({
    summary: `1 update\u202e`,
    operations: [{ description: `Update ${HOSTILE} Björk in Crona: given name` }],
    skipped: [{ person: { name: HOSTILE }, reason: { message: 'left\r\n' } }],
  });
  assert.equal(planText(plan, on), [
    '\x1b[1mThe plan\x1b[22m',
    '1 update\\u202e',
    `    1. Update ${HOSTILE_SHOWN} Björk in Crona: given name`,
    `\x1b[2m  left out: ${HOSTILE_SHOWN}: left\\r\\n\x1b[22m`,
    '',
  ].join('\n'));
  const report = /** @type {any} */ ({
    summary: { text: 'Synchronisation: 1 write failed\u0007.' },
    errors: [{ person: { name: HOSTILE }, system: 'crona', fields: ['givenName'], status: 400, code: 'bad_request', message: 'Bad\r\nrequest:\t\u009b2J\u202e' }],
    remaining: [{ reason: 'blocked', difference: { person: { name: HOSTILE }, field: 'givenName', message: `${HOSTILE}'s given name` }, explanation: 'Neither value can be written: \u202e' }],
    unverified: ['\u001b]8;;http://x\u0007link\u001b]8;;\u0007'],
    outcomes: [{ outcome: 'done', person: { name: 'Eva' } }, { outcome: 'unknown', person: { name: HOSTILE }, system: 'huma', message: 'Sent\u0007' }],
  });
  const text = reportText(report, on);
  assert.deepEqual(raw(uncoloured(text)), []);
  const lines = text.split('\n');
  assert.equal(lines[1], 'Synchronisation: 1 write failed\\u0007.');
  assert.ok(lines[2].startsWith('\x1b[31m') && lines[2].endsWith('\x1b[39m'), lines[2]);
  assert.ok(lines[2].includes(`failed: ${HOSTILE_SHOWN} in Crona Lön (Given name (FoNamn)): 400 bad_request Bad\\r\\nrequest:\\t\\u009b2J\\u202e`), lines[2]);
  assert.equal(lines[3], `\x1b[33m  may have been written: ${HOSTILE_SHOWN} in Huma: Sent\\u0007\x1b[39m`);
  assert.equal(lines[4], `\x1b[2m  remains: ${HOSTILE_SHOWN} · Given name (FoNamn): Neither value can be written: \\u202e\x1b[22m`);
  assert.equal(lines[5], "\x1b[33m  couldn't check: \\u001b]8;;http://x\\u0007link\\u001b]8;;\\u0007\x1b[39m");
  assert.equal(lines.length, 7);
  // The text report file is the same text without colour.
  assert.deepEqual(raw(reportText(report, { bold: String, dim: String, red: String, green: String, yellow: String })), []);
});

test('the progress line redraws itself with its own codes; its label is shown, not obeyed', () => {
  const stderr = process.stderr;
  const was = { isTTY: stderr.isTTY, write: stderr.write };
  /** @type {string[]} */
  const written = [];
  Object.assign(stderr, { isTTY: true, write: (/** @type {string} */ s) => written.push(s) });
  try {
    const bar = progressBar('Writing\u001b[2J\r');
    bar.update(/** @type {any} */ ({ done: 1, inflight: 0, queued: 1, failed: 0 }));
    bar.done();
  } finally {
    Object.assign(stderr, was);
  }
  assert.deepEqual(written, ['\rWriting\\u001b[2J\\r [############            ] 1/2  ', '\r\x1b[2K']);
});

// End to end: a Huma user's given name made hostile through the sandbox, read by the CLI.

const box = await sandbox({ people: 40 });
const env = (/** @type {Record<string, string>} */ extra = {}) => jobEnv(box, extra);

/** A person in both systems whom no planted case concerns, with a hostile given name in Huma. */
async function hostilePerson() {
  await box.control('reset', { seed: 1, people: 40 });
  const { huma, crona, planted } = await box.inspect();
  const odd = new Set(planted.flatMap((/** @type {any} */ p) => [p.humaId, p.anstNr]));
  const user = huma.users.find((/** @type {any} */ u) => !odd.has(u.id) && !odd.has(u.employmentId) && crona.employees.some((/** @type {any} */ e) => e.AnstNr === u.employmentId && e.EpostArb.toLowerCase() === u.email));
  assert.ok(user, 'the sample data has plain people');
  const edited = await box.control(`huma/users/${user.id}/edit`, { givenName: HOSTILE });
  assert.equal(edited.givenName.value, HOSTILE, 'the sandbox stored the hostile name as given');
  return user;
}

test('preview on a terminal-bound stdout shows the hostile name escaped and nothing raw', async () => {
  await hostilePerson();
  const r = await runCli(['preview'], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(raw(r.stdout), [], 'no C0 but newlines, no C1, no bidi or invisible character');
  assert.ok(!r.stdout.includes('\x1b'), 'not a terminal: not even colour codes');
  assert.ok(r.stdout.includes(HOSTILE_SHOWN), r.stdout);
  assert.deepEqual(raw(r.stderr), []);

  // --json stays JSON that parses to the same strings, with bidi and C1 escaped as well.
  const j = await runCli(['preview', '--json'], { env: env() });
  assert.equal(j.code, 0, j.stderr);
  assert.deepEqual(raw(j.stdout.slice(0, -1)), []);
  assert.equal(j.stdout, visibleJson(JSON.parse(j.stdout)) + '\n');
  assert.ok(j.stdout.includes('\\u202e'), 'the name is in it, escaped');
});

/** Every string in the writes the sandbox received since `seq`, with the raw characters in them. @param {number} seq */
async function rawInWrites(seq) {
  const { writes } = await box.inspect(seq);
  /** @type {string[]} */
  const strings = [];
  const collect = (/** @type {unknown} */ v) => {
    if (typeof v === 'string') strings.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  writes.forEach((/** @type {any} */ w) => collect(w.body));
  return strings.length ? raw(strings.join('')) : null;
}

test('sync: the plan, the result, the text report and stderr show the name escaped', async () => {
  await hostilePerson();
  const { seq } = await box.inspect();
  const dir = workdir();
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ fields: { bankAccount: 'crona', '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }));
  const r = await runCli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change', '--report', 'report.json'], { env: env(), cwd: dir });
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  assert.deepEqual(raw(r.stdout), []);
  assert.deepEqual(raw(r.stderr), []);
  assert.ok(r.stdout.includes(HOSTILE_SHOWN), r.stdout);
  const txt = readFileSync(join(dir, 'report.json.txt'), 'utf8');
  assert.ok(txt.startsWith('Result\n'));
  assert.deepEqual(raw(txt), []);
  const json = readFileSync(join(dir, 'report.json'), 'utf8');
  assert.deepEqual(raw(json.replace(/\n/g, '')), []);
  assert.equal(json, visibleJson(JSON.parse(json), 2) + '\n');
  // The rest of the sync ran, and nothing it wrote holds a control character.
  assert.deepEqual(await rawInWrites(seq), []);
  assert.match(r.stdout, /invisible control character U\+001B/);
});

test('push: the hostile name is held back, the rest of the change reaches Crona', async () => {
  const user = await hostilePerson();
  const dir = workdir();
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ fields: { '*': 'leave' } }));
  const first = await runCli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { env: env(), cwd: dir });
  assert.equal(first.code, 0, first.stderr);
  await box.control(`huma/users/${user.id}/edit`, { phone: '070-246 80 24', familyName: 'Ek\u0000\u202e' });
  const { seq } = await box.inspect();
  const r = await runCli(['push', '--user', user.id], { env: env(), cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(raw(r.stdout), []);
  const { writes } = await box.inspect(seq);
  assert.deepEqual(writes.map((/** @type {any} */ w) => [w.method, w.path, w.body]), [['PATCH', `/api/v1/employees/${user.employmentId}`, { Mobil: '070-246 80 24' }]]);
});

test('error messages the CLI prints show what they quote, on stderr and in --json', async () => {
  const unknown = await runCli(['pre\u001b[2J\u202eview'], { env: env() });
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, "crona-sync: unknown command 'pre\\u001b[2J\\u202eview'. Run 'crona-sync --help'.\n");
  const dir = workdir();
  const file = 'conn\u001b[2J\u202e.json';
  writeFileSync(join(dir, file), '{ not json');
  const bad = await runCli(['preview', '--connection', file], { env: env(), cwd: dir });
  assert.equal(bad.code, 2);
  assert.ok(bad.stderr.startsWith("crona-sync preview: The connection file conn\\u001b[2J\\u202e.json isn't valid JSON: "), bad.stderr);
  assert.deepEqual(raw(bad.stderr.slice(0, -1)), []);
  const badJson = await runCli(['preview', '--json', '--connection', file], { env: env(), cwd: dir });
  assert.equal(badJson.code, 2);
  assert.deepEqual(raw(badJson.stdout.slice(0, -1)), []);
  assert.ok(JSON.parse(badJson.stdout).error.message.startsWith(`The connection file ${file} isn't valid JSON`));
});

test("serve's log lines show a delivery's topic escaped", async () => {
  const secret = 'whsec-visible';
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { env: env({ HUMA_WEBHOOK_SECRET: secret }), cwd: workdir() });
  let out = '';
  /** @type {(() => void)[]} */
  let waiting = [];
  child.stdout.on('data', (d) => {
    out += d;
    for (const w of waiting) w();
  });
  /** @param {RegExp} re @returns {Promise<RegExpMatchArray>} */
  const line = (re) => new Promise((resolve) => {
    const check = () => {
      const m = out.match(re);
      if (m) resolve(m);
    };
    waiting.push(check);
    check();
  });
  try {
    const [, url] = await line(/listening on (http:\/\/\S+)/);
    // A header is latin1: a C1 CSI (and a tab) can arrive in huma-topic, and the body's topic matches it.
    const topic = 'crm-sync\u009b2J\tx';
    const d = await deliver(url, { secret, topic });
    assert.equal(d.status, 202);
    const [logged] = await line(/^.* for 0 user\(s\): acknowledged, not a profile topic\n/m);
    assert.match(logged, /^\d{4}-\d\d-\d\dT\S+ crm-sync\\u009b2J\\tx for 0 user\(s\): acknowledged, not a profile topic\n$/);
    assert.deepEqual(raw(out.replace(/\n/g, '')), []);
  } finally {
    waiting = [];
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
  }
});
