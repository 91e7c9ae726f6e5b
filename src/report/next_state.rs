//! The state the runner stores for the next sync: every pair, the values both sides agree on now
//! and the position values recorded (the baseline, as fingerprints under the baseline key), and
//! when this run ended and how.

use super::outcomes::ended;
use super::{ReportCounts, Run};
use crate::apply::{OperationOutcome, Outcome};
use crate::config::Mode;
use crate::fingerprint::{self, BaselineKey};
use crate::model::{Field, Person, PositionValues, Written};
use crate::plan::OperationKind;
use crate::state::{Baseline, Pair, SyncState};
use crate::{positions, values};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// The next state: every pair the preview showed or the run touched, with its baseline, and
/// this run's time and counts as the last sync (or push). A push keeps the pairs it didn't read.
pub(super) fn next_state(
    run: &Run,
    outcomes: &[OperationOutcome],
    counts: &ReportCounts,
    time: &str,
) -> SyncState {
    let state = run.state;
    let mut pairs: BTreeSet<Pair> = run.preview.pairs.iter().cloned().collect();
    pairs.extend(run.apply.touched().iter().cloned());
    let baseline = baseline(run, outcomes, &pairs);
    let outcome = Some(json!({ "at": time, "counts": counts }));
    let mut next = SyncState {
        activated_at: state.activated_at.clone().or(Some(time.to_string())),
        pairs: pairs.into_iter().collect(),
        baseline,
        last_sync: state.last_sync.clone(),
        last_push: state.last_push.clone(),
        connection: state.connection.clone(),
    };
    match run.config.mode {
        Mode::Sync => next.last_sync = outcome,
        Mode::Push => {
            next.last_push = outcome;
            let key = run.config.options.baseline_key.as_ref();
            crate::push::keep_the_others(&mut next, state, run.fetched, key);
        }
    }
    next
}

/// Each pair's baseline, keyed by Huma id, for the pairs both systems still have (as read back
/// after the run, else as fetched): the fields both sides agree on now, and the position values
/// recorded.
fn baseline(
    run: &Run,
    outcomes: &[OperationOutcome],
    pairs: &BTreeSet<Pair>,
) -> BTreeMap<String, Baseline> {
    let (apply, config) = (run.apply, run.config);
    let lookup = run.fetched.lookup();
    let key = config.options.baseline_key.as_ref();
    let writes = PositionWrites::of(outcomes);
    let mut baseline = BTreeMap::new();
    for Pair {
        huma_id,
        anst_nr: anst,
    } in pairs
    {
        let fetched_huma = lookup.huma.get(huma_id);
        let now_huma = apply.fresh_huma.get(huma_id).or(fetched_huma);
        let now_crona = apply
            .fresh_crona
            .get(anst)
            .or_else(|| lookup.crona.get(anst));
        let (Some(h), Some(c)) = (now_huma, now_crona) else {
            continue;
        };
        let old = run.state.baseline.get(huma_id).cloned().unwrap_or_default();
        let fields = agreed_fields(h, c, &old, key, config.options.lenient_bank_accounts);
        // As fetched: that record holds the position list, a read-back one only current positions.
        let known = positions::known(fetched_huma.unwrap_or(h), config.today, config.mode);
        let recorded = writes.recorded(anst, known, old.positions, key);
        baseline.insert(
            huma_id.clone(),
            Baseline {
                fields,
                positions: recorded.map(|p| positions::kept(key, &p)),
            },
        );
    }
    baseline
}

/// The fields a pair agrees on now, as fingerprints under `key` (both empty agrees on ""). A
/// field still different keeps what was agreed before, so "changed since" stays true.
fn agreed_fields(
    h: &Person,
    c: &Person,
    old: &Baseline,
    key: Option<&BaselineKey>,
    lenient_bank: bool,
) -> BTreeMap<Field, String> {
    let mut fields = BTreeMap::new();
    for field in Field::ALL {
        let agreed = match (
            values::of(field, &h.values, lenient_bank),
            values::of(field, &c.values, lenient_bank),
        ) {
            (Some(x), Some(y)) if x.normalized == y.normalized => {
                Some(fingerprint::record(key, field, x.normalized))
            }
            (None, None) => Some(fingerprint::record(key, field, String::new())),
            _ => old
                .fields
                .get(&field)
                .map(|v| fingerprint::kept(key, field, v)),
        };
        if let Some(v) = agreed {
            fields.insert(field, v);
        }
    }
    fields
}

/// What this run did to position values, by AnstNr.
struct PositionWrites<'a> {
    /// Not known to be sent: failed, never sent (a stopped run) or unanswered (a Crona create,
    /// or a write carrying a position value).
    failed: BTreeSet<&'a str>,
    /// Created in Crona.
    created: BTreeSet<&'a str>,
}

impl<'a> PositionWrites<'a> {
    fn of(outcomes: &'a [OperationOutcome]) -> Self {
        let anst = |o: &'a OperationOutcome| o.person.anst_nr.as_deref();
        PositionWrites {
            failed: outcomes
                .iter()
                .filter(|o| {
                    matches!(
                        o.outcome,
                        Outcome::Failed | Outcome::NotRun | Outcome::Unknown
                    )
                })
                .filter(|o| {
                    o.kind == OperationKind::CreateCrona
                        || o.fields.iter().any(|f| matches!(f, Written::Position(_)))
                })
                .filter_map(anst)
                .collect(),
            created: ended(outcomes, Outcome::Done)
                .filter(|o| o.kind == OperationKind::CreateCrona)
                .filter_map(anst)
                .collect(),
        }
    }

    /// The position values recorded for `anst` after this run (sent, or recorded at
    /// activation). Where sending failed (or wasn't done), the old record stays, so the next sync sends them
    /// again; a create records what it wrote; otherwise the next record from what is `known`.
    fn recorded(
        &self,
        anst: &str,
        known: Option<(PositionValues, bool)>,
        old: Option<PositionValues>,
        key: Option<&BaselineKey>,
    ) -> Option<PositionValues> {
        if self.failed.contains(anst) {
            old
        } else if self.created.contains(anst) {
            // What the create wrote: the values its source could tell, or none (a date was
            // broken, or a push had only a fallback), so the rest are sent once they are known.
            Some(known.map(|(v, _)| v).unwrap_or_default())
        } else {
            match (known, old) {
                (Some((v, partial)), Some(recorded)) => {
                    Some(positions::next(key, &recorded, &v, partial).recorded)
                }
                // Seen for the first time: recorded without sending, from the full list only.
                (Some((v, false)), None) => Some(v),
                (Some((_, true)), None) => None,
                (None, old) => old,
            }
        }
    }
}
