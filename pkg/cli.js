#!/usr/bin/env node
// The `crona-sync` command. Exit codes: 0 done, 1 finished with failed operations, 2 usage or
// configuration error, 3 could not fetch (auth, network), 4 refused (mass change, stale plan).
import { readFileSync } from 'node:fs';
import { version } from './index.js';

const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, fetch: 3, refused: 4 });

const HELP = `crona-sync — keep a Crona Lön employee register in step with Huma

Usage:
  crona-sync <command> [options]
  crona-sync --help | --version

Commands (coming in the next releases):
  connect   verify Huma credentials and a Crona activation code; write a connection file
  preview   fetch both systems and print the differences (a dry run)
  sync      preview, decide, confirm and apply; write a report
  push      send the given Huma users' changes to Crona
  serve     receive Huma webhooks and push changes in real time

Options:
  -h, --help      show this help
  -V, --version   print the package and core versions

Exit codes:
  0  done
  1  finished, but some operations failed (see the report)
  2  usage or configuration error
  3  could not fetch (authentication or network)
  4  refused (mass change without --allow-mass-change, or a stale plan)

Secrets come from the environment (HUMA_CLIENT_ID, HUMA_CLIENT_SECRET, CRONA_API_KEY or
CRONA_ACTIVATION_CODE), never from the command line, so they stay out of shell history.
`;

/** @param {string[]} argv @returns {number} */
export function main(argv) {
  const [first] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(HELP);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '-V' || first === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
    process.stdout.write(`crona-sync ${pkg.version} (core ${version()})\n`);
    return EXIT.ok;
  }
  const known = ['connect', 'preview', 'sync', 'push', 'serve'];
  if (known.includes(first)) {
    process.stderr.write(`crona-sync: '${first}' is not available in this version yet; see --help.\n`);
  } else {
    process.stderr.write(`crona-sync: unknown command or option '${first}'. Run 'crona-sync --help'.\n`);
  }
  return EXIT.usage;
}

process.exitCode = main(process.argv.slice(2));
