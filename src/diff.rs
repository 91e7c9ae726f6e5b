//! The differences between a matched pair (DOMAIN.md §3.2): conflicts and missing values per
//! field, which side changed since the baseline, what the administrator may choose, and what is
//! suggested. Never suggests clearing a filled value.

use crate::bank::Issue;
use crate::model::{Field, Person};
use crate::values::{self, FieldValue};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which side wins a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    /// Huma's value is written to Crona.
    Huma,
    /// Crona's value is written to Huma.
    Crona,
    /// Nothing is written.
    Leave,
}

/// Conflict or missing value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// Both sides have a value and they differ.
    Conflict,
    /// Huma is empty.
    MissingInHuma,
    /// Crona is empty.
    MissingInCrona,
}

/// Which side changed since the last sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Changed {
    /// Only Huma.
    Huma,
    /// Only Crona.
    Crona,
    /// Both: a true conflict.
    Both,
}

/// Who a difference or blocker is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PersonRef {
    /// Huma user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub huma_id: Option<String>,
    /// Crona AnstNr.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anst_nr: Option<String>,
    /// Work e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// "Given Family".
    pub name: String,
}

impl PersonRef {
    /// From one or both sides; Huma's values first.
    pub fn of(huma: Option<&Person>, crona: Option<&Person>) -> Self {
        let pick = |f: fn(&Person) -> Option<&String>| {
            huma.and_then(f).or_else(|| crona.and_then(f)).cloned()
        };
        let given = pick(|p| p.values.given_name.as_ref()).unwrap_or_default();
        let family = pick(|p| p.values.family_name.as_ref()).unwrap_or_default();
        let name = format!("{given} {family}").trim().to_string();
        PersonRef {
            huma_id: huma.and_then(|p| p.huma_id.clone()),
            anst_nr: crona.and_then(|p| p.values.employment_id.clone()),
            email: pick(|p| p.values.email.as_ref()),
            name: if name.is_empty() {
                "(no name)".into()
            } else {
                name
            },
        }
    }
}

/// The baseline value of a field, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaselineValue {
    /// Normal form after the last sync ("" = empty).
    pub normalized: String,
}

/// One difference the administrator decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// Stable: the same pair and field give the same id in every sync.
    pub id: String,
    /// Who.
    pub person: PersonRef,
    /// Which field.
    pub field: Field,
    /// Conflict or missing value.
    pub kind: Kind,
    /// Huma's value, or null when empty.
    pub huma: Option<FieldValue>,
    /// Crona's value, or null when empty.
    pub crona: Option<FieldValue>,
    /// The value both had after the last sync.
    pub baseline: Option<BaselineValue>,
    /// Which side changed since then.
    pub changed_since: Option<Changed>,
    /// The choices that can be carried out.
    pub allowed: Vec<Choice>,
    /// What crona-sync suggests, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Choice>,
    /// The difference in one sentence, for people.
    pub message: String,
    /// Why a choice is missing, what a choice would do, what differs.
    pub notes: Vec<Issue>,
}

/// A reason something can't be written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Blocker {
    /// Stable id.
    pub id: String,
    /// Who, when it concerns one person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonRef>,
    /// Which field, when it concerns one field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
    /// Which system's value or rule blocks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<crate::model::System>,
    /// Stable code.
    pub code: String,
    /// In words.
    pub message: String,
}

fn note(code: &'static str, message: String) -> Issue {
    Issue { code, message }
}

