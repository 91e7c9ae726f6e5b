// The exact writes as people and spreadsheets read them (pkg/lib/writes.js): one line per field
// written with before → after and the outcome, in the CSV download, the text report and the
// CLI's plan. API values are shown, never obeyed: control characters as escapes, and a cell a
// spreadsheet would run as a formula kept as text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import 'crona-sync'; // loads the core: fields are named by its field table
import { planText, reportText } from '../../pkg/lib/render.js';
import { planWrites, reportWrites, writeField, writesCsv, writesLines } from '../../pkg/lib/writes.js';

const plain = { bold: String, dim: String, red: String, green: String, yellow: String };

const elisabeth = { humaId: 'u-1', anstNr: '1013', email: 'elisabeth.soderstrom@exempel.se', name: 'Elisabeth Söderström' };
const hostile = { humaId: 'u-2', anstNr: '1014', email: 'x@exempel.se', name: '=HYPERLINK("http://evil.example")' };
const ny = { anstNr: '1015', name: 'Nils Ny' };

const report = /** @type {any} */ ({
  time: '2026-11-25T10:00:00+01:00',
  summary: { text: 'Synchronisation of 2026-11-25: 0 people created, 1 record updated. 1 write failed. 1 write was not run. 0 differences remain.' },
  errors: [],
  remaining: [],
  unverified: [],
  outcomes: [
    { operationId: 'crona:update:1013', kind: 'updateCrona', person: elisabeth, fields: ['bankAccount'], outcome: 'done', status: 200, system: 'crona',
      writes: [{ field: 'bankAccount', system: 'crona', properties: ['UtbetClearNr', 'UtbetKontoNr'], before: '6114-517182351', after: '8327-0147258925', sent: { UtbetClearNr: '8327', UtbetKontoNr: '0147258925' } }] },
    { operationId: 'huma:update:u-2', kind: 'updateHuma', person: hostile, fields: ['phone'], outcome: 'failed', status: 400, message: 'Bad\r\nrequest', system: 'huma',
      writes: [{ field: 'phone', system: 'huma', properties: ['phone'], before: '-1', after: '070\u001b[2J 123', sent: { phone: '070\u001b[2J 123' } }] },
    { operationId: 'crona:create:1015', kind: 'createCrona', person: ny, fields: ['all'], outcome: 'notRun', message: 'Not sent: the run stopped first.', system: 'crona',
      writes: [
        { field: 'employmentId', system: 'crona', properties: ['AnstNr'], before: null, after: '1015', sent: { AnstNr: '1015' } },
        { field: 'anstDatum', system: 'crona', properties: ['AnstDatum'], before: null, after: '2026-12-01', sent: { AnstDatum: '2026-12-01' } },
      ] },
  ],
});

test('the CSV has one row per field written, formulas neutralised and control characters shown', () => {
  assert.equal(writesCsv(reportWrites(report), report.time), [
    '"time","system","person","AnstNr","field","property","before","after","outcome","error"',
    '"2026-11-25T10:00:00+01:00","Crona Lön","Elisabeth Söderström","1013","Salary account","UtbetClearNr, UtbetKontoNr","6114-517182351","8327-0147258925","done",""',
    '"2026-11-25T10:00:00+01:00","Huma","\'=HYPERLINK(""http://evil.example"")","1014","Mobile phone","phone","\'-1","070\\u001b[2J 123","failed","Bad\\r\\nrequest"',
    '"2026-11-25T10:00:00+01:00","Crona Lön","Nils Ny","1015","Employment ID (AnstNr)","AnstNr","","1015","not run",""',
    '"2026-11-25T10:00:00+01:00","Crona Lön","Nils Ny","1015","Employment start (AnstDatum)","AnstDatum","","2026-12-01","not run",""',
    '',
  ].join('\r\n'));
});

test('the text lines say outcome, system, person, field with its properties, before → after', () => {
  assert.deepEqual(writesLines(reportWrites(report)), [
    '  done          Crona Lön  Elisabeth Söderström (AnstNr 1013, elisabeth.soderstrom@exempel.se)  Salary account (UtbetClearNr, UtbetKontoNr): 6114-517182351 → 8327-0147258925',
    '  failed        Huma       =HYPERLINK("http://evil.example") (AnstNr 1014, x@exempel.se)  Mobile phone: -1 → 070\\u001b[2J 123 (Bad\\r\\nrequest)',
    '  not run       Crona Lön  Nils Ny (AnstNr 1015)  Employment ID (AnstNr): (empty) → 1015',
    '  not run       Crona Lön  Nils Ny (AnstNr 1015)  Employment start (AnstDatum): (empty) → 2026-12-01',
  ]);
  const text = reportText(report, plain);
  assert.ok(text.endsWith([
    'Writes (4): outcome, system, person, field (property): before → after',
    ...writesLines(reportWrites(report)),
    '',
  ].join('\n')), text);
  assert.ok(!/[\u0000-\u0009\u000b-\u001f]/.test(text), 'no raw control character in the text report');
});

test('a plan lists every write under its operation, a Huma create\'s follow-up included', () => {
  const plan = /** @type {any} */ ({
    summary: 'Create 1 user in Huma.',
    skipped: [],
    operations: [{
      id: 'huma:create:1003', description: 'Create Märta Lind in Huma from Crona AnstNr 1003', person: { anstNr: '1003', name: 'Märta Lind' },
      writes: [{ field: 'email', system: 'huma', properties: ['email'], before: null, after: 'marta.lind@exempel.se', sent: {} }],
      thenWrites: [{ field: 'phone', system: 'huma', properties: ['phone'], before: null, after: '070\u202e111', sent: {} }],
    }],
  });
  assert.equal(planText(plan, plain), [
    'The plan',
    'Create 1 user in Huma.',
    '    1. Create Märta Lind in Huma from Crona AnstNr 1003',
    '         Work e-mail: (empty) → marta.lind@exempel.se',
    '         Mobile phone: (empty) → 070\\u202e111',
    '',
  ].join('\n'));
  assert.deepEqual(planWrites(plan).map((w) => [w.operationId, writeField(w)]), [
    ['huma:create:1003', 'Work e-mail'],
    ['huma:create:1003', 'Mobile phone'],
  ]);
});
