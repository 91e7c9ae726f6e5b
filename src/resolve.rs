//! Which side wins each difference, given what the administrator decided (DOMAIN.md §3.2): the
//! explicit choice, else the bulk choice per field (which never clears a value: it fills the gap
//! instead when the suggestion does, or leaves), else the suggestion, else nothing. This is the
//! one home of that rule: the plan carries out what `resolve` says, and the page shows the plan's
//! `resolutions` instead of working it out again.

use crate::bank::Issue;
use crate::diff::{would_clear, Choice, Difference};
use crate::plan::Decisions;
use serde::Serialize;

/// Where a resolved choice came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// Chosen for this difference.
    Explicit,
    /// The bulk choice of the field.
    Bulk,
    /// crona-sync's suggestion (taken because suggestions are on).
    Suggestion,
    /// A rule decided without anyone choosing: push mode.
    Rule,
    /// Nothing was chosen or suggested.
    Nothing,
}

/// What the plan does with one difference, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolution {
    /// The difference.
    pub difference_id: String,
    /// What is carried out: the winning side's value is written to the other, or nothing.
    pub choice: Choice,
    /// Where the choice came from.
    pub source: Source,
    /// The choice empties a value the other side has (only ever chosen explicitly).
    pub clears: bool,
    /// Left out for a reason (the note says which), rather than left as chosen.
    pub left_out: bool,
    /// Why the result isn't simply what was asked, or what the choice does that needs saying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Issue>,
}

impl Resolution {
    fn carried(diff: &Difference, choice: Choice, source: Source, note: Option<Issue>) -> Self {
        let clears = would_clear(diff.field, diff.kind, choice, &diff.huma, &diff.crona);
        Resolution {
            difference_id: diff.id.clone(),
            choice,
            source,
            clears,
            left_out: false,
            note,
        }
    }

    fn left_out(diff: &Difference, source: Source, note: Issue) -> Self {
        Resolution {
            difference_id: diff.id.clone(),
            choice: Choice::Leave,
            source,
            clears: false,
            left_out: true,
            note: Some(note),
        }
    }

    /// The plan found nothing the winning side's value could be written as: nothing is written.
    pub(crate) fn nothing_to_write(&mut self, reason: Issue) {
        self.choice = Choice::Leave;
        self.clears = false;
        self.left_out = true;
        self.note = Some(reason);
    }
}

/// Resolves one difference under these decisions.
pub fn resolve(diff: &Difference, d: &Decisions) -> Resolution {
    if let Some(why) = d.held.get(&diff.id) {
        return Resolution::left_out(diff, Source::Rule, why.clone());
    }
    if let Some(&c) = d.choices.get(&diff.id) {
        return explicit(diff, c);
    }
    let suggestion = diff
        .suggestion
        .filter(|_| d.use_suggestions.unwrap_or(true));
    match (d.field_defaults.get(&diff.field).copied(), suggestion) {
        (Some(c), suggestion) => unasked(diff, c, Source::Bulk, suggestion),
        (None, Some(s)) => unasked(diff, s, Source::Suggestion, Some(s)),
        (None, None) => Resolution::carried(diff, Choice::Leave, Source::Nothing, None),
    }
}

/// A choice made for this difference is carried out when it can be, even one that clears.
fn explicit(diff: &Difference, c: Choice) -> Resolution {
    if !diff.allowed.contains(&c) {
        let message = format!(
            "{} can't be chosen for this difference: {}",
            winner(c),
            refused(diff, c)
        );
        return Resolution::left_out(diff, Source::Explicit, issue("not_allowed", message));
    }
    let mut r = Resolution::carried(diff, c, Source::Explicit, None);
    if r.clears {
        r.note = Some(issue(
            "clears_by_choice",
            "This clears the other system's value: only because it was chosen for this difference."
                .into(),
        ));
    }
    r
}