/// The differences and field blockers of one pair. `baseline` holds what the pair agreed on
/// after the last sync, if there was one: normal forms, or fingerprints under `baseline_key`.
pub fn pair(
    huma: &Person,
    crona: &Person,
    baseline: Option<&BTreeMap<Field, String>>,
    baseline_key: Option<&crate::fingerprint::BaselineKey>,
    lenient_bank: bool,
) -> (Vec<Difference>, Vec<Blocker>) {
    // Most pairs hold the same text in every field: nothing to build for them.
    let maybe_different: Vec<Field> = Field::ALL
        .into_iter()
        .filter(|f| !values::same_raw(*f, &huma.values, &crona.values))
        .collect();
    if maybe_different.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let who = PersonRef::of(Some(huma), Some(crona));
    let key = format!(
        "{}/{}",
        who.huma_id.as_deref().unwrap_or(""),
        who.anst_nr.as_deref().unwrap_or("")
    );
    let mut differences = Vec::new();
    let mut blockers = Vec::new();
    for field in maybe_different {
        let h = values::of(field, &huma.values, lenient_bank);
        let c = values::of(field, &crona.values, lenient_bank);
        let kind = match (&h, &c) {
            (None, None) => continue,
            (Some(a), Some(b)) if a.normalized == b.normalized => continue,
            (Some(_), Some(_)) => Kind::Conflict,
            (None, Some(_)) => Kind::MissingInHuma,
            (Some(_), None) => Kind::MissingInCrona,
        };
        let phrase = field.mapping().phrase;
        let required = field.mapping().required;
        let mut notes = Vec::new();
        let mut block = |code: &str, system, message: String| {
            blockers.push(Blocker {
                id: format!("{key}/{}/{code}", field_key(field)),
                person: Some(who.clone()),
                field: Some(field),
                system: Some(system),
                code: code.to_string(),
                message,
            });
        };
        use crate::model::System;

        // Huma wins: Huma's value (or its emptiness) is written to Crona.
        let to_crona = if field == Field::EmploymentId {
            notes.push(note(
                "anstnr_immutable",
                "AnstNr can't be changed in Crona from Huma; only Huma can be updated.".into(),
            ));
            false
        } else if let Some(problem) = h.as_ref().and_then(|v| v.problem.clone()) {
            block(
                problem.code,
                System::Huma,
                format!(
                    "{}'s {} in Huma can't be copied to Crona: {}",
                    who.name, phrase, problem.message
                ),
            );
            false
        } else {
            // An empty Huma value would clear Crona's; never for a required field.
            !(h.is_none() && required)
        };
        // Crona wins: Crona's value (or its emptiness) is written to Huma.
        let to_huma = if !huma.active {
            block("deactivated", System::Huma, format!("{} is deactivated in Huma, which locks the profile: Crona's {} can't be written there.", who.name, phrase));
            false
        } else if huma.locked.contains(&field) {
            block("not_editable", System::Huma, format!("Huma marks {}'s {} as not editable (an integration controls it): Crona's value can't be written there.", who.name, phrase));
            false
        } else if let Some(ch) = (field == Field::Address)
            .then_some(huma.address_line3.as_deref())
            .flatten()
            .and_then(crate::normalize::hidden_control)
        {
            // Huma's own line 3 goes back with any address written there.
            block("control_character", System::Huma, format!("{}'s address line 3 in Huma contains the invisible control character U+{:04X}: no address is written to Huma until it is corrected there.", who.name, u32::from(ch)));
            false
        } else if let Some(problem) = c.as_ref().and_then(|v| v.problem.clone()) {
            block(
                problem.code,
                System::Crona,
                format!(
                    "{}'s {} in Crona can't be copied to Huma: {}",
                    who.name, phrase, problem.message
                ),
            );
            false
        } else if c.is_none() && field == Field::BankAccount {
            // Huma's API takes a bank account only with a number: it can't be emptied from here.
            false
        } else {
            !(c.is_none() && required)
        };
        if kind == Kind::MissingInHuma && to_crona {
            notes.push(note(
                "clears_value",
                format!("Choosing Huma clears Crona's {}.", phrase),
            ));
        }
        if kind == Kind::MissingInCrona && to_huma {
            notes.push(note(
                "clears_value",
                format!("Choosing Crona clears Huma's {}.", phrase),
            ));
        }
        if field == Field::Address {
            if let (Some(a), Some(b)) = (&h, &c) {
                notes.push(note(
                    "address_parts",
                    format!(
                        "Differs in: {}.",
                        values::address_parts_differing(a, b).join(", ")
                    ),
                ));
            }
            if let Some(line3) = &huma.address_line3 {
                notes.push(note("address_line3", format!("Huma's address line 3 ({line3:?}) has no place in Crona and is not copied.")));
            }
        }
        if field == Field::Email {
            if let Some(pending) = &huma.pending_email {
                notes.push(note("pending_email", format!("Huma has an unconfirmed change to {pending}; only the confirmed address is compared and copied.")));
            }
        }
        if field == Field::Address && kind == Kind::Conflict {
            for (choice, ok, whose) in [
                (Choice::Huma, to_crona, "Crona's"),
                (Choice::Crona, to_huma, "Huma's"),
            ] {
                if ok && would_clear(field, kind, choice, &h, &c) {
                    let side = if choice == Choice::Huma {
                        "Huma"
                    } else {
                        "Crona"
                    };
                    notes.push(note("clears_value", format!("Choosing {side} empties parts of {whose} address: only an explicit choice does that, never a bulk one or a suggestion.")));
                }
            }
        }
        let allowed: Vec<Choice> = [
            (to_crona, Choice::Huma),
            (to_huma, Choice::Crona),
            (true, Choice::Leave),
        ]
        .into_iter()
        .filter_map(|(ok, choice)| ok.then_some(choice))
        .collect();

        let now =
            |v: &Option<FieldValue>| v.as_ref().map(|v| v.normalized.clone()).unwrap_or_default();
        let agreed = |v: &Option<FieldValue>, base: &str| {
            crate::fingerprint::agrees(baseline_key, field, &now(v), base)
        };
        let (baseline_value, changed) = match baseline.and_then(|b| b.get(&field)) {
            Some(base) => match (agreed(&h, base), agreed(&c, base)) {
                (Some(huma_same), Some(crona_same)) => (
                    // A fingerprint is never shown: it says nothing to a person.
                    (!crate::fingerprint::is_fingerprint(base)).then(|| BaselineValue {
                        normalized: base.clone(),
                    }),
                    Some(match (huma_same, crona_same) {
                        (false, true) => Changed::Huma,
                        (true, false) => Changed::Crona,
                        _ => Changed::Both,
                    }),
                ),
                // A fingerprint under another key (or none): it can't be told.
                _ => (None, None),
            },
            // Never agreed (or a first sync): no side can be said to have changed.
            None => (None, None),
        };
        // The side that changed wins; without a baseline, the side that has the value fills the
        // other. Never a suggestion that empties a filled value.
        let winner = match (changed, kind) {
            (Some(Changed::Huma), _) => Some(Choice::Huma),
            (Some(Changed::Crona), _) => Some(Choice::Crona),
            (Some(Changed::Both), _) => None,
            (None, Kind::MissingInHuma) => Some(Choice::Crona),
            (None, Kind::MissingInCrona) => Some(Choice::Huma),
            (None, Kind::Conflict) => None,
        };
        let clears = |choice| would_clear(field, kind, choice, &h, &c);
        let suggestion = winner.filter(|w| allowed.contains(w) && !clears(*w));
        let message = describe(&who.name, phrase, kind, &h, &c, changed);
        differences.push(Difference {
            message,
            id: format!("{key}/{}", field_key(field)),
            person: who.clone(),
            field,
            kind,
            huma: h,
            crona: c,
            baseline: baseline_value,
            changed_since: changed,
            allowed,
            suggestion,
            notes,
        });
    }
    (differences, blockers)
}

