// Compile-only: typical use of the public types. `tsc` fails if index.d.ts drifts from them.
import {
  SyncSession, CronaSyncError, drive, humaTransport, cronaTransport, validateBankAccount, parseBankAccount,
  type Preview, type Plan, type Report, type SyncState, type Decisions, type BankAccountResult, type Choice,
} from 'crona-sync';

export async function firstSync(state: SyncState | null): Promise<SyncState> {
  const huma = humaTransport({ baseUrl: 'https://openapi.humahr.com', clientId: 'id', clientSecret: 'secret' });
  const crona = cronaTransport({ baseUrl: 'https://crona.example', activationCode: 'CODE' });
  const session = new SyncSession({ today: '2026-11-25', now: '2026-11-25T10:00:00+01:00', state });
  await drive(session, { huma, crona }, { concurrency: 4, onProgress: (p) => void p.huma.done });
  const preview: Preview = session.preview();
  const choices: Record<string, Choice> = {};
  for (const d of preview.differences) if (d.suggestion) choices[d.id] = d.suggestion;
  const decisions: Decisions = { choices, fieldDefaults: { bankAccount: 'crona' }, createInCrona: 'all' };
  const plan: Plan = session.plan(decisions);
  try {
    session.apply(plan.hash, { allowMassChange: plan.needsMassChangeApproval });
  } catch (e) {
    if (e instanceof CronaSyncError && e.code === 'mass_change_refused') throw e;
  }
  await drive(session, { huma, crona });
  const report: Report = session.report();
  const failed: number = report.summary.counts.failed;
  void failed;
  return report.nextState;
}

export function account(): string | undefined {
  const r: BankAccountResult = validateBankAccount('8327-9', '014 725 892-5', { lenient: true });
  const p = parseBankAccount('SE55 8000 0832 7901 4725 8925');
  return r.valid ? r.iban : p.input?.clearing;
}
