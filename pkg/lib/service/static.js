// The integration page's files: www/ at / and the package's browser files at /pkg/. Nothing
// outside those roots is served (no "..", no symlink out); pages are never framed.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json; charset=utf-8',
});

/** The folders the service serves by default: the repository's www/ and the package itself. */
export const DEFAULT_ROOTS = Object.freeze({
  '/pkg/': new URL('../../', import.meta.url).pathname,
  '/': new URL('../../../www/', import.meta.url).pathname,
});

/**
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 * @param {string} pathname @param {Record<string, string>} roots  URL prefix → folder
 */
export async function serveFile(req, res, pathname, roots) {
  const plain = (/** @type {number} */ status, /** @type {string} */ text, /** @type {Record<string, string>} */ extra = {}) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...extra });
    res.end(text);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Method Not Allowed\n', { allow: 'GET, HEAD' });
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return plain(400, 'Bad Request\n');
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) return plain(403, 'Forbidden\n');
  const prefix = Object.keys(roots).sort((a, b) => b.length - a.length).find((p) => decoded.startsWith(p));
  if (prefix === undefined) return plain(404, 'Not Found\n');
  const root = path.resolve(roots[prefix]);
  let file = path.resolve(root, `.${path.sep}${decoded.slice(prefix.length)}`);
  try {
    if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html');
    const [real, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(root)]);
    if (!real.startsWith(realRoot + path.sep)) return plain(403, 'Forbidden\n');
    const data = await fs.readFile(real);
    /** @type {Record<string, string | number>} */
    const headers = { 'content-type': TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream', 'content-length': data.length, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (real.endsWith('.html')) Object.assign(headers, { 'content-security-policy': "frame-ancestors 'none'", 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : data);
  } catch {
    return plain(404, 'Not Found\n');
  }
}
