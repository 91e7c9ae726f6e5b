// The JSON API under /api/ (docs/service-api.md): sign-in, connections, runs, the error log.
// Each handler gets the request, the parsed route and the signed-in administrator, and answers
// [status, body] or throws a coded error. No handler decides anything about people: the core
// does, in the page.
import { CronaSyncError } from '../errors.js';
import { connectionView, saveConnection } from './connections.js';
import { readJson } from './http-io.js';
import { finishRun, renewRun, startRun } from './runs.js';
import { humaGroups } from './groups.js';

/** A run's finish carries the report: it may be large for a big register. */
const REPORT_LIMIT = 64 * 1024 * 1024;

/**
 * @typedef {object} Context
 * @property {import('./store.js').Store} store
 * @property {import('./auth.js').Auth} auth
 * @property {(token: string) => void} forget   drops the relay's transports of a finished run
 * @property {import('./webhooks.js').Webhooks} webhooks
 * @property {import('./schedule.js').Schedule} schedule
 * @property {import('./mail.js').Mailer} mailer
 * @property {typeof fetch} [fetch]
 * @typedef {{ req: import('node:http').IncomingMessage, params: string[], admin: { id: number, name: string } | null, address: string }} Call
 * @typedef {{ status: number, body?: unknown, headers?: Record<string, string> }} Answer
 * @typedef {{ method: string, re: RegExp, open?: boolean, run: (ctx: Context, call: Call) => Promise<Answer> | Answer }} Route
 */

/** A connection as the page sees it, with its webhooks' health. @param {Context} ctx @param {import('./store.js').StoredConnection} c */
function view(ctx, c) {
  const drift = ctx.store.lastRun(c.id, 'drift');
  return {
    ...connectionView(ctx.store, c),
    webhooks: ctx.webhooks.health(c.id),
    schedule: { nextRunAt: ctx.schedule.nextRunAt(c.id), driftCheck: Boolean(c.settings.driftCheck), lastDrift: drift ? { at: drift.finishedAt ?? drift.startedAt, summary: drift.summary } : null },
    mail: { recipients: c.settings.recipients ?? [], scheduled: Boolean(c.settings.mailScheduled), smtp: ctx.mailer.configured },
  };
}

/** @param {Context} ctx @param {string} id */
function connectionOf(ctx, id) {
  const c = ctx.store.connection(Number(id));
  if (!c) throw new CronaSyncError('not_found', `There is no connection ${id}.`, { connection: Number(id) });
  return c;
}

/** @param {import('node:http').IncomingMessage} req @param {import('./auth.js').Auth} auth @param {string} token */
const withCookie = (req, auth, token) => ({ 'set-cookie': auth.cookieFor(req, token) });

