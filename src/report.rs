//! The result of a sync (DOMAIN.md §1.2): what each operation did, the error log, a summary that
//! reads like the result e-mail, the differences that remain and why, and the state the runner
//! stores for the next sync.

use crate::apply::{Apply, OperationOutcome, Outcome};
use crate::config::{Mode, SessionConfig};
use crate::diff::{self, Choice, Difference, PersonRef};
use crate::fetch::Fetched;
use crate::model::{Field, System};
use crate::plan::{OperationKind, Plan};
use crate::preview::Preview;
use crate::state::{Baseline, Pair, SyncState};
use crate::{fingerprint, positions, values};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One line of the connection's error log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorLogEntry {
    /// When the sync ran.
    pub time: String,
    /// Who.
    pub person: PersonRef,
    /// The fields the failed write carried.
    pub fields: Vec<String>,
    /// Where the write went.
    pub system: System,
    /// HTTP status (0: no answer).
    pub status: Option<u16>,
    /// The API's error code.
    pub code: Option<String>,
    /// The API's message, or why it failed.
    pub message: String,
    /// No answer, 408, 429 or 5xx: the same write may pass later (a runner retries these, and
    /// holds the rest for a person).
    pub transient: bool,
}

/// A difference still present after the sync, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Remaining {
    /// The difference as it is now.
    pub difference: Difference,
    /// `failed`, `leftByChoice`, `blocked`, `would_clear`, `not_allowed`, `manual_sync` (a push
    /// left it), `unverified` or `notApplied`.
    pub reason: String,
    /// In words.
    pub explanation: String,
}

/// Totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportCounts {
    /// People created (both systems).
    pub created: usize,
    /// Records updated (both systems).
    pub updated: usize,
    /// Creates that found the person already there.
    pub already_existed: usize,
    /// Operations that failed.
    pub failed: usize,
    /// Operations never sent.
    pub not_run: usize,
    /// Differences still present.
    pub remaining: usize,
}

/// The summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// As the result e-mail would read.
    pub text: String,
    /// Totals.
    pub counts: ReportCounts,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Per operation.
    pub outcomes: Vec<OperationOutcome>,
    /// The error log entries of this run.
    pub errors: Vec<ErrorLogEntry>,
    /// In words and numbers.
    pub summary: Summary,
    /// What still differs, and why.
    pub remaining: Vec<Remaining>,
    /// Re-fetches that failed: these results couldn't be checked.
    pub unverified: Vec<String>,
    /// What the runner stores for the next sync.
    pub next_state: SyncState,
}