/// A choice not made for this difference (a bulk choice, or the suggestion) never clears a value,
/// the most common complaint about HR → payroll syncs: "Huma wins" where Huma is empty means
/// "fill the gap" when that is the suggestion, and is left out otherwise.
fn unasked(diff: &Difference, c: Choice, source: Source, suggestion: Option<Choice>) -> Resolution {
    let clears = |c: Choice| would_clear(diff.field, diff.kind, c, &diff.huma, &diff.crona);
    if c != Choice::Leave && clears(c) {
        if let Some(s) = suggestion.filter(|&s| !clears(s) && diff.allowed.contains(&s)) {
            let note = issue(
                "fills_gap",
                "The bulk choice would clear a value: the empty side is filled instead.".into(),
            );
            return Resolution::carried(diff, s, source, Some(note));
        }
        let message = format!(
            "Left as it is: a bulk choice never clears a value. {}",
            diff.message
        );
        return Resolution::left_out(diff, source, issue("would_clear", message));
    }
    if !diff.allowed.contains(&c) {
        let message = format!(
            "{} can't be carried out here: {}",
            match source {
                Source::Suggestion => "The suggestion",
                _ => "The bulk choice",
            },
            refused(diff, c)
        );
        return Resolution::left_out(diff, source, issue("not_allowed", message));
    }
    Resolution::carried(diff, c, source, None)
}

/// Why `c` isn't allowed for this difference, as the difference says; its description if it
/// doesn't say.
fn refused(diff: &Difference, c: Choice) -> &str {
    diff.refused
        .iter()
        .find(|(r, _)| *r == c)
        .map_or(diff.message.as_str(), |(_, why)| why.as_str())
}

/// A choice as the winner's words.
fn winner(c: Choice) -> &'static str {
    match c {
        Choice::Huma => "Huma's value",
        Choice::Crona => "Crona's value",
        Choice::Leave => "Leaving it",
    }
}