/** @type {Route[]} */
export const ROUTES = [
  // Who is signed in, and signing in (open: no session needed).
  { method: 'GET', re: /^\/api\/session$/, open: true, run: (ctx, { req }) => ({ status: 200, body: { admin: { name: ctx.auth.require(req).name } } }) },
  { method: 'POST', re: /^\/api\/setup$/, open: true, run: async (ctx, { req, address }) => {
    const b = await readJson(req);
    const admin = await ctx.auth.setup(address, b.token, b.name, b.password);
    return { status: 201, body: { admin: { name: admin.name } }, headers: withCookie(req, ctx.auth, ctx.auth.startSession(admin.id)) };
  } },
  { method: 'POST', re: /^\/api\/signin$/, open: true, run: async (ctx, { req, address }) => {
    const b = await readJson(req);
    const admin = await ctx.auth.signIn(address, b.name, b.password);
    return { status: 200, body: { admin: { name: admin.name } }, headers: withCookie(req, ctx.auth, ctx.auth.startSession(admin.id)) };
  } },
  { method: 'POST', re: /^\/api\/signin-link$/, open: true, run: async (ctx, { req, address }) => {
    const b = await readJson(req);
    const admin = ctx.auth.linkSignIn(address, b.token);
    return { status: 200, body: { admin: { name: admin.name } }, headers: withCookie(req, ctx.auth, ctx.auth.startSession(admin.id)) };
  } },
  { method: 'POST', re: /^\/api\/signout$/, open: true, run: (ctx, { req }) => {
    ctx.auth.signOut(req);
    return { status: 204, headers: { 'set-cookie': ctx.auth.clearCookie(req) } };
  } },

  // Connections.
  { method: 'GET', re: /^\/api\/connections$/, run: (ctx) => ({ status: 200, body: { connections: ctx.store.connections().map((c) => view(ctx, c)) } }) },
  { method: 'POST', re: /^\/api\/connections$/, run: async (ctx, { req }) => {
    const id = await saveConnection(ctx.store, await readJson(req), { fetch: ctx.fetch });
    return { status: 201, body: { connection: view(ctx, connectionOf(ctx, String(id))) } };
  } },
  { method: 'GET', re: /^\/api\/connections\/(\d+)$/, run: (ctx, { params }) => ({ status: 200, body: { connection: view(ctx, connectionOf(ctx, params[0])) } }) },
  { method: 'PUT', re: /^\/api\/connections\/(\d+)$/, run: async (ctx, { req, params, admin }) => {
    const c = connectionOf(ctx, params[0]);
    const body = await readJson(req);
    // Refused (locked) while a run works on the connection: its writes must reach the systems
    // it read, not the ones an edit names.
    const token = ctx.store.takeLease(c.id, `${admin?.name} (editing the connection)`, 2 * 60_000);
    try {
      await saveConnection(ctx.store, body, { id: c.id, fetch: ctx.fetch });
    } finally {
      ctx.store.releaseLease(c.id, token);
    }
    return { status: 200, body: { connection: view(ctx, connectionOf(ctx, params[0])) } };
  } },
  { method: 'DELETE', re: /^\/api\/connections\/(\d+)$/, run: (ctx, { params, admin }) => {
    const c = connectionOf(ctx, params[0]);
    // Refused (locked) while a run holds the connection; the lease goes with it.
    ctx.store.takeLease(c.id, `${admin?.name} (removing the connection)`, 60_000);
    ctx.store.removeConnection(c.id);
    return { status: 204 };
  } },
  { method: 'POST', re: /^\/api\/huma-groups$/, run: async (ctx, { req }) => {
    const b = await readJson(req);
    // A saved connection's secret goes only to its own Huma, with its own client id.
    const saved = b.connectionId === undefined ? null : connectionOf(ctx, String(b.connectionId));
    const o = saved
      ? { baseUrl: saved.settings.huma.baseUrl, clientId: saved.settings.huma.clientId, clientSecret: ctx.store.secret(saved.id, 'huma.clientSecret') ?? '' }
      : { baseUrl: b.baseUrl, clientId: b.clientId, clientSecret: typeof b.clientSecret === 'string' ? b.clientSecret : '' };
    const groups = await humaGroups({ ...o, fetch: ctx.fetch });
    return { status: 200, body: { groups } };
  } },

  // Webhooks: the receiver's secret (shown once), and what was held for an administrator.
  { method: 'POST', re: /^\/api\/connections\/(\d+)\/webhook$/, run: (ctx, { req, params }) => {
    const c = connectionOf(ctx, params[0]);
    return { status: 201, body: { url: `${ctx.auth.origin(req)}/webhooks/${c.id}`, secret: ctx.webhooks.newSecret(c.id) } };
  } },
  { method: 'GET', re: /^\/api\/connections\/(\d+)\/held$/, run: (ctx, { params }) => ({ status: 200, body: { events: ctx.store.events(connectionOf(ctx, params[0]).id, 'held') } }) },
  { method: 'GET', re: /^\/api\/connections\/(\d+)\/held\/preview$/, run: async (ctx, { params }) => ({ status: 200, body: await ctx.webhooks.preview(connectionOf(ctx, params[0]).id) }) },
  { method: 'POST', re: /^\/api\/connections\/(\d+)\/held\/approve$/, run: async (ctx, { params, admin }) => ({
    status: 200, body: await ctx.webhooks.approve(connectionOf(ctx, params[0]).id, /** @type {{ name: string }} */ (admin)),
  }) },

  // Runs and the error log.
  { method: 'GET', re: /^\/api\/connections\/(\d+)\/runs$/, run: (ctx, { params }) => ({ status: 200, body: { runs: ctx.store.runs(connectionOf(ctx, params[0]).id) } }) },
  { method: 'GET', re: /^\/api\/connections\/(\d+)\/runs\/(\d+)$/, run: (ctx, { params }) => {
    const c = connectionOf(ctx, params[0]);
    const run = ctx.store.run(Number(params[1]));
    if (!run || run.connectionId !== c.id) throw new CronaSyncError('not_found', `There is no run ${params[1]} on this connection.`);
    return { status: 200, body: { run, report: ctx.store.report(run.id) } };
  } },
  { method: 'GET', re: /^\/api\/connections\/(\d+)\/errors$/, run: (ctx, { params }) => ({ status: 200, body: { errors: ctx.store.errors(connectionOf(ctx, params[0]).id) } }) },
  { method: 'POST', re: /^\/api\/connections\/(\d+)\/runs$/, run: async (ctx, { req, params, admin }) => {
    const b = await readJson(req);
    return { status: 201, body: await startRun(ctx.store, connectionOf(ctx, params[0]).id, /** @type {{ name: string }} */ (admin), b.kind, { fetch: ctx.fetch }) };
  } },
  { method: 'POST', re: /^\/api\/connections\/(\d+)\/runs\/(\d+)\/lease$/, run: async (ctx, { req, params }) => {
    const b = await readJson(req);
    return { status: 200, body: renewRun(ctx.store, Number(params[0]), Number(params[1]), b.token) };
  } },
  { method: 'POST', re: /^\/api\/connections\/(\d+)\/runs\/(\d+)\/finish$/, run: async (ctx, { req, params }) => {
    const b = await readJson(req, REPORT_LIMIT);
    const c = connectionOf(ctx, params[0]);
    const run = ctx.store.run(Number(params[1]));
    try {
      return { status: 200, body: finishRun(ctx.store, c.id, Number(params[1]), b) };
    } finally {
      if (typeof b.token === 'string') ctx.forget(b.token);
      // The result e-mail of a manual sync that ran (the writes are done even if the state
      // wasn't saved); sent in the background, its failure logged.
      const finished = ctx.store.run(Number(params[1]));
      if (run && !run.finishedAt && finished?.finishedAt && b.report && typeof b.report === 'object') void ctx.mailer.afterRun(c, run.kind, b.report);
    }
  } },
];
