//! The report's totals, and the summary that reads like the result e-mail.

use super::outcomes::ended;
use super::{ErrorLogEntry, Remaining};
use crate::apply::{OperationOutcome, Outcome, Part};
use crate::config::{Mode, SessionConfig};
use crate::counted::counted;
use crate::plan::OperationKind;
use serde::Serialize;

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
    /// Writes sent whose answer never came (the run was stopped): they may have been written.
    pub unknown: usize,
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

/// The totals: a person counts as created once (a Huma create's `:details` follow-up is the
/// same person), every written update as one record, every failure as one error log entry.
pub(super) fn counts(
    outcomes: &[OperationOutcome],
    errors: &[ErrorLogEntry],
    remaining: &[Remaining],
) -> ReportCounts {
    let done = || ended(outcomes, Outcome::Done);
    ReportCounts {
        created: done()
            .filter(|o| {
                matches!(
                    o.kind,
                    OperationKind::CreateCrona | OperationKind::CreateHuma
                ) && o.part == Part::Request
            })
            .count(),
        updated: done()
            .filter(|o| {
                matches!(
                    o.kind,
                    OperationKind::UpdateCrona | OperationKind::UpdateHuma
                )
            })
            .count(),
        already_existed: ended(outcomes, Outcome::AlreadyExisted).count(),
        failed: errors.len(),
        not_run: ended(outcomes, Outcome::NotRun).count(),
        unknown: ended(outcomes, Outcome::Unknown).count(),
        remaining: remaining.len(),
    }
}

/// The summary: the totals, and in words what the result e-mail says (the mode and day, what
/// was created and updated, each failed write, what wasn't run, what remains).
pub(super) fn summary(
    counts: ReportCounts,
    errors: &[ErrorLogEntry],
    config: &SessionConfig,
) -> Summary {
    Summary {
        text: text(&counts, errors, config),
        counts,
    }
}

fn text(c: &ReportCounts, errors: &[ErrorLogEntry], config: &SessionConfig) -> String {
    let mut text = format!(
        "{} of {}: {} created, {} updated",
        match config.mode {
            Mode::Sync => "Synchronisation",
            Mode::Push => "Push",
        },
        config.today,
        counted(c.created, "person", "people"),
        counted(c.updated, "record", "records")
    );
    if c.already_existed > 0 {
        text.push_str(&format!(
            ", {} already there and paired",
            counted(c.already_existed, "person", "people")
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
            counted(errors.len(), "write", "writes"),
            lines.join("; ")
        ));
    }
    if c.unknown > 0 {
        text.push_str(&format!(
            " {} sent but not answered before the run stopped: {} may have been written.",
            counted(c.unknown, "write was", "writes were"),
            if c.unknown == 1 { "it" } else { "they" }
        ));
    }
    if c.not_run > 0 {
        text.push_str(&format!(
            " {} not run.",
            counted(c.not_run, "write was", "writes were")
        ));
    }
    text.push_str(&format!(
        " {} remain.",
        counted(c.remaining, "difference", "differences")
    ));
    text
}
