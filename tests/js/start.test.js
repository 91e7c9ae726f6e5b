// npm start's last step (scripts/start.js): the service with the sandbox, a throwaway data
// directory holding the sandbox connection, and one link that signs the newcomer in.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

const SCRIPT = new URL('../../scripts/start.js', import.meta.url).pathname;

test('npm start prints one link that signs in to a ready sandbox connection; stopping removes the data', async () => {
  const child = spawn(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '', PORT: '0', PEOPLE: '8' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const opened = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (/\nOpen: \S+\n/.test(out)) resolve(true);
    });
    child.once('exit', (code) => reject(new Error(`start.js ended (${code}) before printing the link:\n${out}`)));
  });
  assert.equal(opened, true);
  const links = out.match(/https?:\/\/\S+/g) ?? [];
  const link = /** @type {string} */ (links.find((l) => l.includes('#signin=')));
  assert.equal(links.filter((l) => l.includes('#signin=')).length, 1);
  const base = link.slice(0, link.indexOf('/#'));
  const dataDir = /** @type {string} */ (/Data: (\S+) /.exec(out)?.[1]);
  assert.ok(existsSync(dataDir));
  const signin = await fetch(`${base}/api/signin-link`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ token: link.split('#signin=')[1] }) });
  assert.equal(signin.status, 200);
  const cookie = /** @type {string} */ (signin.headers.get('set-cookie')).split(';')[0];
  const list = await (await fetch(`${base}/api/connections`, { headers: { cookie } })).json();
  assert.deepEqual(list.connections.map((/** @type {any} */ c) => [c.name, c.crona.companyName, c.active]), [['Sandbox (sample data)', 'Exempel Bygg AB', false]]);
  const page = await fetch(`${base}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>Huma ↔ Crona Lön · crona-sync<\/title>/);
  const ended = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await ended, 0);
  assert.equal(existsSync(dataDir), false);
});
