// The sandbox's pause, over real HTTP: the next N matching requests are answered, later ones wait
// until it is lifted; others pass; a bad pause is refused; a reset lifts it.
import assert from 'node:assert/strict';
import { test, after, beforeEach } from 'node:test';
import { startSandbox } from '../sandbox/index.js';
import { clients } from '../sandbox/client.js';

const box = await startSandbox({ people: 40 });
after(() => box.close());
const api = clients(box);

beforeEach(async () => {
  await api.control('pause', undefined, 'DELETE');
  // Warm both credentials, so the token and activation exchanges are behind us.
  assert.equal((await api.huma('/users?limit=1')).status, 200);
  assert.equal((await api.crona('/api/v1/employees?pageSize=1')).status, 200);
});

/** The pause as the sandbox reports it. */
async function paused() {
  return (await api.control('pause', undefined, 'GET')).body.pause;
}

/** Waits until `n` requests wait at the pause (they arrive over sockets). @param {number} n */
async function waiting(n) {
  for (let i = 0; i < 400 && (await paused())?.waiting !== n; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal((await paused())?.waiting, n);
}

test('after N matching requests, later ones wait until the pause is lifted; others pass', async () => {
  const set = await api.control('pause', { after: 2, system: 'huma', method: 'GET', path: '^/users$' });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual(set.body.pause, { after: 2, system: 'huma', method: 'GET', path: '^/users$', passed: 0, waiting: 0 });
  assert.equal((await api.huma('/users?limit=1')).status, 200);
  assert.equal((await api.huma('/users?limit=1&offset=1')).status, 200);
  let answered = 0;
  const third = api.huma('/users?limit=1&offset=2').then((r) => { answered++; return r; });
  const fourth = api.huma('/users?limit=1&offset=3').then((r) => { answered++; return r; });
  await waiting(2);
  assert.equal((await api.crona('/api/v1/employees?pageSize=1')).status, 200, 'Crona is not paused');
  assert.equal((await api.huma('/users/me')).status, 200, 'another path is not paused');
  assert.equal(answered, 0, 'the held ones are still unanswered');
  assert.deepEqual({ ...(await paused()) }, { after: 2, system: 'huma', method: 'GET', path: '^/users$', passed: 2, waiting: 2 });
  const lifted = await api.control('pause', undefined, 'DELETE');
  assert.deepEqual(lifted.body, { pause: null });
  assert.deepEqual([(await third).status, (await fourth).status], [200, 200]);
  assert.equal((await api.huma('/users?limit=1&offset=4')).status, 200, 'nothing waits once it is lifted');
});

test('a reset lifts the pause and lets what waits go on', async () => {
  await api.control('pause', { after: 0 });
  const held = api.crona('/api/v1/employees?pageSize=1');
  await waiting(1);
  assert.equal((await api.control('reset', {})).status, 200);
  api.forget();
  assert.equal(await paused(), null);
  assert.equal((await held).status, 200, 'answered, by the reset world (the same seed, the same key)');
});

test('a pause that is not one is refused', async () => {
  for (const [body, error] of /** @type {const} */ ([
    [{}, 'after must be a whole number of requests'],
    [{ after: -1 }, 'after must be a whole number of requests'],
    [{ after: 1, system: 'sap' }, 'system must be huma, crona or any'],
    [{ after: 1, path: '(' }, 'path must be a regular expression source'],
    [{ after: 1, latencyMs: 5 }, 'unknown pause option "latencyMs"'],
  ])) {
    const r = await api.control('pause', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.deepEqual(r.body, { error });
  }
  assert.equal(await paused(), null);
});
