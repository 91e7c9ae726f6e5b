//! What still differs after a run, and why. The pairs the run touched are compared again from
//! what was read back; the others are as the preview showed them.

use super::Run;
use crate::apply::{OperationOutcome, Outcome};
use crate::bank::Issue;
use crate::diff::{self, Choice, Difference};
use crate::model::{System, Written};
use crate::plan::Plan;
use crate::preview::Preview;
use crate::state::Pair;
use serde::Serialize;
use std::collections::BTreeMap;

/// A difference still present after the sync, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Remaining {
    /// The difference as it is now.
    pub difference: Difference,
    /// Why it is still there.
    pub reason: RemainingReason,
    /// In words.
    pub explanation: String,
}

/// Why a difference is still there. Serialised as the codes the report has always used: the
/// report's own in camelCase, the plan's skip codes (`Skipped.reason.code`) as the plan writes
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum RemainingReason {
    /// A write that carried it failed.
    #[serde(rename = "failed")]
    Failed,
    /// Written, but the system still shows another value (it may wait for confirmation).
    #[serde(rename = "notApplied")]
    NotApplied,
    /// The plan skipped it: a bulk choice would have cleared a value.
    #[serde(rename = "would_clear")]
    WouldClear,
    /// The plan skipped it: the choice can't be carried out for this difference.
    #[serde(rename = "not_allowed")]
    NotAllowed,
    /// The plan skipped it: a push left it for "Synchronize users".
    #[serde(rename = "manual_sync")]
    ManualSync,
    /// The preview blocks it: leaving it is the only choice.
    #[serde(rename = "blocked")]
    Blocked,
    /// Nobody chose to change it.
    #[serde(rename = "leftByChoice")]
    LeftByChoice,
    /// The pair couldn't be read back after the run: it may or may not still differ.
    #[serde(rename = "unverified")]
    Unverified,
    /// The run was stopped before a write that carried it was made.
    #[serde(rename = "notRun")]
    NotRun,
    /// The plan skipped it with a code this list doesn't name (yet): serialised as that code,
    /// so a new skip reason reaches the report as the plan wrote it instead of being lost.
    #[serde(untagged)]
    OtherSkip(String),
}

impl RemainingReason {
    /// The reason for a difference the plan skipped, from the skip's code.
    fn of_skip(code: &str) -> Self {
        match code {
            "would_clear" => Self::WouldClear,
            "not_allowed" => Self::NotAllowed,
            "manual_sync" => Self::ManualSync,
            other => Self::OtherSkip(other.to_string()),
        }
    }
}

/// What still differs after the run, sorted by person and field: the differences of untouched
/// pairs as previewed, then those of touched pairs compared again from what was read back, then
/// (as `unverified`) the previewed ones of touched pairs that couldn't be read back.
pub(super) fn remaining(run: &Run, outcomes: &[OperationOutcome]) -> Vec<Remaining> {
    let skips = skip_reasons(run.plan);
    let explain = |d: Difference| explain(d, outcomes, &skips);
    let touched = run.apply.touched();
    let mut remaining: Vec<Remaining> = run
        .preview
        .differences
        .iter()
        .filter(|d| {
            let pair = Pair {
                huma_id: d.person.huma_id.clone().unwrap_or_default(),
                anst_nr: d.person.anst_nr.clone().unwrap_or_default(),
            };
            !touched.contains(&pair)
        })
        .cloned()
        .map(&explain)
        .collect();
    let mut unchecked = Vec::new();
    for Pair {
        huma_id,
        anst_nr: anst,
    } in touched
    {
        let fresh = (
            run.apply.fresh_huma.get(huma_id),
            run.apply.fresh_crona.get(anst),
        );
        if let (Some(h), Some(c)) = fresh {
            let lenient = run.config.options.lenient_bank_accounts;
            let (diffs, _) = diff::pair(h, c, None, None, lenient);
            remaining.extend(diffs.into_iter().map(&explain));
        } else {
            // Couldn't read them back: what the preview showed may still be there.
            unchecked.extend(previewed(run.preview, huma_id, anst).cloned());
        }
    }
    remaining.extend(unchecked.into_iter().map(unverified));
    remaining.sort_by(|a, b| {
        (&a.difference.person.name, a.difference.field)
            .cmp(&(&b.difference.person.name, b.difference.field))
    });
    remaining
}

