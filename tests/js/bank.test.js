// Bank account validation through the npm package (the wasm build), as JS users call it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseBankAccount, validateBankAccount } from 'crona-sync';

/** @type {{ input: any, result: any }[]} */
const corpus = JSON.parse(readFileSync(new URL('../fixtures/bank-corpus.json', import.meta.url), 'utf8'));

test('the package gives the same result as the native core for every corpus entry', () => {
  assert.ok(corpus.length > 1000);
  for (const { input, result } of corpus) {
    const options = { lenient: input.lenient === true };
    const got = 'text' in input ? parseBankAccount(input.text, options) : validateBankAccount(input.clearing, input.account, options);
    assert.deepEqual(got, result, JSON.stringify(input));
  }
});

test('bad input of any type never throws: it is refused with a coded error', () => {
  /** @type {unknown[]} */
  const hostile = [undefined, null, 8327, -1, 1e21, Number.NaN, true, {}, [], [8327], Symbol('x'), 10n, () => 1,
    { toString() { throw new Error('boom'); } }, 'x'.repeat(100_000), '\u0000', '\ud800', '𝟖𝟑𝟐𝟕'];
  for (const clearing of hostile) {
    for (const account of [undefined, '0147258925', 147258925]) {
      const r = validateBankAccount(/** @type {any} */ (clearing), /** @type {any} */ (account));
      assert.equal(typeof r.valid, 'boolean');
      if (!r.valid) assert.match(r.errors[0].code, /^E_[A-Z_]+$/);
    }
    const p = parseBankAccount(/** @type {any} */ (clearing));
    assert.equal(p.valid, false, String(typeof clearing));
    assert.match(p.errors[0].code, /^E_[A-Z_]+$/);
  }
});

test('numbers are read as their digits, the way a spreadsheet hands them over', () => {
  const r = validateBankAccount(/** @type {any} */ (6114), /** @type {any} */ (517182351));
  assert.equal(r.valid, true);
  assert.equal(r.bank, 'Handelsbanken');
});

test('the result has the documented shape: optional fields absent when invalid', () => {
  const ok = validateBankAccount('6114', '517182351');
  assert.deepEqual(Object.keys(ok).sort(), ['account', 'bank', 'bban16', 'clearing', 'errors', 'formatted', 'iban', 'type', 'valid', 'warnings']);
  const bad = validateBankAccount('6114', '517182352');
  assert.deepEqual(bad, {
    valid: false,
    errors: [{ code: 'E_CHECKSUM', message: "This isn't a valid Handelsbanken account: its check digit doesn't match (mod 11). Look for a mistyped or swapped digit." }],
    warnings: [],
  });
});

test('lenient mode is opt-in and says what it rewrote', () => {
  assert.equal(validateBankAccount('3300', '198411283941').valid, false);
  const r = validateBankAccount('3300', '198411283941', { lenient: true });
  assert.equal(r.account, '8411283941');
  assert.deepEqual(r.warnings.map((w) => w.code), ['W_LENIENT_L2']);
  assert.match(r.warnings[0].message, /8411283941/);
});

test('a string from Huma is split, validated and formatted back', () => {
  const p = parseBankAccount('8327-9, 014 725 892-5');
  assert.deepEqual(p.input, { clearing: '83279', account: '0147258925' });
  assert.equal(p.formatted, '8327-0147258925');
  assert.equal(parseBankAccount(p.formatted ?? '').bban16, p.bban16);
});
