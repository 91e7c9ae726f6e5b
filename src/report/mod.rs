//! The result of a sync (DOMAIN.md §1.2): what each operation did, the error log, a summary that
//! reads like the result e-mail, the differences that remain and why, and the state the runner
//! stores for the next sync.
//!
//! Each part has its file: `outcomes` (the error log), `remaining` (what still differs, and
//! why), `summary` (the counts and the text) and `next_state` (the pairs and the baseline).

mod next_state;
mod outcomes;
mod remaining;
mod summary;

pub use outcomes::ErrorLogEntry;
pub use remaining::{Remaining, RemainingReason};
pub use summary::{ReportCounts, Summary};

use crate::apply::{Apply, OperationOutcome};
use crate::config::SessionConfig;
use crate::fetch::Fetched;
use crate::plan::Plan;
use crate::preview::Preview;
use crate::state::SyncState;
use serde::Serialize;

/// The report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// When the run ran (the session's `now`), as the error log stamps it.
    pub time: String,
    /// Per operation, each with the exact writes it concerns.
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
    /// The run was stopped before every write was sent (`SyncSession::stop`).
    pub stopped: bool,
}

/// What a report is read from: the run and everything it started from.
struct Run<'a> {
    apply: &'a Apply,
    plan: &'a Plan,
    fetched: &'a Fetched,
    preview: &'a Preview,
    state: &'a SyncState,
    config: &'a SessionConfig,
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
    let run = Run {
        apply,
        plan,
        fetched,
        preview,
        state,
        config,
    };
    let outcomes = apply.outcomes();
    let time = config.now.to_rfc3339();
    let errors = outcomes::error_log(&outcomes, &time);
    let remaining = remaining::remaining(&run, &outcomes);
    let counts = summary::counts(&outcomes, &errors, &remaining);
    let next_state = next_state::next_state(&run, &outcomes, &counts, &time);
    Report {
        summary: summary::summary(counts, &errors, config),
        outcomes,
        errors,
        remaining,
        unverified: apply.unverified.clone(),
        next_state,
        time,
        stopped: apply.is_stopped(),
    }
}
