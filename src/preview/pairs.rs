//! Each pair's differences (DOMAIN.md §3.2), with the choices taken away that would break a
//! rule of the target system.

use super::huma_users::Duplicates;
use super::{baseline, field_blocker, paired};
use crate::bank::Issue;
use crate::config::SessionConfig;
use crate::diff::{self, Blocker, Choice, Difference};
use crate::fetch::Fetched;
use crate::matching::Matching;
use crate::model::{Person, System};
use crate::state::SyncState;
use crate::unique::{self, Holders, Writer};
use crate::values;

/// The differences of every pair, and what blocks writing them: per pair, the values the target
/// keeps unique that someone else holds, then what the comparison found.
pub(super) fn differences(
    f: &Fetched,
    m: &Matching,
    state: &SyncState,
    config: &SessionConfig,
    dups: &Duplicates,
    holders: &Holders<'_>,
) -> (Vec<Difference>, Vec<Blocker>) {
    let (mut differences, mut blockers) = (Vec::new(), Vec::new());
    for (hi, h, c) in paired(f, m) {
        let (mut diffs, found) = diff::pair(
            h,
            c,
            baseline(state, h).map(|b| &b.fields),
            config.options.baseline_key.as_ref(),
            config.options.lenient_bank_accounts,
        );
        for d in &mut diffs {
            if dups.shares(hi, d.field) {
                leave_only(d);
            }
            blockers.extend(keep_unique(d, h, c, holders));
        }
        differences.extend(diffs);
        blockers.extend(found);
    }
    (differences, blockers)
}

/// Offers only "leave" for a phone or an employment ID another Huma user shares: the duplicate
/// is a blocker of its own, to be resolved first.
fn leave_only(d: &mut Difference) {
    d.allowed = vec![Choice::Leave];
    d.suggestion = None;
    d.notes.push(issue(
        "duplicate",
        "Another Huma user has the same value: resolve that first.".into(),
    ));
}

/// Takes the choice away that would write a value the target keeps unique and someone else
/// already holds (DOMAIN.md §3.5); the blocker names both people.
fn keep_unique(d: &mut Difference, h: &Person, c: &Person, holders: &Holders) -> Vec<Blocker> {
    let mut blockers = Vec::new();
    for (target, choice, from, to) in [
        (System::Huma, Choice::Crona, c, h),
        (System::Crona, Choice::Huma, h, c),
    ] {
        if !d.allowed.contains(&choice) {
            continue;
        }
        let w = Writer {
            target: Some(to),
            source: from,
        };
        let Some(holder) = holders.taken(target, d.field, w) else {
            continue;
        };
        d.allowed.retain(|a| *a != choice);
        if d.suggestion == Some(choice) {
            d.suggestion = None;
        }
        let value = values::of(d.field, &from.values, false)
            .map(|v| v.display)
            .unwrap_or_default();
        let (source, phrase) = (
            if target == System::Huma {
                System::Crona
            } else {
                System::Huma
            },
            d.field.mapping().phrase,
        );
        d.notes.push(issue(
            "taken",
            format!(
                "{} already has this {phrase} in {}.",
                unique::describe(holder),
                target.name()
            ),
        ));
        blockers.push(field_blocker(
            &d.person,
            d.field,
            target,
            if target == System::Huma { "taken_in_huma" } else { "taken_in_crona" },
            format!(
                "{}'s {phrase} from {} ({value}) can't be written to {}: {} already has it, and {} keeps each {phrase} unique.",
                d.person.name,
                source.name(),
                target.name(),
                unique::describe(holder),
                target.name()
            ),
        ));
    }
    blockers
}

fn issue(code: &'static str, message: String) -> Issue {
    Issue { code, message }
}
