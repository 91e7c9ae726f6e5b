// The CLI's commands: connect, preview and sync. Each returns an exit code.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { drive } from '../../index.js';
import { CronaSyncError } from '../errors.js';
import { fetchPreview, transports } from './context.js';
import { readJson, writeAtomic } from './files.js';
import { openHome, storeConnection } from './home.js';
import { coverHeld, heldFile } from './held.js';
import { policyToDecisions } from './policy.js';
import { progressBar } from './progress.js';
import { colours, planText, previewText, reportText } from '../render.js';
import { visible, visibleJson } from '../text.js';

/** @typedef {import('./context.js').Flags} Flags */

/** @param {Flags} flags */
export async function connect(flags) {
  /** @type {string | undefined} the key the activation code is exchanged for, kept in the store */
  let apiKey;
  const { connection, huma, crona } = transports(flags.data ? { ...flags, connection: undefined } : flags, { onKey: (key) => (apiKey = key) });
  const { organizationId } = await huma.verify();
  const company = await crona.verify();
  /** @type {import('./connection.js').ConnectionFile} */
  const file = {
    name: flags.name ?? (flags.data ? flags.connection : undefined) ?? connection.file.name ?? company.companyName ?? 'default',
    huma: { baseUrl: connection.humaUrl, clientId: connection.humaClientId },
    crona: { baseUrl: connection.cronaUrl, companyId: company.companyId, companyName: company.companyName },
    scope: connection.scope,
  };
  if (flags.data) {
    const secrets = { 'huma.clientSecret': connection.humaClientSecret, 'crona.apiKey': apiKey ?? connection.cronaApiKey, 'crona.activationCode': connection.cronaActivationCode };
    const stored = storeConnection(flags, { name: file.name ?? 'default', settings: { huma: { ...file.huma, organizationId }, crona: file.crona, scope: file.scope }, secrets });
    if (flags.json) process.stdout.write(visibleJson({ connection: file, huma: { organizationId }, store: stored.dir, created: stored.created }) + '\n');
    else process.stdout.write(`Connected: Huma organisation ${visible(organizationId)} ↔ Crona company ${visible(company.companyName)}.\n${stored.created ? 'Saved' : 'Updated'} the connection ${visible(JSON.stringify(file.name))} in ${visible(stored.dir)}, its secrets sealed.\n`);
    return 0;
  }
  writeAtomic(flags.connection, JSON.stringify(file, null, 2) + '\n');
  if (flags.json) {
    process.stdout.write(visibleJson({ connection: file, huma: { organizationId }, file: flags.connection }) + '\n');
  } else {
    process.stdout.write(`Connected: Huma organisation ${visible(organizationId)} ↔ Crona company ${visible(company.companyName)}.\nWrote ${visible(flags.connection)} (no secrets in it).\n`);
  }
  return 0;
}

/** @param {Flags} flags */
export async function preview(flags) {
  const home = openHome(flags);
  try {
    const { session } = await fetchPreview(flags, home.readState(), {}, Boolean(flags.json), home.transports());
    const p = session.preview();
    process.stdout.write(flags.json ? visibleJson(p) + '\n' : previewText(p, colours(process.stdout)));
    return 0;
  } finally {
    home.close();
  }
}

/** @param {Flags} flags */
export async function sync(flags) {
  // Refuse before anything is written, not after.
  if (flags.report && !existsSync(dirname(resolve(flags.report)))) {
    throw new CronaSyncError('usage', `The folder for --report ${flags.report} doesn't exist.`);
  }
  const home = openHome(flags);
  try {
    const release = home.lock('sync');
    try {
      return await syncLocked(flags, home);
    } catch (error) {
      home.fail(error);
      throw error;
    } finally {
      release();
    }
  } finally {
    home.close();
  }
}

/** @param {Flags} flags @param {import('./home.js').Home} home */
async function syncLocked(flags, home) {
  const out = process.stdout;
  const c = colours(out);
  const say = (/** @type {string} */ s) => flags.json || out.write(s);
  const state = home.readState();
  // Held webhook events that arrived before this fetch are in what it reads.
  const startedAt = new Date().toISOString();
  const { session, huma, crona, identity } = await fetchPreview(flags, state, {}, Boolean(flags.json), home.transports());
  const p = session.preview();
  say(previewText(p, c));

  const decisions = flags.policy
    ? policyToDecisions(readJson(flags.policy, undefined, 'policy file') ?? missing(flags.policy))
    : await askDecisions(p);
  const plan = session.plan(decisions);
  say('\n' + planText(plan, c));
  if (plan.needsMassChangeApproval && !flags['allow-mass-change']) {
    throw new CronaSyncError('mass_change_refused', `This plan needs your approval as a mass change (${plan.massChangeReasons.join('; ')}); run again with --allow-mass-change to approve it.`);
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
  if (flags.json) out.write(visibleJson(report) + '\n');
  else say('\n' + reportText(report, c));
  const exit = home.saveResults(report, identity);
  await home.after?.(report);
  if (home.statePath) {
    const failed = new Set(report.errors.map((/** @type {any} */ e) => e.person?.humaId).filter(Boolean));
    const covered = coverHeld(heldFile(flags, home.statePath), startedAt, failed);
    if (covered) say(`${covered} held webhook push(es) are covered by this sync and no longer wait.\n`);
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
      const a = (await rl.question(`${visible(field)}: ${n} difference(s). [h]uma wins, [c]rona wins, [s]uggestions only, [l]eave? `)).trim().toLowerCase();
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

