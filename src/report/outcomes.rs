//! The operations' outcomes as the report reads them: the error log, and the one filter the
//! counts and the baseline share.

use crate::apply::{OperationOutcome, Outcome};
use crate::diff::PersonRef;
use crate::model::{System, Written};
use serde::Serialize;

/// One line of the connection's error log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorLogEntry {
    /// When the sync ran.
    pub time: String,
    /// Who.
    pub person: PersonRef,
    /// The fields the failed write carried.
    pub fields: Vec<Written>,
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

/// The operations that ended as `outcome`, in plan order.
pub(super) fn ended(
    outcomes: &[OperationOutcome],
    outcome: Outcome,
) -> impl Iterator<Item = &OperationOutcome> {
    outcomes.iter().filter(move |o| o.outcome == outcome)
}

/// The error log: one entry per failed operation, stamped with the run's `time`, and marked
/// transient where the same write may pass later.
pub(super) fn error_log(outcomes: &[OperationOutcome], time: &str) -> Vec<ErrorLogEntry> {
    ended(outcomes, Outcome::Failed)
        .map(|o| ErrorLogEntry {
            time: time.to_string(),
            person: o.person.clone(),
            fields: o.fields.clone(),
            system: o.system,
            status: o.status,
            code: o.code.clone(),
            message: o.message.clone().unwrap_or_default(),
            transient: o.status.is_some_and(crate::error::transient_status),
        })
        .collect()
}