/// The plan's reason for each difference it skipped, by difference id (the last, where it gave
/// several).
fn skip_reasons(plan: &Plan) -> BTreeMap<&str, &Issue> {
    plan.skipped
        .iter()
        .filter_map(|s| Some((s.difference_id.as_deref()?, &s.reason)))
        .collect()
}

/// Why `d` is still there, first that applies: a write of it failed; a write of it was done
/// but didn't show; the plan skipped it; it is blocked; nobody chose to change it.
fn explain(
    d: Difference,
    outcomes: &[OperationOutcome],
    skips: &BTreeMap<&str, &Issue>,
) -> Remaining {
    // The operations that wrote this field of this person.
    let writes: Vec<&OperationOutcome> = outcomes
        .iter()
        .filter(|o| {
            o.person.anst_nr == d.person.anst_nr && o.fields.contains(&Written::Field(d.field))
        })
        .collect();
    let (reason, explanation) =
        if let Some(o) = writes.iter().find(|o| o.outcome == Outcome::Failed) {
            (
                RemainingReason::Failed,
                format!(
                    "The write failed: {}",
                    o.message.clone().unwrap_or_default()
                ),
            )
        } else if writes.iter().any(|o| o.outcome == Outcome::Done) {
            let system = if writes.iter().any(|o| o.system == System::Huma) {
                "Huma"
            } else {
                "Crona"
            };
            (
                RemainingReason::NotApplied,
                format!(
                "Written, but {system} still shows another value (it may wait for confirmation)."
            ),
            )
        } else if writes
            .iter()
            .any(|o| matches!(o.outcome, Outcome::NotRun | Outcome::Unknown))
        {
            (
                RemainingReason::NotRun,
                "The run was stopped before this was written.".to_string(),
            )
        } else if let Some(why) = skips.get(d.id.as_str()) {
            (RemainingReason::of_skip(why.code), why.message.clone())
        } else if d.allowed == [Choice::Leave] {
            let reasons: Vec<&str> = d.refused.iter().map(|(_, why)| why.as_str()).collect();
            (
                RemainingReason::Blocked,
                format!("Neither value can be written: {}", reasons.join(" ")),
            )
        } else {
            (
                RemainingReason::LeftByChoice,
                "Left as it is, as chosen.".to_string(),
            )
        };
    Remaining {
        difference: d,
        reason,
        explanation,
    }
}

/// The differences the preview showed for the pair (`huma_id`, `anst`).
fn previewed<'a>(
    preview: &'a Preview,
    huma_id: &'a str,
    anst: &'a str,
) -> impl Iterator<Item = &'a Difference> {
    preview.differences.iter().filter(move |d| {
        d.person.huma_id.as_deref() == Some(huma_id) && d.person.anst_nr.as_deref() == Some(anst)
    })
}

/// A previewed difference of a pair that couldn't be read back: it may still be there.
fn unverified(d: Difference) -> Remaining {
    Remaining {
        difference: d,
        reason: RemainingReason::Unverified,
        explanation:
            "The result couldn't be read back to check it: this may or may not still differ.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::RemainingReason;

    fn json(r: &RemainingReason) -> String {
        serde_json::to_string(r).unwrap()
    }

    #[test]
    fn every_reason_reads_as_the_code_the_report_has_always_used() {
        let codes = [
            (RemainingReason::Failed, "failed"),
            (RemainingReason::NotApplied, "notApplied"),
            (RemainingReason::WouldClear, "would_clear"),
            (RemainingReason::NotAllowed, "not_allowed"),
            (RemainingReason::ManualSync, "manual_sync"),
            (RemainingReason::Blocked, "blocked"),
            (RemainingReason::LeftByChoice, "leftByChoice"),
            (RemainingReason::Unverified, "unverified"),
            (RemainingReason::NotRun, "notRun"),
        ];
        for (reason, code) in codes {
            assert_eq!(json(&reason), format!("\"{code}\""));
        }
    }

    #[test]
    fn the_plans_skip_codes_become_their_reasons_and_an_unknown_one_keeps_its_code() {
        assert_eq!(
            RemainingReason::of_skip("would_clear"),
            RemainingReason::WouldClear
        );
        assert_eq!(
            RemainingReason::of_skip("not_allowed"),
            RemainingReason::NotAllowed
        );
        assert_eq!(
            RemainingReason::of_skip("manual_sync"),
            RemainingReason::ManualSync
        );
        let new = RemainingReason::of_skip("held_for_review");
        assert_eq!(new, RemainingReason::OtherSkip("held_for_review".into()));
        assert_eq!(json(&new), "\"held_for_review\"");
    }
}
