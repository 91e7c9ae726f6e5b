#!/usr/bin/env node
// CLI: node tests/sandbox/main.js [--port 8080] [--seed 1] [--people 40] [--today YYYY-MM-DD] [--drift 0..1] [--json] [--verbose]
//        [--webhook-url URL [--webhook-secret S] [--webhook-token T] [--webhook-encoding hex|base64]]
// Starts the sandbox, prints where it runs and the sample credentials, and stays up until SIGINT/SIGTERM.

import { parseArgs } from 'node:util';
import { startSandbox } from './index.js';

const USAGE = 'usage: node tests/sandbox/main.js [--port 8080] [--seed 1] [--people 40] [--today YYYY-MM-DD] [--drift 0..1] [--json] [--verbose]\n'
  + '         [--webhook-url http://127.0.0.1:PORT/PATH [--webhook-secret S] [--webhook-token T] [--webhook-encoding hex|base64]]';

/** @param {string | undefined} v @param {string} name @param {number} def */
function int(v, name, def) {
  if (v === undefined) return def;
  if (!/^-?\d+$/.test(v)) {
    console.error(`--${name} must be an integer\n${USAGE}`);
    process.exit(2);
  }
  return Number(v);
}

/** A share in 0..1 ("0.1", ".25", "1"). @param {string | undefined} v */
function share(v) {
  if (v === undefined) return 0;
  const n = /^(\d+(\.\d*)?|\.\d+)$/.test(v) ? Number(v) : NaN;
  if (!(n >= 0 && n <= 1)) {
    console.error(`--drift must be a number in 0..1\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' }, seed: { type: 'string' }, people: { type: 'string' }, today: { type: 'string' }, drift: { type: 'string' },
        host: { type: 'string' }, json: { type: 'boolean' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        'webhook-url': { type: 'string' }, 'webhook-secret': { type: 'string' }, 'webhook-token': { type: 'string' },
        'webhook-encoding': { type: 'string' },
      },
    }).values;
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : e}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  // The sandbox hands out credentials and resets data without authentication: loopback only.
  const host = args.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
    console.error(`--host must be a loopback address (127.0.0.1, ::1 or localhost); got ${host}`);
    process.exit(2);
  }
  const sb = await startSandbox({
    port: int(args.port, 'port', 8080), seed: int(args.seed, 'seed', 1), people: int(args.people, 'people', 40),
    today: args.today ?? '2026-11-25', drift: share(args.drift), host, quiet: !args.verbose, webhooks: webhookOptions(args),
  });
  // Ready to stop cleanly before saying so: a caller may signal as soon as it reads the line.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sb.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const { url, humaUrl, cronaUrl, credentials } = sb;
  if (args.json) {
    console.log(JSON.stringify({ url, humaUrl, cronaUrl, credentials }));
  } else {
    console.log(`crona-sync sandbox on ${url}  (controls: ${url}/_sandbox/inspect; the page runs in the integration service: npm start)`);
    console.log(`Huma base URL:    ${humaUrl}`);
    console.log(`  client ID:      ${credentials.huma.clientId}`);
    console.log(`  client secret:  ${credentials.huma.clientSecret}`);
    console.log(`Crona base URL:   ${cronaUrl}`);
    console.log(`  activation code: ${credentials.crona.activationCode}`);
    const hooks = sb.webhooks().config;
    if (hooks) console.log(`Huma webhooks to:  ${hooks.url}${hooks.secret ? ` (signed, ${hooks.encoding})` : ''}`);
    const drifted = sb.drifted.length ? `, ${sb.drifted.length} drifted persons` : '';
    console.log(`${sb.planted.length} planted cases${drifted}; Ctrl-C stops.`);
  }
}

/**
 * The receiver the --webhook-* flags name, or undefined without --webhook-url.
 * @param {Record<string, string | boolean | undefined>} args
 * @returns {import('./webhooks/config.js').WebhookConfigInput | undefined}
 */
function webhookOptions(args) {
  const url = args['webhook-url'];
  const rest = ['webhook-secret', 'webhook-token', 'webhook-encoding'].filter((k) => args[k] !== undefined);
  if (typeof url !== 'string') {
    if (rest.length) {
      console.error(`--${rest[0]} needs --webhook-url\n${USAGE}`);
      process.exit(2);
    }
    return undefined;
  }
  const encoding = args['webhook-encoding'];
  if (encoding !== undefined && encoding !== 'hex' && encoding !== 'base64') {
    console.error(`--webhook-encoding must be hex or base64\n${USAGE}`);
    process.exit(2);
  }
  /** @type {import('./webhooks/config.js').WebhookConfigInput} */
  const config = { url };
  if (typeof args['webhook-secret'] === 'string') config.secret = args['webhook-secret'];
  if (typeof args['webhook-token'] === 'string') config.token = args['webhook-token'];
  if (encoding !== undefined) config.encoding = encoding;
  return config;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
