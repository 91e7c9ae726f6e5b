// Starts `crona-sync serve --json` as a child process and follows its log lines.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { CLI } from './cli.js';

/**
 * @param {string[]} args
 * @param {{ env: Record<string, string>, cwd: string }} o
 */
export async function startServe(args, o) {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--json', ...args], { env: o.env, cwd: o.cwd });
  /** @type {any[]} */
  const lines = [];
  /** @type {{ test: (l: any) => boolean, resolve: (l: any) => void }[]} */
  let waiters = [];
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    buffered += d;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      waiters = waiters.filter((w) => !(w.test(line) && (w.resolve(line), true)));
    }
  });
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  /**
   * The first log line (already seen or still to come) that passes `test`.
   * @param {(l: any) => boolean} test
   * @returns {Promise<any>}
   */
  const waitFor = (test) => {
    const seen = lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      waiters.push({ test, resolve });
      exited.then((e) => reject(new Error(`serve exited (${JSON.stringify(e)}) before the line came; log: ${JSON.stringify(lines)}`)));
    });
  };
  const listening = await waitFor((l) => l.event === 'listening');
  return { child, lines, waitFor, exited, url: /** @type {string} */ (listening.url), listening };
}

/**
 * Posts a delivery as Huma would: the topic in the header and the body, signed with `secret`.
 * @param {string} url
 * @param {{ secret?: string, topic?: string, bodyTopic?: string, users?: object[], encoding?: 'hex' | 'base64', signature?: string | null, body?: string, headers?: Record<string, string> }} d
 */
export async function deliver(url, d) {
  const topic = d.topic ?? 'users-update';
  const body = d.body ?? JSON.stringify({ topic: d.bodyTopic ?? topic, users: d.users ?? [] });
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json', 'huma-topic': topic, ...d.headers };
  const signature = d.signature !== undefined ? d.signature : d.secret ? createHmac('sha256', d.secret).update(body).digest(d.encoding ?? 'hex') : null;
  if (signature !== null) headers['huma-hmac-sha256'] = signature;
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.json() };
}