fn issue(code: &'static str, message: String) -> Issue {
    Issue { code, message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Kind, PersonRef};
    use crate::model::Field;
    use crate::values::FieldValue;

    fn value(s: &str) -> Option<FieldValue> {
        Some(FieldValue {
            display: s.into(),
            normalized: s.into(),
            problem: None,
        })
    }

    /// Huma has no phone, Crona has one: the suggestion fills Huma's gap.
    fn missing_in_huma() -> Difference {
        Difference {
            id: "h1/1001/phone".into(),
            person: PersonRef {
                name: "Anna Berg".into(),
                ..PersonRef::default()
            },
            field: Field::Phone,
            kind: Kind::MissingInHuma,
            huma: None,
            crona: value("+46701234567"),
            baseline: None,
            changed_since: None,
            allowed: vec![Choice::Huma, Choice::Crona, Choice::Leave],
            suggestion: Some(Choice::Crona),
            message: "Huma has no phone.".into(),
            notes: Vec::new(),
            refused: Vec::new(),
        }
    }

    fn bulk(field: Field, c: Choice) -> Decisions {
        let mut d = Decisions::default();
        d.field_defaults.insert(field, c);
        d
    }

    fn code(r: &Resolution) -> Option<&str> {
        r.note.as_ref().map(|n| n.code)
    }

    #[test]
    fn the_suggestion_is_carried_out_when_nothing_was_chosen() {
        let r = resolve(&missing_in_huma(), &Decisions::default());
        assert_eq!(
            (r.choice, r.source, r.left_out, r.clears),
            (Choice::Crona, Source::Suggestion, false, false)
        );
        assert_eq!(code(&r), None);
    }

    #[test]
    fn without_suggestions_nothing_chosen_leaves_the_difference() {
        let d = Decisions {
            use_suggestions: Some(false),
            ..Decisions::default()
        };
        let r = resolve(&missing_in_huma(), &d);
        assert_eq!(
            (r.choice, r.source, r.left_out),
            (Choice::Leave, Source::Nothing, false)
        );
    }

    #[test]
    fn a_bulk_choice_that_would_clear_fills_the_gap_instead() {
        let r = resolve(&missing_in_huma(), &bulk(Field::Phone, Choice::Huma));
        assert_eq!(
            (r.choice, r.source, r.left_out, r.clears),
            (Choice::Crona, Source::Bulk, false, false)
        );
        assert_eq!(code(&r), Some("fills_gap"));
    }

    #[test]
    fn a_bulk_choice_that_would_clear_without_a_suggestion_is_left_out() {
        let mut d = bulk(Field::Phone, Choice::Huma);
        d.use_suggestions = Some(false);
        let r = resolve(&missing_in_huma(), &d);
        assert_eq!(
            (r.choice, r.source, r.left_out, r.clears),
            (Choice::Leave, Source::Bulk, true, false)
        );
        assert_eq!(code(&r), Some("would_clear"));
        assert_eq!(
            r.note.map(|n| n.message).as_deref(),
            Some("Left as it is: a bulk choice never clears a value. Huma has no phone.")
        );
    }

    #[test]
    fn an_explicit_choice_clears_and_says_so() {
        let mut d = bulk(Field::Phone, Choice::Crona);
        d.choices.insert("h1/1001/phone".into(), Choice::Huma);
        let r = resolve(&missing_in_huma(), &d);
        assert_eq!(
            (r.choice, r.source, r.left_out, r.clears),
            (Choice::Huma, Source::Explicit, false, true)
        );
        assert_eq!(code(&r), Some("clears_by_choice"));
    }

    #[test]
    fn a_choice_the_difference_does_not_allow_is_left_out() {
        let mut diff = missing_in_huma();
        diff.allowed = vec![Choice::Leave];
        diff.refused = vec![
            (Choice::Huma, "Huma's phone can't be read.".into()),
            (Choice::Crona, "Crona's phone can't be read.".into()),
        ];
        let r = resolve(&diff, &bulk(Field::Phone, Choice::Crona));
        assert_eq!((r.choice, r.left_out), (Choice::Leave, true));
        assert_eq!(code(&r), Some("not_allowed"));
        assert_eq!(
            r.note.as_ref().map(|n| n.message.as_str()),
            Some("The bulk choice can't be carried out here: Crona's phone can't be read.")
        );
        let mut d = Decisions::default();
        d.choices.insert(diff.id.clone(), Choice::Crona);
        let r = resolve(&diff, &d);
        assert_eq!(
            (r.choice, r.source, r.left_out),
            (Choice::Leave, Source::Explicit, true)
        );
        assert_eq!(
            r.note.map(|n| n.message),
            Some(
                "Crona's value can't be chosen for this difference: Crona's phone can't be read."
                    .into()
            )
        );
    }

    #[test]
    fn a_bulk_leave_leaves_every_difference_of_the_field() {
        let r = resolve(&missing_in_huma(), &bulk(Field::Phone, Choice::Leave));
        assert_eq!(
            (r.choice, r.source, r.left_out),
            (Choice::Leave, Source::Bulk, false)
        );
        let r = resolve(&missing_in_huma(), &bulk(Field::Address, Choice::Leave));
        assert_eq!(r.source, Source::Suggestion);
    }

    #[test]
    fn a_difference_a_rule_held_is_left_out_with_the_rule_s_reason() {
        let mut d = Decisions::default();
        d.choices.insert("h1/1001/phone".into(), Choice::Leave);
        d.held.insert(
            "h1/1001/phone".into(),
            Issue {
                code: "manual_sync",
                message: "Left for \"Synchronize users\".".into(),
            },
        );
        let r = resolve(&missing_in_huma(), &d);
        assert_eq!(
            (r.choice, r.source, r.left_out),
            (Choice::Leave, Source::Rule, true)
        );
        assert_eq!(code(&r), Some("manual_sync"));
    }
}
