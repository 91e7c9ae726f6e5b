// What the conflicts table marks as the differing part of two values, on the sandbox's kinds of difference.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { differing } from '../../www/js/wizard/marks.js';

/** Each side as text with the marked parts in [brackets]. @param {ReturnType<typeof differing>} r */
const shown = (r) => [r.huma, r.crona].map((side) => side.map((s) => (s.marked ? `[${s.text}]` : s.text)).join(''));
/** @param {string} display @param {string} [normalized] */
const v = (display, normalized = display) => ({ display, normalized });

test('an address marks the shown parts whose compared parts differ, not a postal code written with a space or a country by name', () => {
  const huma = v('Karlavägen 61, lgh 1001, 111 35 Stockholm, SE', 'Karlavägen 61 | lgh 1001 | 11135 | Stockholm | SE');
  const crona = v('Karlavägen 61, 11135 Stockholm, Sverige', 'Karlavägen 61 |  | 11135 | Stockholm | SE');
  assert.deepEqual(shown(differing('address', huma, crona)), ['Karlavägen 61, [lgh 1001], 111 35 Stockholm, SE', 'Karlavägen 61, 11135 Stockholm, Sverige']);
  const street = differing('address', v('Clemenstorget 83, 22669 Lund, SE', 'Clemenstorget 83 |  | 22669 | Lund | SE'), v('Clemenstorget 63, 226 69 Lund, Sweden', 'Clemenstorget 63 |  | 22669 | Lund | SE'));
  assert.deepEqual(shown(street), ['[Clemenstorget 83], 22669 Lund, SE', '[Clemenstorget 63], 226 69 Lund, Sweden']);
});

test('an address with a comma inside a part falls back to characters', () => {
  const r = differing('address', v('Box 12, plan 3, 11135 Stockholm', 'Box 12, plan 3 |  | 11135 | Stockholm | '), v('Box 12, plan 4, 11135 Stockholm', 'Box 12, plan 4 |  | 11135 | Stockholm | '));
  assert.deepEqual(shown(r), ['Box 12, plan [3], 11135 Stockholm', 'Box 12, plan [4], 11135 Stockholm']);
});

test('values that share most characters mark the ones that differ; others are marked whole', () => {
  assert.deepEqual(shown(differing('bankAccount', v('9168-9983798'), v('9168-9983797'))), ['9168-998379[8]', '9168-998379[7]']);
  assert.deepEqual(shown(differing('givenName', v('Margareta'), v('Maggan'))), ['[Margareta]', '[Maggan]']);
  assert.deepEqual(shown(differing('phone', v('076 616 31 26'), v('073 449 10 11'))), ['[076 616 31 26]', '[073 449 10 11]']);
});

test('a missing value marks nothing, and characters outside the basic plane stay whole', () => {
  assert.deepEqual(shown(differing('givenName', null, v('Måns'))), ['', 'Måns']);
  assert.deepEqual(shown(differing('givenName', v('Anna 😀'), v('Anna 😃'))), ['Anna [😀]', 'Anna [😃]']);
});
