// Runs the crona-sync command as a scheduled job would: a child process (asynchronous, because
// the sandbox it talks to lives in the test's own process) with only the environment it needs.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = new URL('../../../pkg/cli.js', import.meta.url).pathname;

/**
 * The environment a scheduled job against `box` would have.
 * @param {{ humaUrl: string, cronaUrl: string, credentials: { huma: { clientId: string, clientSecret: string }, crona: { activationCode: string } } }} box
 * @param {Record<string, string>} [extra]
 */
export function jobEnv(box, extra = {}) {
  return {
    PATH: process.env.PATH ?? '',
    HUMA_URL: box.humaUrl,
    CRONA_URL: box.cronaUrl,
    HUMA_CLIENT_ID: box.credentials.huma.clientId,
    HUMA_CLIENT_SECRET: box.credentials.huma.clientSecret,
    CRONA_ACTIVATION_CODE: box.credentials.crona.activationCode,
    ...extra,
  };
}

/** A fresh working folder. */
export function workdir() {
  return mkdtempSync(join(tmpdir(), 'crona-sync-cli-'));
}

/**
 * Runs the CLI to its end.
 * @param {string[]} args
 * @param {{ env: Record<string, string>, cwd?: string, onSpawn?: (p: import('node:child_process').ChildProcess) => void }} o
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export function runCli(args, o) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: o.env, cwd: o.cwd ?? workdir() });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    o.onSpawn?.(p);
  });
}
