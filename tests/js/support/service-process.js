// `crona-sync serve --data DIR` as a child process (so a test can SIGKILL it), signed in.
import { spawn } from 'node:child_process';
import { CLI, runCli } from './cli.js';

/**
 * Starts the service on a free port and signs `admin` in with a one-time link.
 * @param {string[]} args @param {{ env: Record<string, string>, cwd: string, admin: string }} o
 */
export async function startServiceProcess(args, o) {
  const child = spawn(process.execPath, [CLI, 'serve', '--data', 'data', '--port', '0', ...args], { env: o.env, cwd: o.cwd });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /crona-sync service on (http:\/\/\S+) /.exec(out);
      if (m) resolve(m[1]);
    });
    exited.then((e) => reject(new Error(`the service ended (${JSON.stringify(e)}): ${out}${err}`)));
  });
  const link = await runCli(['admin', 'link', o.admin, '--data', 'data', '--url', url], { env: o.env, cwd: o.cwd });
  const token = /#signin=(\S+)/.exec(link.stdout)?.[1];
  const signin = await fetch(`${url}/api/signin-link`, { method: 'POST', headers: { origin: url, 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  if (signin.status !== 200) throw new Error(`sign-in failed: ${signin.status}`);
  const cookie = /** @type {string} */ (signin.headers.get('set-cookie')).split(';')[0];
  /** @param {string} method @param {string} path @param {unknown} [body] */
  const call = async (method, path, body) => {
    const r = await fetch(`${url}${path}`, { method, headers: { origin: url, cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, json: await r.json().catch(() => null) };
  };
  return { url, child, exited, call, log: () => out };
}