/// "Anna Berg's mobile phone differs: Huma has "070-…", Crona has "073-…"."
fn describe(
    name: &str,
    phrase: &str,
    kind: Kind,
    h: &Option<FieldValue>,
    c: &Option<FieldValue>,
    changed: Option<Changed>,
) -> String {
    let shown = |v: &Option<FieldValue>| v.as_ref().map(|v| v.display.clone()).unwrap_or_default();
    let what = match kind {
        Kind::Conflict => format!(
            "{name}'s {phrase} differs: Huma has {:?}, Crona has {:?}.",
            shown(h),
            shown(c)
        ),
        Kind::MissingInHuma => format!(
            "{name}'s {phrase} is missing in Huma; Crona has {:?}.",
            shown(c)
        ),
        Kind::MissingInCrona => format!(
            "{name}'s {phrase} is missing in Crona; Huma has {:?}.",
            shown(h)
        ),
    };
    let since = match changed {
        Some(Changed::Huma) => " It was changed in Huma since the last sync.",
        Some(Changed::Crona) => " It was changed in Crona since the last sync.",
        Some(Changed::Both) => " Both systems changed it since the last sync.",
        None => "",
    };
    format!("{what}{since}")
}

/// Whether choosing `choice` would empty a value the losing side has: the never-clear rule
/// (DOMAIN.md §3.2). For the address, emptying any filled part counts.
pub fn would_clear(
    field: Field,
    kind: Kind,
    choice: Choice,
    huma: &Option<FieldValue>,
    crona: &Option<FieldValue>,
) -> bool {
    match (choice, kind) {
        (Choice::Huma, Kind::MissingInHuma) | (Choice::Crona, Kind::MissingInCrona) => true,
        (Choice::Leave, _) => false,
        (_, Kind::Conflict) if field == Field::Address => {
            let (Some(h), Some(c)) = (huma, crona) else {
                return false;
            };
            let (win, other) = if choice == Choice::Huma {
                (h, c)
            } else {
                (c, h)
            };
            win.normalized
                .split(" | ")
                .zip(other.normalized.split(" | "))
                .any(|(w, o)| w.is_empty() && !o.is_empty())
        }
        _ => false,
    }
}

/// The field's public name, for ids.
pub fn field_key(field: Field) -> &'static str {
    field.mapping().huma
}
