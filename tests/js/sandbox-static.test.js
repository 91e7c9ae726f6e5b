// The sandbox's static file server (www/ and pkg/ for the integration page) and its CLI.
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { mkdtemp, mkdir, writeFile, symlink, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../sandbox/index.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-static-'));
const www = path.join(dir, 'www'), pkg = path.join(dir, 'pkg');
await mkdir(path.join(www, 'sub'), { recursive: true });
await mkdir(path.join(pkg, 'web'), { recursive: true });
/** name → [content, expected Content-Type] */
const FILES = {
  'index.html': ['<!doctype html><title>Koppling</title>', 'text/html; charset=utf-8'],
  'app.js': ['export const a = 1;', 'text/javascript; charset=utf-8'],
  'mod.mjs': ['export {};', 'text/javascript; charset=utf-8'],
  'style.css': ['body { color: #222 }', 'text/css; charset=utf-8'],
  'data.json': ['{"å": 1}', 'application/json; charset=utf-8'],
  'icon.svg': ['<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml'],
  'logo.png': ['\x89PNG', 'image/png'],
  'sub/index.html': ['<p>under</p>', 'text/html; charset=utf-8'],
};
for (const [name, [content]] of Object.entries(FILES)) await writeFile(path.join(www, name), content);
await writeFile(path.join(pkg, 'web', 'crona_sync_bg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
await writeFile(path.join(pkg, 'index.d.ts'), 'export declare const x: number;');
await writeFile(path.join(pkg, 'index.js'), 'export const x = 1;');
await writeFile(path.join(dir, 'secret.txt'), 'TOP SECRET');
await symlink(path.join(dir, 'secret.txt'), path.join(www, 'leak.txt'));

const box = await startSandbox({ staticRoots: { '/': www, '/pkg/': pkg } });
after(async () => {
  await box.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * A raw request: the path goes out exactly as written (fetch would normalise "..").
 * @param {string} rawPath @param {string} [method]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: string }>}
 */
function raw(rawPath, method = 'GET') {
  const { port } = new URL(box.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('files are served with the right Content-Type and Cache-Control: no-store', async () => {
  for (const [name, [content, type]] of Object.entries(FILES)) {
    const r = await raw(`/${name}`);
    assert.equal(r.status, 200, name);
    assert.equal(r.headers['content-type'], type, name);
    assert.equal(r.headers['cache-control'], 'no-store', name);
    assert.equal(r.body, Buffer.from(content).toString('latin1'), name);
  }
});

test('/pkg/ maps to the package directory: .wasm is application/wasm, .d.ts TypeScript', async () => {
  const wasm = await raw('/pkg/web/crona_sync_bg.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  assert.equal(wasm.body.slice(0, 4), '\0asm');
  const dts = await raw('/pkg/index.d.ts');
  assert.equal(dts.headers['content-type'], 'application/typescript; charset=utf-8');
  assert.equal((await raw('/pkg/index.js')).headers['content-type'], 'text/javascript; charset=utf-8');
  const r = await fetch(`${box.url}/pkg/web/crona_sync_bg.wasm`);
  assert.ok(WebAssembly.validate(new Uint8Array(await r.arrayBuffer())), 'a browser could compile it');
});

test('a directory serves its index.html; without the slash it redirects first', async () => {
  const root = await raw('/');
  assert.equal(root.status, 200);
  assert.match(root.body, /Koppling/);
  assert.equal((await raw('/sub/')).body, '<p>under</p>');
  const redirect = await raw('/sub');
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, '/sub/');
  assert.equal((await raw('/pkg/web/')).status, 404, 'a directory without index.html is not listed');
});

test('missing files are 404; HEAD has headers only; other methods are 405', async () => {
  assert.equal((await raw('/nope.js')).status, 404);
  assert.equal((await raw('/pkg/nope.wasm')).status, 404);
  const head = await raw('/app.js', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], String('export const a = 1;'.length));
  assert.equal(head.body, '');
  assert.equal((await raw('/app.js', 'POST')).status, 405);
});

test('path traversal out of the roots is refused, however it is spelled', async () => {
  const attempts = [
    '/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/pkg/../../secret.txt',
    '/pkg/..%2f..%2fsecret.txt', '/pkg/%2e%2e/%2e%2e/secret.txt', '/sub/..%2f..%2fsecret.txt', '/..%5csecret.txt',
    '/pkg/..%5c..%5csecret.txt', '/app.js%00.html', '/%252e%252e/secret.txt', '/leak.txt',
  ];
  for (const p of attempts) {
    const r = await raw(p);
    assert.ok([400, 403, 404].includes(r.status), `${p} → ${r.status}`);
    assert.doesNotMatch(r.body, /TOP SECRET/, p);
  }
});

test('the default roots are the repository\'s www/ and pkg/', async () => {
  const sb = await startSandbox();
  try {
    const page = await fetch(`${sb.url}/`);
    assert.equal(page.status, existsSync(path.join(REPO, 'www', 'index.html')) ? 200 : 404);
    const pkgJson = await fetch(`${sb.url}/pkg/package.json`);
    assert.equal(pkgJson.status, existsSync(path.join(REPO, 'pkg', 'package.json')) ? 200 : 404);
  } finally {
    await sb.close();
  }
});

/**
 * Collects a child's stdout until `done(out)` holds; fails if the child exits first.
 * @param {import('node:child_process').ChildProcess} child @param {(out: string) => boolean} done
 * @returns {Promise<string>}
 */
function readUntil(child, done) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (c) => {
      out += c;
      if (done(out)) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready: ${out}`)));
  });
}

test('CLI: --json prints one line with the URLs and credentials, serves, and exits cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [path.join(REPO, 'tests', 'sandbox', 'main.js'), '--port', '0', '--seed', '2', '--people', '12', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = await readUntil(child, (o) => o.includes('\n'));
  const line = JSON.parse(out.split('\n')[0] ?? '');
  assert.deepEqual(Object.keys(line).sort(), ['credentials', 'cronaUrl', 'humaUrl', 'url']);
  assert.match(line.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(line.humaUrl, `${line.url}/huma`);
  assert.equal(line.cronaUrl, `${line.url}/crona`);
  const info = await (await fetch(`${line.url}/_sandbox/info`)).json();
  assert.equal(info.seed, 2);
  assert.equal(info.people, 12);
  assert.deepEqual(info.credentials, line.credentials);
  const activated = await fetch(`${line.cronaUrl}/api/v1/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(line.credentials.crona) });
  assert.equal(activated.status, 200);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});

test('CLI: without --json it prints the URLs and the sample credentials for a human', async () => {
  const child = spawn(process.execPath, [path.join(REPO, 'tests', 'sandbox', 'main.js'), '--port', '0', '--people', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = await readUntil(child, (o) => /Ctrl-C/.test(o));
  assert.match(out, /Huma base URL: +http:\/\/127\.0\.0\.1:\d+\/huma/);
  assert.match(out, /Crona base URL: +http:\/\/127\.0\.0\.1:\d+\/crona/);
  assert.match(out, /client ID: +[0-9a-f-]{36}/);
  assert.match(out, /client secret: +[0-9a-f-]{36}/);
  assert.match(out, /activation code: +[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/);
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});

test('CLI: a bad option is a usage error (exit 2)', async () => {
  const child = spawn(process.execPath, [path.join(REPO, 'tests', 'sandbox', 'main.js'), '--people', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c) => (err += c));
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
  assert.match(err, /usage:/);
});
