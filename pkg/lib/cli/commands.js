// The CLI's commands: connect, preview and sync. Each returns an exit code.
import { appendFileSync, chmodSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { SyncSession, cronaTransport, drive, humaTransport } from '../../index.js';
import { CronaSyncError } from '../errors.js';
import { resolveConnection } from './connection.js';
import { lock, readJson, writeAtomic } from './files.js';
import { policyToDecisions } from './policy.js';
import { progressBar } from './progress.js';
import { colours, planText, previewText, reportText } from './render.js';

/** @typedef {Record<string, any>} Flags */

/** @param {Flags} flags */
function transports(flags) {
  const c = resolveConnection(/** @type {any} */ (flags), process.env);
  const huma = humaTransport({ baseUrl: c.humaUrl, clientId: c.humaClientId, clientSecret: c.humaClientSecret });
  const crona = cronaTransport({ baseUrl: c.cronaUrl, apiKey: c.cronaApiKey, activationCode: c.cronaActivationCode });
  return { connection: c, huma, crona };
}

/** Today in Sweden, where the payroll runs. */
function today() {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}

/** @param {Flags} flags */
function stateFile(flags) {
  return flags.state ?? String(flags.connection).replace(/\.json$/, '') + '.state.json';
}

/**
 * The state and the connection file must belong to the systems these credentials reach: a
 * state of another connection would pair strangers by its remembered pairs.
 * @param {import('./connection.js').Connection} connection
 * @param {{ organizationId: string }} humaId
 * @param {{ companyId: string, companyName: string }} company
 * @param {any} state
 */
function checkIdentity(connection, humaId, company, state) {
  const fileCompany = connection.file.crona?.companyId;
  if (fileCompany && company.companyId && fileCompany !== company.companyId) {
    throw new CronaSyncError('connection_mismatch', `These Crona credentials reach ${company.companyName}, but the connection file is for another company (${connection.file.crona?.companyName ?? fileCompany}). Use its own connection file, or run connect again.`);
  }
  const recorded = state?.connection ?? {};
  if (recorded.cronaCompanyId && !company.companyId) {
    process.stderr.write(`crona-sync: with a Crona API key alone the company can't be checked; make sure ${connection.file.crona?.companyName ?? 'this state'} is the company these credentials reach.\n`);
  }
  // Compared only where both are known: a Crona connection by API key alone can't name its company.
  const differs = (/** @type {string | undefined} */ a, /** @type {string | undefined} */ b) => Boolean(a && b && a !== b);
  if (differs(recorded.humaOrganizationId, humaId.organizationId) || differs(recorded.cronaCompanyId, company.companyId)) {
    const whose = [recorded.cronaCompanyId && `Crona company ${recorded.cronaCompanyId}`, recorded.humaOrganizationId && `Huma organisation ${recorded.humaOrganizationId}`].filter(Boolean).join(', ');
    throw new CronaSyncError('state_mismatch', `The state file belongs to another connection (${whose}). Use --state to name this connection's state file.`);
  }
  return {
    humaOrganizationId: humaId.organizationId || recorded.humaOrganizationId,
    cronaCompanyId: company.companyId || recorded.cronaCompanyId,
  };
}

/** @param {Flags} flags @param {any} state */
async function fetchPreview(flags, state) {
  const { connection, huma, crona } = transports(flags);
  const identity = checkIdentity(connection, await huma.verify(), await crona.verify(), state);
  const session = new SyncSession({ today: flags.today ?? today(), now: new Date().toISOString(), state, scope: connection.scope });
  const bar = flags.json ? progressBar('') : progressBar('Fetching');
  try {
    await drive(session, { huma, crona }, { concurrency: Number(flags.concurrency ?? 6), onProgress: bar.update });
  } finally {
    bar.done();
  }
  return { session, huma, crona, connection, identity };
}

/** @param {Flags} flags */
export async function connect(flags) {
  const { connection, huma, crona } = transports(flags);
  const { organizationId } = await huma.verify();
  const company = await crona.verify();
  /** @type {import('./connection.js').ConnectionFile} */
  const file = {
    name: flags.name ?? connection.file.name ?? company.companyName ?? 'default',
    huma: { baseUrl: connection.humaUrl, clientId: connection.humaClientId },
    crona: { baseUrl: connection.cronaUrl, companyId: company.companyId, companyName: company.companyName },
    scope: connection.scope,
  };
  writeAtomic(flags.connection, JSON.stringify(file, null, 2) + '\n');
  if (flags.json) {
    process.stdout.write(JSON.stringify({ connection: file, huma: { organizationId }, file: flags.connection }) + '\n');
  } else {
    process.stdout.write(`Connected: Huma organisation ${organizationId} ↔ Crona company ${company.companyName}.\nWrote ${flags.connection} (no secrets in it).\n`);
  }
  return 0;
}

/** @param {Flags} flags */
export async function preview(flags) {
  const state = readJson(stateFile(flags), null, 'state file');
  const { session } = await fetchPreview(flags, state);
  const p = session.preview();
  process.stdout.write(flags.json ? JSON.stringify(p) + '\n' : previewText(p, colours(process.stdout)));
  return 0;
}

/** @param {Flags} flags */
export async function sync(flags) {
  // Refuse before anything is written, not after.
  if (flags.report && !existsSync(dirname(resolve(flags.report)))) {
    throw new CronaSyncError('usage', `The folder for --report ${flags.report} doesn't exist.`);
  }
  const path = stateFile(flags);
  const release = lock(`${path}.lock`);
  try {
    return await syncLocked(flags, path);
  } finally {
    release();
  }
}

/** @param {Flags} flags @param {string} path */
async function syncLocked(flags, path) {
  const out = process.stdout;
  const c = colours(out);
  const say = (/** @type {string} */ s) => flags.json || out.write(s);
  const state = readJson(path, null, 'state file');
  const { session, huma, crona, identity } = await fetchPreview(flags, state);
  const p = session.preview();
  say(previewText(p, c));

  const decisions = flags.policy
    ? policyToDecisions(readJson(flags.policy, undefined, 'policy file') ?? missing(flags.policy))
    : await askDecisions(p);
  const plan = session.plan(decisions);
  say('\n' + planText(plan, c));
  if (plan.needsMassChangeApproval && !flags['allow-mass-change']) {
    throw new CronaSyncError('mass_change_refused', 'This plan changes more people than a normal sync; run again with --allow-mass-change to approve it.');
  }
  if (plan.operations.length && !flags.yes && !(await confirm('Apply this plan?'))) {
    throw new CronaSyncError('not_confirmed', 'Nothing was written: the plan was not confirmed (pass --yes to run without a terminal).');
  }
  session.apply(plan.hash, { allowMassChange: Boolean(flags['allow-mass-change']) });
  const bar = flags.json ? progressBar('') : progressBar('Writing');
  try {
    await drive(session, { huma, crona }, { concurrency: Number(flags.concurrency ?? 6), onProgress: bar.update });
  } finally {
    bar.done();
  }
  const report = session.report();
  // The result first, so it is never lost; a state, report or log that can't be written is
  // reported, never silent.
  if (flags.json) out.write(JSON.stringify(report) + '\n');
  else say('\n' + reportText(report, c));
  let exit = report.errors.length ? 1 : 0;
  try {
    writeAtomic(path, JSON.stringify({ ...report.nextState, connection: identity }, null, 2) + '\n', { mode: 0o600 });
  } catch (error) {
    process.stderr.write(`crona-sync sync: the writes are done, but the state couldn't be saved to ${path} (${error instanceof Error ? error.message : error}). The next sync starts from the previous state: check its preview before applying it.\n`);
    exit = 1;
  }
  const warn = (/** @type {string} */ what, /** @type {unknown} */ error) =>
    process.stderr.write(`crona-sync sync: couldn't write the ${what}: ${error instanceof Error ? error.message : error}\n`);
  if (flags.report) {
    try {
      writeAtomic(flags.report, JSON.stringify(report, null, 2) + '\n', { mode: 0o600 });
      writeAtomic(`${flags.report}.txt`, reportText(report, colours({ isTTY: false })), { mode: 0o600 });
    } catch (error) {
      warn('report', error);
    }
  }
  if (report.errors.length) {
    const log = flags['error-log'] ?? path.replace(/\.state\.json$/, '') + '.errors.jsonl';
    try {
      appendFileSync(log, report.errors.map((e) => JSON.stringify(e)).join('\n') + '\n', { mode: 0o600 });
      chmodSync(log, 0o600); // a log that already existed keeps its mode otherwise
    } catch (error) {
      warn('error log', error);
    }
  }
  return exit;
}

/** @param {string} path @returns {never} */
function missing(path) {
  throw new CronaSyncError('usage', `The policy file ${path} doesn't exist.`);
}

/** @param {string} question */
async function confirm(question) {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/**
 * On a terminal: one question per field that has differences, and whom to create.
 * @param {import('../../index.js').Preview} p
 * @returns {Promise<import('../../index.js').Decisions>}
 */
async function askDecisions(p) {
  if (!process.stdin.isTTY) {
    throw new CronaSyncError('usage', 'No decisions: pass --policy FILE, or run on a terminal to decide interactively.');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    /** @type {Partial<Record<import('../../index.js').Field, import('../../index.js').Choice>>} */
    const fieldDefaults = {};
    const fields = [...new Set(p.differences.map((d) => d.field))];
    for (const field of fields) {
      const n = p.differences.filter((d) => d.field === field).length;
      const a = (await rl.question(`${field}: ${n} difference(s). [h]uma wins, [c]rona wins, [s]uggestions only, [l]eave? `)).trim().toLowerCase();
      if (a.startsWith('h')) fieldDefaults[field] = 'huma';
      else if (a.startsWith('c')) fieldDefaults[field] = 'crona';
      else if (a.startsWith('l')) fieldDefaults[field] = 'leave';
    }
    const yes = async (/** @type {string} */ q) => /^y/i.test((await rl.question(q)).trim());
    const createInCrona = p.onlyInHuma.some((o) => o.creatable) && (await yes('Create the creatable Huma-only people in Crona? [y/N] ')) ? 'all' : [];
    const createInHuma = p.onlyInCrona.some((o) => o.creatable) && (await yes('Create the creatable Crona-only people in Huma? [y/N] ')) ? 'all' : [];
    return { fieldDefaults, createInCrona, createInHuma };
  } finally {
    rl.close();
  }
}

