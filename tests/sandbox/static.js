// Static files for the integration page (www/) and the package (pkg/), never anything outside those roots.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { send } from './http.js';

/** Content types by file ending; `.d.ts` is matched before `.ts`. */
const TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.d.ts': 'application/typescript; charset=utf-8',
  '.ts': 'application/typescript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.woff2': 'font/woff2',
});

/** @param {string} file */
export function contentType(file) {
  const name = path.basename(file).toLowerCase();
  if (name.endsWith('.d.ts')) return /** @type {string} */ (TYPES['.d.ts']);
  return TYPES[path.extname(name)] ?? 'application/octet-stream';
}

/**
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {URL} url
 * @param {Record<string, string>} roots  URL prefix ('/', '/pkg/') → directory
 */
export async function serveStatic(req, res, url, roots) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
  const notFound = () => send(res, 404, 'Not Found\n', { 'Content-Type': 'text/plain; charset=utf-8' });
  const forbidden = () => send(res, 403, 'Forbidden\n', { 'Content-Type': 'text/plain; charset=utf-8' });
  let decoded;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return send(res, 400, 'Bad Request\n', { 'Content-Type': 'text/plain; charset=utf-8' });
  }
  // an encoded "..", "\" or NUL is an attempt to leave the root, not a file name
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) return forbidden();
  const prefix = Object.keys(roots).sort((a, b) => b.length - a.length).find((p) => decoded.startsWith(p) || `${decoded}/` === p);
  if (prefix === undefined) return notFound();
  if (`${decoded}/` === prefix) return send(res, 301, '', { Location: prefix + url.search });
  const root = path.resolve(/** @type {string} */ (roots[prefix]));
  let file = path.resolve(root, `.${path.sep}${decoded.slice(prefix.length)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return forbidden();
  try {
    let stat = await fs.stat(file);
    if (stat.isDirectory()) {
      if (!url.pathname.endsWith('/')) return send(res, 301, '', { Location: `${url.pathname}/${url.search}` });
      file = path.join(file, 'index.html');
      stat = await fs.stat(file);
    }
    if (!stat.isFile()) return notFound();
    // a symlink inside the root must not lead out of it
    const [realFile, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(root)]);
    if (!realFile.startsWith(realRoot + path.sep)) return forbidden();
    const data = await fs.readFile(realFile);
    /** @type {Record<string, string | number>} */
    const headers = { 'Content-Type': contentType(file), 'Content-Length': data.length, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    // A page is never framed (clickjacking of Run or Remove); a <meta> policy can't say so.
    if (file.endsWith('.html')) Object.assign(headers, { 'Content-Security-Policy': "frame-ancestors 'none'", 'X-Frame-Options': 'DENY' });
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : data);
  } catch {
    return notFound();
  }
}