/// Builds the report once the run and its verification are complete.
pub fn build(
    apply: &Apply,
    plan: &Plan,
    fetched: &Fetched,
    preview: &Preview,
    state: &SyncState,
    config: &SessionConfig,
) -> Report {
    let outcomes = apply.outcomes();
    let time = config.now.to_rfc3339();
    let errors: Vec<ErrorLogEntry> = outcomes
        .iter()
        .filter(|o| o.outcome == Outcome::Failed)
        .map(|o| ErrorLogEntry {
            time: time.clone(),
            person: o.person.clone(),
            fields: o.fields.clone(),
            system: o.system,
            status: o.status,
            code: o.code.clone(),
            message: o.message.clone().unwrap_or_default(),
            transient: o.status.is_some_and(crate::error::transient_status),
        })
        .collect();

    let lookup = fetched.lookup();
    let (huma_by_id, crona_by_anst) = (&lookup.huma, &lookup.crona);
    let now_huma = |id: &str| apply.fresh_huma.get(id).or_else(|| huma_by_id.get(id));
    let now_crona = |anst: &str| {
        apply
            .fresh_crona
            .get(anst)
            .or_else(|| crona_by_anst.get(anst))
    };

    // What still differs: touched pairs re-diffed from fresh data, the others as previewed.
    let touched = apply.touched();
    let skipped: BTreeMap<&str, &crate::bank::Issue> = plan
        .skipped
        .iter()
        .filter_map(|s| Some((s.difference_id.as_deref()?, &s.reason)))
        .collect();
    let mut remaining = Vec::new();
    let mut explain = |d: Difference| {
        let pair_outcomes: Vec<&OperationOutcome> = outcomes
            .iter()
            .filter(|o| {
                o.person.anst_nr == d.person.anst_nr
                    && o.fields.iter().any(|f| f == diff::field_key(d.field))
            })
            .collect();
        let (reason, explanation) =
            if let Some(o) = pair_outcomes.iter().find(|o| o.outcome == Outcome::Failed) {
                (
                    "failed".to_string(),
                    format!(
                        "The write failed: {}",
                        o.message.clone().unwrap_or_default()
                    ),
                )
            } else if pair_outcomes.iter().any(|o| o.outcome == Outcome::Done) {
                (
                    "notApplied".to_string(),
                    format!(
                        "Written, but {} still shows another value (it may wait for confirmation).",
                        if pair_outcomes.iter().any(|o| o.system == System::Huma) {
                            "Huma"
                        } else {
                            "Crona"
                        }
                    ),
                )
            } else if let Some(why) = skipped.get(d.id.as_str()) {
                (why.code.to_string(), why.message.clone())
            } else if d.allowed == [Choice::Leave] {
                (
                    "blocked".to_string(),
                    "Blocked: see the blockers for the reason.".to_string(),
                )
            } else {
                ("leftByChoice".to_string(), "Left as it is.".to_string())
            };
        remaining.push(Remaining {
            difference: d,
            reason,
            explanation,
        });
    };
    for d in &preview.differences {
        let key = (
            d.person.huma_id.clone().unwrap_or_default(),
            d.person.anst_nr.clone().unwrap_or_default(),
        );
        if !touched.contains(&key) {
            explain(d.clone());
        }
    }
    let mut unchecked = Vec::new();
    for (huma_id, anst) in touched {
        if let (Some(h), Some(c)) = (apply.fresh_huma.get(huma_id), apply.fresh_crona.get(anst)) {
            let (diffs, _) = diff::pair(h, c, None, None, config.options.lenient_bank_accounts);
            diffs.into_iter().for_each(&mut explain);
        } else {
            // Couldn't read them back: what the preview showed may still be there.
            unchecked.extend(
                preview
                    .differences
                    .iter()
                    .filter(|d| {
                        d.person.huma_id.as_deref() == Some(huma_id.as_str())
                            && d.person.anst_nr.as_deref() == Some(anst.as_str())
                    })
                    .cloned(),
            );
        }
    }
    for d in unchecked {
        remaining.push(Remaining {
            difference: d,
            reason: "unverified".into(),
            explanation:
                "The result couldn't be read back to check it: this may or may not still differ."
                    .into(),
        });
    }
    remaining.sort_by(|a, b| {
        (&a.difference.person.name, a.difference.field)
            .cmp(&(&b.difference.person.name, b.difference.field))
    });

    // The next state: every pair, and the values both sides agree on now.
    let mut pairs: BTreeSet<(String, String)> = preview.pairs.iter().cloned().collect();
    pairs.extend(touched.iter().cloned());
    // Position values whose write failed stay unrecorded, so the next sync sends them again.
    let position_names = ["anstDatum", "avgDatum", "slutat", "befattning"];
    let failed_positions: BTreeSet<&str> = outcomes
        .iter()
        .filter(|o| o.outcome == Outcome::Failed)
        .filter(|o| {
            o.kind == OperationKind::CreateCrona
                || o.fields
                    .iter()
                    .any(|f| position_names.contains(&f.as_str()))
        })
        .filter_map(|o| o.person.anst_nr.as_deref())
        .collect();
    let created_in_crona: BTreeSet<&str> = outcomes
        .iter()
        .filter(|o| o.kind == OperationKind::CreateCrona && matches!(o.outcome, Outcome::Done))
        .filter_map(|o| o.person.anst_nr.as_deref())
        .collect();
    let mut baseline = BTreeMap::new();
    let key = config.options.baseline_key.as_ref();
    for (huma_id, anst) in &pairs {
        let (Some(h), Some(c)) = (now_huma(huma_id), now_crona(anst)) else {
            continue;
        };
        let old = state.baseline.get(huma_id).cloned().unwrap_or_default();
        let mut b = Baseline::default();
        for field in Field::ALL {
            let (hv, cv) = (
                values::of(field, &h.values, config.options.lenient_bank_accounts),
                values::of(field, &c.values, config.options.lenient_bank_accounts),
            );
            match (hv, cv) {
                (Some(x), Some(y)) if x.normalized == y.normalized => {
                    b.fields
                        .insert(field, fingerprint::record(key, field, x.normalized));
                }
                (None, None) => {
                    b.fields
                        .insert(field, fingerprint::record(key, field, String::new()));
                }
                // Still different: keep what was agreed before, so "changed since" stays true.
                _ => {
                    if let Some(v) = old.fields.get(&field) {
                        b.fields.insert(field, fingerprint::kept(key, field, v));
                    }
                }
            }
        }
        // Position values: recorded now (sent, or recorded at activation), unless sending failed;
        // kept as fingerprints under the key, like the fields.
        let source = huma_by_id.get(huma_id.as_str()).unwrap_or(h);
        let known = positions::known(source, config.today, config.mode);
        let recorded = if failed_positions.contains(anst.as_str()) {
            old.positions
        } else if created_in_crona.contains(anst.as_str()) {
            // What the create wrote: the values its source could tell, or none (a date was
            // broken, or a push had only a fallback), so the rest are sent once they are known.
            Some(known.map(|(v, _)| v).unwrap_or_default())
        } else {
            match (known, old.positions) {
                (Some((v, partial)), Some(recorded)) => {
                    Some(positions::next(key, &recorded, &v, partial).recorded)
                }
                // Seen for the first time: recorded without sending, from the full list only.
                (Some((v, false)), None) => Some(v),
                (Some((_, true)), None) => None,
                (None, old) => old,
            }
        };
        b.positions = recorded.map(|p| positions::kept(key, &p));
        baseline.insert(huma_id.clone(), b);
    }
    let counts = ReportCounts {
        created: outcomes
            .iter()
            .filter(|o| {
                o.outcome == Outcome::Done
                    && matches!(
                        o.kind,
                        OperationKind::CreateCrona | OperationKind::CreateHuma
                    )
                    && !o.operation_id.ends_with(":details")
            })
            .count(),
        updated: outcomes
            .iter()
            .filter(|o| {
                o.outcome == Outcome::Done
                    && matches!(
                        o.kind,
                        OperationKind::UpdateCrona | OperationKind::UpdateHuma
                    )
            })
            .count(),
        already_existed: outcomes
            .iter()
            .filter(|o| o.outcome == Outcome::AlreadyExisted)
            .count(),
        failed: errors.len(),
        not_run: outcomes
            .iter()
            .filter(|o| o.outcome == Outcome::NotRun)
            .count(),
        remaining: remaining.len(),
    };
    let outcome = Some(serde_json::json!({ "at": time, "counts": counts }));
    let mut next_state = SyncState {
        activated_at: state.activated_at.clone().or(Some(time.clone())),
        pairs: pairs
            .into_iter()
            .map(|(huma_id, anst_nr)| Pair { huma_id, anst_nr })
            .collect(),
        baseline,
        last_sync: state.last_sync.clone(),
        last_push: state.last_push.clone(),
        connection: state.connection.clone(),
    };
    match config.mode {
        Mode::Sync => next_state.last_sync = outcome,
        Mode::Push => {
            next_state.last_push = outcome;
            keep_the_others(&mut next_state, state, fetched, key);
        }
    }
    Report {
        summary: Summary {
            text: summary_text(&counts, &errors, config),
            counts,
        },
        outcomes,
        errors,
        remaining,
        unverified: apply.unverified.clone(),
        next_state,
    }
}

