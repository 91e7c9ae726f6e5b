//! What matching couldn't do (DOMAIN.md §3.1): people it can't pair safely, and remembered pairs
//! it no longer uses.

use crate::diff::{Blocker, PersonRef};
use crate::fetch::Fetched;
use crate::matching::{Ambiguity, Matching};
use crate::model::{Field, System};

/// A notice for each remembered pair that no longer looks like one person, so the admin knows
/// why e-mail matching decided instead.
pub(super) fn dropped_pair_notices(f: &Fetched, m: &Matching) -> Vec<Blocker> {
    let mut out = Vec::new();
    for &(hi, ci) in &m.dropped_pairs {
        if let (Some(h), Some(c)) = (f.huma.get(hi), f.crona.get(ci)) {
            let (who, other) = (PersonRef::of(Some(h), None), PersonRef::of(None, Some(c)));
            out.push(Blocker {
                id: format!("{}/{}/pair_dropped", who.huma_id.as_deref().unwrap_or(""), other.anst_nr.as_deref().unwrap_or("")),
                message: format!(
                    "The state remembered {} (Huma) as AnstNr {} ({}), but they share neither the work e-mail nor the employment ID, and Crona no longer has what both agreed on: the pair is not used and e-mail matching decides. If they are one person, make the e-mail or the employment ID the same on both sides.",
                    who.name, other.anst_nr.as_deref().unwrap_or(""), other.name
                ),
                person: Some(who),
                field: None,
                system: None,
                code: "pair_dropped".into(),
            });
        }
    }
    out
}

/// A blocker for each person left unpaired because their match is ambiguous, Huma users first:
/// nothing is written for them until it is resolved.
pub(super) fn ambiguity_blockers(f: &Fetched, m: &Matching) -> Vec<Blocker> {
    let huma = m.ambiguous_huma.iter().filter_map(|(i, why)| {
        let h = f.huma.get(*i)?;
        Some(ambiguity_blocker(
            PersonRef::of(Some(h), None),
            System::Huma,
            why,
        ))
    });
    let crona = m.ambiguous_crona.iter().filter_map(|(i, why)| {
        let c = f.crona.get(*i)?;
        Some(ambiguity_blocker(
            PersonRef::of(None, Some(c)),
            System::Crona,
            why,
        ))
    });
    huma.chain(crona).collect()
}

/// The blocker for one person matching left unpaired: their AnstNr is listed twice in Crona, or
/// their work e-mail belongs to more than one person.
fn ambiguity_blocker(who: PersonRef, system: System, why: &Ambiguity) -> Blocker {
    let (email, huma, crona) = match why {
        Ambiguity::DuplicateEmail { email, huma, crona } => (email, huma, crona),
        Ambiguity::DuplicateAnstNr { anst_nr } => {
            return Blocker {
                id: format!(
                    "{}/{}/employmentId/duplicate_anstnr/{}",
                    who.huma_id.as_deref().unwrap_or(""),
                    who.anst_nr.as_deref().unwrap_or(""),
                    who.email.as_deref().unwrap_or("")
                ),
                message: format!("Crona lists AnstNr {anst_nr} more than once, so {} can't be paired or written: a write could hit either record. Fix the register first.", who.name),
                person: Some(who),
                field: Some(Field::EmploymentId),
                system: Some(system),
                code: "duplicate_anstnr".into(),
            };
        }
    };
    let whose = match (system, &who.anst_nr) {
        (System::Crona, Some(anst)) => format!("{} (Crona AnstNr {anst})", who.name),
        _ => format!("{} (Huma)", who.name),
    };
    let message = format!(
        "{whose} can't be paired: the work e-mail {email} belongs to {huma} Huma user(s) and {crona} Crona employee(s). Make it unique; nothing is written for them until then."
    );
    Blocker {
        id: format!(
            "{}/{}/email/duplicate_email",
            who.huma_id.as_deref().unwrap_or(""),
            who.anst_nr.as_deref().unwrap_or("")
        ),
        person: Some(who),
        field: Some(Field::Email),
        system: Some(system),
        code: "duplicate_email".into(),
        message,
    }
}
