//! Who can be created on the other side, why not, and how (DOMAIN.md §1.2, §3.3, §3.5): the rules
//! for a person only in Huma (a create in Crona) and a person only in Crona (a create in Huma),
//! which the preview shows, and the creates a plan makes of those picked. Creating someone must
//! never collide with anyone already on the other side.

use crate::bank::Issue;
use crate::config::SessionConfig;
use crate::diff::PersonRef;
use crate::fetch::Index;
use crate::model::{Derived, Field, Person, System, Written};
use crate::plan::{rows, Decisions, Operation, OperationKind, Selection, Skipped};
use crate::preview::{OneSide, Preview};
use crate::unique::{self, Holders, Writer};
use crate::{crona, huma, normalize, positions, values};

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

/// The creates in Crona a plan makes: the Huma-only people `d` picks who can be created, each
/// with the values that can be written (one that can't is left out, with the reason in
/// `skipped`) and the position values its source can tell.
pub(crate) fn in_crona(
    preview: &Preview,
    d: &Decisions,
    huma: &Index<'_>,
    config: &SessionConfig,
    skipped: &mut Vec<Skipped>,
) -> Vec<Operation> {
    let bank = config.options.bank_mode();
    let picks = picked(
        &preview.only_in_huma,
        &d.create_in_crona,
        |p| p.huma_id.as_deref(),
        huma,
        System::Crona,
        skipped,
    );
    let mut ops = Vec::new();
    for (o, h) in picks {
        let anst_nr = h.values.employment_id.clone().unwrap_or_default();
        // What the source can tell; unknown values are left out of the create.
        let derived = positions::known(h, config.today, config.mode).map(|(v, _)| v);
        let person = PersonRef {
            anst_nr: Some(anst_nr.clone()),
            ..o.person.clone()
        };
        // A value that can't be written (an unreadable phone, an invalid account…) is left out.
        let mut copied = Vec::new();
        for field in Field::ALL {
            match values::of(field, &h.values, config.options.lenient_bank_accounts) {
                Some(_) if o.withheld.contains(&field) => {}
                Some(v) if v.problem.is_some() => {
                    let problem = v.problem.map(|p| p.message).unwrap_or_default();
                    skipped.push(Skipped {
                        difference_id: None,
                        person: person.clone(),
                        reason: Issue {
                            code: "not_copied",
                            message: format!(
                                "{}'s {} is not copied to Crona: {problem}",
                                person.name,
                                field.mapping().phrase
                            ),
                        },
                    });
                }
                Some(_) => copied.push(field),
                None => {}
            }
        }
        let request = crona::create_employee(
            format!("apply:crona:create:{anst_nr}"),
            &anst_nr,
            &h.values,
            &copied,
            derived.as_ref(),
            bank,
        );
        // Every property the new record gets, AnstNr included: the body says which.
        let every: Vec<Written> = Field::ALL
            .map(Written::Field)
            .into_iter()
            .chain(Derived::ALL.map(Written::Position))
            .collect();
        ops.push(Operation {
            id: format!("crona:create:{anst_nr}"),
            kind: OperationKind::CreateCrona,
            description: format!("Create {} in Crona as AnstNr {anst_nr}, with the employment dates and job title from Huma", o.person.name),
            writes: rows(&request, &every, None, bank),
            request,
            person,
            fields: vec![Written::Record],
            then_fields: Vec::new(),
            then_writes: Vec::new(),
        });
    }
    ops
}

/// The creates in Huma a plan makes: the Crona-only people `d` picks who can be created, in the
/// connection's groups. Huma's create takes the names and e-mail; the rest that can be written
/// follows in a PATCH once Huma has given the id (`then_fields`, run by apply).
pub(crate) fn in_huma(
    preview: &Preview,
    d: &Decisions,
    crona: &Index<'_>,
    config: &SessionConfig,
    skipped: &mut Vec<Skipped>,
) -> Vec<Operation> {
    let bank = config.options.bank_mode();
    let groups: Vec<String> = config
        .scope
        .companies
        .iter()
        .chain(&config.scope.teams)
        .chain(&config.scope.locations)
        .cloned()
        .collect();
    let picks = picked(
        &preview.only_in_crona,
        &d.create_in_huma,
        |p| p.anst_nr.as_deref(),
        crona,
        System::Huma,
        skipped,
    );
    let mut ops = Vec::new();
    for (o, c) in picks {
        let anst = o.person.anst_nr.as_deref().unwrap_or_default();
        let then_fields: Vec<Field> = [
            Field::EmploymentId,
            Field::Address,
            Field::Phone,
            Field::BankAccount,
            Field::PrivateEmail,
        ]
        .into_iter()
        .filter(|f| {
            !o.withheld.contains(f)
                && values::of(*f, &c.values, config.options.lenient_bank_accounts)
                    .is_some_and(|v| v.problem.is_none())
        })
        .collect();
        let fields = [Field::Email, Field::GivenName, Field::FamilyName]
            .map(Written::Field)
            .to_vec();
        let request = huma::create_user(format!("apply:huma:create:{anst}"), &c.values, &groups);
        // The follow-up PATCH as apply will build it (the id is Huma's to give; the body isn't).
        let follow_up = huma::update_user(String::new(), "", &c.values, &then_fields, None, bank);
        let then: Vec<Written> = then_fields.iter().map(|&f| Written::Field(f)).collect();
        ops.push(Operation {
            id: format!("huma:create:{anst}"),
            kind: OperationKind::CreateHuma,
            description: format!("Create {} in Huma from Crona AnstNr {anst}", o.person.name),
            writes: rows(&request, &fields, None, bank),
            then_writes: rows(&follow_up, &then, None, bank),
            request,
            person: o.person.clone(),
            fields,
            then_fields,
        });
    }
    ops
}

/// The one-side-only people the selection picks who can be created, with their records;
/// someone named explicitly who can't be is left out with the reasons.
fn picked<'p, 'f>(
    list: &'p [OneSide],
    selection: &Selection,
    key: fn(&PersonRef) -> Option<&str>,
    records: &Index<'f>,
    target: System,
    skipped: &mut Vec<Skipped>,
) -> Vec<(&'p OneSide, &'f Person)> {
    let mut out = Vec::new();
    for o in list {
        let Some(id) = key(&o.person) else { continue };
        let named = match selection {
            Selection::None => false,
            Selection::All => true,
            Selection::Some(ids) => ids.iter().any(|i| i == id),
        };
        match records.get(id).filter(|_| named && o.creatable) {
            Some(record) => out.push((o, record)),
            None if named && matches!(selection, Selection::Some(_)) => skipped.push(Skipped {
                difference_id: None,
                person: o.person.clone(),
                reason: Issue {
                    code: "not_creatable",
                    message: format!(
                        "{} can't be created in {}: {}",
                        o.person.name,
                        target.name(),
                        o.reasons
                            .iter()
                            .map(|i| i.message.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                },
            }),
            None => {}
        }
    }
    out
}