/// A push reads a few people: every pair and baseline it didn't read stays as it was.
fn keep_the_others(
    next: &mut SyncState,
    old: &SyncState,
    fetched: &Fetched,
    key: Option<&fingerprint::BaselineKey>,
) {
    let read: BTreeSet<&str> = fetched
        .huma
        .iter()
        .filter_map(|h| h.huma_id.as_deref())
        .collect();
    let paired: BTreeSet<&str> = next.pairs.iter().map(|p| p.anst_nr.as_str()).collect();
    let kept: Vec<Pair> = old
        .pairs
        .iter()
        .filter(|p| !read.contains(p.huma_id.as_str()) && !paired.contains(p.anst_nr.as_str()))
        .cloned()
        .collect();
    for p in &kept {
        if let Some(b) = old.baseline.get(&p.huma_id) {
            let mut b = b.clone();
            for (field, v) in b.fields.iter_mut() {
                *v = fingerprint::kept(key, *field, v);
            }
            b.positions = b.positions.map(|p| positions::kept(key, &p));
            next.baseline.insert(p.huma_id.clone(), b);
        }
    }
    next.pairs.extend(kept);
    next.pairs
        .sort_by(|a, b| (&a.huma_id, &a.anst_nr).cmp(&(&b.huma_id, &b.anst_nr)));
}

fn summary_text(c: &ReportCounts, errors: &[ErrorLogEntry], config: &SessionConfig) -> String {
    let n = |k: usize, one: &str, many: &str| {
        if k == 1 {
            format!("1 {one}")
        } else {
            format!("{k} {many}")
        }
    };
    let mut text = format!(
        "{} of {}: {} created, {} updated",
        match config.mode {
            Mode::Sync => "Synchronisation",
            Mode::Push => "Push",
        },
        config.today,
        n(c.created, "person", "people"),
        n(c.updated, "record", "records")
    );
    if c.already_existed > 0 {
        text.push_str(&format!(
            ", {} already there and paired",
            n(c.already_existed, "person", "people")
        ));
    }
    text.push('.');
    if !errors.is_empty() {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("{} in {}: {}", e.person.name, e.system.name(), e.message))
            .collect();
        text.push_str(&format!(
            " {} failed: {}.",
            n(errors.len(), "write", "writes"),
            lines.join("; ")
        ));
    }
    if c.not_run > 0 {
        text.push_str(&format!(
            " {} not run.",
            n(c.not_run, "write was", "writes were")
        ));
    }
    text.push_str(&format!(
        " {} remain.",
        n(c.remaining, "difference", "differences")
    ));
    text
}
