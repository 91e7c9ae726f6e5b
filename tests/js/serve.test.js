// `crona-sync push` and `crona-sync serve` behind Huma's profile webhooks, against the sandbox:
// signatures, topics and sizes at the door; a change in Huma reaching Crona as exactly one write;
// a restart replaying an acknowledged event once.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { jobEnv, runCli, workdir } from './support/cli.js';
import { sandbox } from './support/sandbox.js';
import { deliver, startServe } from './support/serve.js';

const box = await sandbox({ people: 40 });
const SECRET = 'whsec-4f1c8a2e9b7d';
const env = jobEnv(box, { HUMA_WEBHOOK_SECRET: SECRET });

/** A folder with an active connection: the first sync has run. */
async function activated() {
  await box.control('reset', { seed: 1, people: 40 });
  const dir = workdir();
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ fields: { bankAccount: 'crona', '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }));
  const r = await runCli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { env, cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

/** A person in both systems whom no planted case concerns. */
async function plainPerson() {
  const { huma, crona, planted } = await box.inspect();
  const odd = new Set(planted.flatMap((/** @type {any} */ p) => [p.humaId, p.anstNr]));
  const user = huma.users.find((/** @type {any} */ u) => !odd.has(u.id) && !odd.has(u.employmentId) && crona.employees.some((/** @type {any} */ e) => e.AnstNr === u.employmentId && e.EpostArb.toLowerCase() === u.email));
  assert.ok(user, 'the sample data has plain people');
  return user;
}

/** The writes after `since`, as method, path and body. @param {number} since */
async function writesSince(since) {
  const { writes } = await box.inspect(since);
  return writes.map((/** @type {any} */ w) => ({ method: w.method, path: w.path, body: w.body }));
}

test('push --user sends a Huma change to Crona; before the first sync it is refused', async () => {
  await box.control('reset', { seed: 1, people: 40 });
  const fresh = await runCli(['push', '--user', '00000000-0000-4000-8000-000000000001'], { env, cwd: workdir() });
  assert.equal(fresh.code, 4, fresh.stderr);
  assert.match(fresh.stderr, /run a first 'crona-sync sync'/);

  const dir = await activated();
  const person = await plainPerson();
  await box.control(`huma/users/${person.id}/edit`, { phone: '070-555 12 34' });
  const { seq } = await box.inspect();
  const r = await runCli(['push', '--user', person.id, '--json'], { env, cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await writesSince(seq), [{ method: 'PATCH', path: `/api/v1/employees/${person.employmentId}`, body: { Mobil: '070-555 12 34' } }]);
  const report = JSON.parse(r.stdout);
  assert.match(report.summary.text, /^Push of /);
  const state = JSON.parse(readFileSync(join(dir, 'crona-sync.state.json'), 'utf8'));
  assert.equal(state.lastPush.counts.updated, 1);
  assert.ok(state.lastSync, 'the last sync is still on record');
});

test('serve refuses to start without a webhook secret', async () => {
  const r = await runCli(['serve', '--port', '0'], { env: jobEnv(box), cwd: workdir() });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /HUMA_WEBHOOK_SECRET/);
});

test('serve checks every delivery: signature (hex or base64), topic and size', async () => {
  const dir = await activated();
  const person = await plainPerson();
  const serve = await startServe(['--max-body', '4096', '--debounce', '100'], { env, cwd: dir });
  try {
    const users = [{ id: person.id, email: person.email }];
    const ok = await deliver(serve.url, { secret: SECRET, users });
    assert.deepEqual([ok.status, ok.body.people], [202, 1]);
    const b64 = await deliver(serve.url, { secret: SECRET, users, encoding: 'base64' });
    assert.equal(b64.status, 202, 'base64, since the encoding is undocumented');
    const body = JSON.stringify({ topic: 'users-update', users });
    const { createHmac } = await import('node:crypto');
    const upper = createHmac('sha256', SECRET).update(body).digest('hex').toUpperCase();
    assert.equal((await deliver(serve.url, { body, signature: upper })).status, 202, 'upper-case hex');

    const wrong = await deliver(serve.url, { secret: 'another-secret', users });
    assert.deepEqual([wrong.status, wrong.body.error.code], [401, 'bad_signature']);
    const missing = await deliver(serve.url, { users });
    assert.deepEqual([missing.status, missing.body.error.code], [401, 'bad_signature']);
    const tampered = await deliver(serve.url, { body: body.replace(person.id, '00000000-0000-4000-8000-000000000009'), signature: createHmac('sha256', SECRET).update(body).digest('hex') });
    assert.equal(tampered.status, 401, 'the signature covers the body');
    const topic = await deliver(serve.url, { secret: SECRET, users, topic: 'users-update', bodyTopic: 'users-create' });
    assert.deepEqual([topic.status, topic.body.error.code], [400, 'topic_mismatch']);
    const noTopic = await deliver(serve.url, { secret: SECRET, users, headers: { 'huma-topic': '' } });
    assert.equal(noTopic.status, 400);
    const big = await deliver(serve.url, { secret: SECRET, users: Array.from({ length: 100 }, () => ({ id: person.id, email: person.email })) });
    assert.deepEqual([big.status, big.body.error.code], [413, 'too_large']);
    const badId = await deliver(serve.url, { secret: SECRET, users: [{ id: '../../api/v1/employees', email: 'x@y.se' }] });
    assert.deepEqual([badId.status, badId.body.error.code], [400, 'bad_body']);
    const other = await deliver(serve.url, { secret: SECRET, topic: 'absence-create', users });
    assert.deepEqual([other.status, other.body.ignored], [202, true]);
    const deleted = await deliver(serve.url, { secret: SECRET, topic: 'users-delete', users });
    assert.deepEqual([deleted.status, deleted.body.reason], [202, 'nothing is deleted in Crona']);
    const get = await fetch(serve.url);
    assert.equal(get.status, 405);

    // The three accepted deliveries name one person: one push, nothing to write.
    const pushed = await serve.waitFor((l) => l.event === 'pushed');
    assert.equal(pushed.people, 1);
    const health = await (await fetch(`${serve.url}/health`)).json();
    assert.deepEqual([health.status, health.queued, health.waitingPeople], ['ok', 0, 0], 'the one push finished all three events');
    assert.equal(serve.lines.filter((l) => l.event === 'pushed').length, 1);
    assert.ok(!JSON.stringify(serve.lines).includes(SECRET), 'the secret is never logged');
  } finally {
    serve.child.kill('SIGTERM');
    assert.equal((await serve.exited).code, 0);
  }
});

test('end to end: a change in Huma reaches Crona through the webhook as exactly that write', async () => {
  const dir = await activated();
  const person = await plainPerson();
  const serve = await startServe(['--debounce', '300'], { env, cwd: dir });
  try {
    await box.control('webhooks', { url: serve.url, secret: SECRET });
    const { seq } = await box.inspect();
    // HR edits the person twice in a row in Huma's web page: one push carries both.
    await box.control(`huma/users/${person.id}/edit`, { phone: '070-555 98 76' });
    await box.control(`huma/users/${person.id}/edit`, { privateEmail: 'ny.adress@example.com' });
    await box.webhooksIdle();
    const pushed = await serve.waitFor((l) => l.event === 'pushed');
    assert.deepEqual([pushed.people, pushed.counts.updated, pushed.counts.failed], [1, 1, 0]);
    assert.deepEqual(await writesSince(seq), [
      { method: 'PATCH', path: `/api/v1/employees/${person.employmentId}`, body: { Mobil: '070-555 98 76', EpostPriv: 'ny.adress@example.com' } },
    ]);
    const deliveries = (await box.inspect(seq)).webhooks;
    assert.deepEqual(deliveries.map((/** @type {any} */ d) => [d.topic, d.status]), [['users-update', 202], ['users-update', 202]]);
  } finally {
    await box.control('webhooks', undefined, 'DELETE');
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
});

test('an acknowledged event survives a crash of serve and is replayed once', async () => {
  const dir = await activated();
  const person = await plainPerson();
  // A long quiet time: the event is queued and acknowledged, but not yet pushed.
  const first = await startServe(['--debounce', '600000'], { env, cwd: dir });
  await box.control('webhooks', { url: first.url, secret: SECRET });
  const { seq } = await box.inspect();
  await box.control(`huma/users/${person.id}/edit`, { phone: '070-555 44 33' });
  await box.webhooksIdle();
  await first.waitFor((l) => l.event === 'queued');
  first.child.kill('SIGKILL');
  await first.exited;
  assert.deepEqual(await writesSince(seq), [], 'nothing pushed before the crash');

  const second = await startServe(['--debounce', '50'], { env, cwd: dir });
  assert.equal(second.listening.replaying, 1);
  await second.waitFor((l) => l.event === 'pushed');
  second.child.kill('SIGTERM');
  await second.exited;
  const writes = await writesSince(seq);
  assert.deepEqual(writes, [{ method: 'PATCH', path: `/api/v1/employees/${person.employmentId}`, body: { Mobil: '070-555 44 33' } }]);

  const third = await startServe(['--debounce', '50'], { env, cwd: dir });
  assert.equal(third.listening.replaying, 0, 'done events are not replayed again');
  third.child.kill('SIGTERM');
  await third.exited;
  assert.deepEqual(await writesSince(seq), writes);
  await box.control('webhooks', undefined, 'DELETE');
});
