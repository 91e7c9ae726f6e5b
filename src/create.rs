//! Who can be created on the other side, and why not (DOMAIN.md §1.2, §3.3, §3.5): the rules for
//! a person only in Huma (a create in Crona) and a person only in Crona (a create in Huma).
//! Creating someone must never collide with anyone already on the other side.

use crate::bank::Issue;
use crate::config::Mode;
use crate::fetch::Index;
use crate::model::{Field, Person, System};
use crate::unique::{self, Holders, Writer};
use crate::{normalize, values};

/// Whether a run in `mode` offers anyone for creation in Huma. A push concerns the Huma people
/// it names: nobody is created in Huma by one.
pub(crate) fn offers_creates_in_huma(mode: Mode) -> bool {
    matches!(mode, Mode::Sync)
}

/// Why `h`, a Huma user nobody in Crona pairs with, can't be created in Crona; empty when they
/// can. `shares_employment_id` says another Huma user has the same employment ID; `crona` is the
/// Crona register by AnstNr.
pub(crate) fn why_not_in_crona(
    h: &Person,
    shares_employment_id: bool,
    crona: &Index<'_>,
    holders: &Holders<'_>,
    lenient: bool,
) -> Vec<Issue> {
    let mut reasons = required_missing(h, lenient);
    if !h.active {
        reasons.insert(
            0,
            Issue {
                code: "deactivated",
                message: "Deactivated in Huma: not created in Crona.".into(),
            },
        );
    }
    if shares_employment_id {
        reasons.push(Issue {
            code: "duplicate_employment_id",
            message: "Another Huma user has the same employment ID.".into(),
        });
    }
    reasons.extend(anst_nr_problem(h, crona));
    if let Some(holder) = holders.taken(System::Crona, Field::Email, created(h)) {
        reasons.push(Issue {
            code: "email_taken",
            message: format!(
                "{} already has the work e-mail {}; Crona would hold it twice.",
                unique::describe(holder),
                h.values.email.as_deref().unwrap_or("")
            ),
        });
    }
    reasons
}

/// Why `c`, a Crona employee nobody in Huma pairs with, can't be created in Huma; empty when they
/// can.
pub(crate) fn why_not_in_huma(c: &Person, holders: &Holders<'_>, lenient: bool) -> Vec<Issue> {
    let mut reasons = required_missing(c, lenient);
    // The employment ID is written to Huma too; AnstNr always exists, so only e-mail and names can be missing.
    reasons.retain(|r| r.code != "missing_employment_id");
    let new = created(c);
    if holders
        .taken(System::Huma, Field::EmploymentId, new)
        .is_some()
    {
        let anst = c.values.employment_id.as_deref().unwrap_or("");
        reasons.push(Issue {
            code: "employment_id_taken",
            message: format!(
                "A Huma user already has the employment ID {anst}; creating would make a second one."
            ),
        });
    }
    if holders.taken(System::Huma, Field::Email, new).is_some() {
        let email = c
            .values
            .email
            .as_deref()
            .map(normalize::email)
            .unwrap_or_default();
        reasons.push(Issue {
            code: "email_taken",
            message: format!(
                "A Huma user already has the e-mail {email} (paired with another employee); Huma e-mails are unique."
            ),
        });
    }
    reasons
}

/// Who in Huma already holds the mobile phone of `c`, when a create of `c` in Huma must leave
/// the phone out; `None` when it can go along. The phone follows in a PATCH once Huma has the
/// user: it must be free there too. (A taken e-mail or employment ID stops the create instead:
/// [`why_not_in_huma`].)
pub(crate) fn phone_withheld_in_huma<'a>(c: &Person, holders: &Holders<'a>) -> Option<&'a Person> {
    holders.taken(System::Huma, Field::Phone, created(c))
}

/// The employment ID of `h` becomes their AnstNr when they are created in Crona: it must be free
/// there and be one (1 to 10 digits). `None` when it is, or when there is none (a missing value
/// is [`required_missing`]'s to report).
fn anst_nr_problem(h: &Person, crona: &Index<'_>) -> Option<Issue> {
    let anst = h.values.employment_id.as_deref().map(normalize::text)?;
    if let Some(holder) = crona.get(anst.as_str()) {
        let holder = crate::diff::PersonRef::of(None, Some(holder));
        Some(Issue {
            code: "anstnr_taken",
            message: format!(
                "AnstNr {anst} already belongs to Crona employee {} ({}); creating would collide. Fix the employment ID or the e-mail so they pair.",
                holder.name,
                holder.email.as_deref().unwrap_or("no e-mail")
            ),
        })
    } else if !(1..=10).contains(&anst.len()) || !anst.bytes().all(|b| b.is_ascii_digit()) {
        Some(Issue {
            code: "invalid_anstnr",
            message: format!("The employment ID {anst:?} can't be an AnstNr (1 to 10 digits)."),
        })
    } else {
        None
    }
}

/// The required values a new record needs (DOMAIN.md §2): e-mail, employment ID, names. One
/// issue per value that is missing or can't be written.
fn required_missing(person: &Person, lenient: bool) -> Vec<Issue> {
    let mut out = Vec::new();
    for field in [
        Field::Email,
        Field::EmploymentId,
        Field::GivenName,
        Field::FamilyName,
    ] {
        match values::of(field, &person.values, lenient) {
            None => out.push(Issue {
                code: match field {
                    Field::Email => "missing_email",
                    Field::EmploymentId => "missing_employment_id",
                    Field::GivenName => "missing_given_name",
                    _ => "missing_family_name",
                },
                message: format!("{} is required and missing.", field.mapping().label),
            }),
            Some(v) => {
                if let Some(mut problem) = v.problem {
                    if problem.code == "control_character" {
                        problem.message = format!("{}: {}", field.mapping().label, problem.message);
                    }
                    out.push(problem);
                }
            }
        }
    }
    out
}

/// A create of `p`'s record on the other side: no record there yet, `p`'s values.
fn created(p: &Person) -> Writer<'_> {
    Writer {
        target: None,
        source: p,
    }
}
