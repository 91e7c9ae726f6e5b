// The connection lock: a run that is gone (a zombie nobody reaped, a PID now used by another
// process) doesn't block the next one; a run that is still going does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CronaSyncError } from '../../pkg/lib/errors.js';
import { lock, readHolder, startTime } from '../../pkg/lib/cli/files.js';

const linux = existsSync('/proc/self/stat');

function lockPath() {
  return join(mkdtempSync(join(tmpdir(), 'crona-sync-lock-')), 'crona-sync.state.json.lock');
}

/** @param {number} ms */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until `probe` returns something (bounded by attempts, so a broken machine fails the test
 * instead of hanging it; nothing is asserted about how long it took).
 * @template T
 * @param {() => T | null | undefined} probe
 * @param {string} what
 * @returns {Promise<T>}
 */
async function waitFor(probe, what) {
  for (let i = 0; i < 3000; i++) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    await pause(10);
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** @param {number} pid @returns {{ ppid: number, state: string } | null} */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 1).trim().split(/\s+/);
    return { state: fields[0], ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

/**
 * A zombie: bash starts a subshell in the background and then becomes `sleep`, which never waits
 * for it. The subshell ends only once its parent is `sleep` (had it ended before the exec, bash
 * would have reaped it), and then stays a zombie until the sleep ends. Returns its PID and a cleanup.
 */
async function zombie() {
  const script = '( while read -r c < /proc/$$/comm && [ "$c" = bash ]; do sleep 0.01; done ) & exec sleep 600';
  const parent = spawn('bash', ['-c', script], { stdio: 'ignore' });
  const ppid = /** @type {number} */ (parent.pid);
  try {
    const pid = await waitFor(() => {
      for (const name of readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        const s = stat(Number(name));
        if (s && s.ppid === ppid && s.state === 'Z') return Number(name);
      }
      return null;
    }, 'a zombie child of the sleep');
    return { pid, end: () => parent.kill('SIGKILL') };
  } catch (error) {
    parent.kill('SIGKILL');
    throw error;
  }
}

/** @param {string} path */
function holder(path) {
  return readHolder(readFileSync(path, 'utf8'));
}

test('the lock names this process and when it started, and release removes it', () => {
  const path = lockPath();
  const release = lock(path);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { pid: process.pid, startedAt: startTime(process.pid) });
  if (linux) assert.match(String(startTime(process.pid)), /^\d+$/);
  assert.throws(() => lock(path), (error) => error instanceof CronaSyncError && error.code === 'locked' && error.message.includes(`process ${process.pid}`));
  release();
  assert.ok(!existsSync(path));
});

test('a lock held by a running process that started when the lock says is refused; so is an old plain-PID lock of a running process', () => {
  const path = lockPath();
  writeFileSync(path, JSON.stringify({ pid: process.pid, startedAt: startTime(process.pid) }));
  assert.throws(() => lock(path), { code: 'locked' });
  writeFileSync(path, String(process.pid));
  assert.throws(() => lock(path), { code: 'locked' });
  assert.equal(readFileSync(path, 'utf8'), String(process.pid), 'left alone');
});

test('a lock whose PID now belongs to another process (another start time) is taken over', { skip: !linux && 'needs /proc' }, () => {
  const path = lockPath();
  writeFileSync(path, JSON.stringify({ pid: process.pid, startedAt: '1' }));
  const release = lock(path);
  assert.deepEqual(holder(path), { pid: process.pid, startedAt: startTime(process.pid) });
  release();
});

test('a lock held by a zombie (killed, not yet reaped) is taken over, in either format', { skip: !linux && 'needs /proc' }, async () => {
  const z = await zombie();
  try {
    for (const text of [JSON.stringify({ pid: z.pid, startedAt: startTime(z.pid) }), String(z.pid)]) {
      const path = lockPath();
      writeFileSync(path, text);
      assert.equal(stat(z.pid)?.state, 'Z', 'still a zombie');
      const release = lock(path);
      assert.equal(holder(path)?.pid, process.pid, text);
      release();
    }
  } finally {
    z.end();
  }
});

test('a lock left by a process that is gone, or holding no PID at all, is taken over', async () => {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = /** @type {number} */ (child.pid);
  await new Promise((resolve) => child.on('exit', resolve));
  await waitFor(() => (linux && existsSync(`/proc/${pid}`) ? null : true), 'the child to be reaped');
  for (const text of [JSON.stringify({ pid, startedAt: '5' }), String(pid), '', '{"pid":"x"}', 'garbage']) {
    const path = lockPath();
    writeFileSync(path, text);
    const release = lock(path);
    assert.equal(holder(path)?.pid, process.pid, JSON.stringify(text));
    release();
  }
});

test('releasing a lock that another run has taken over leaves theirs in place', () => {
  const path = lockPath();
  const release = lock(path);
  writeFileSync(path, JSON.stringify({ pid: 1, startedAt: '1' }));
  release();
  assert.ok(existsSync(path));
});
