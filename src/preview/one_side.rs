//! The people on one side only (DOMAIN.md §1.2 step 3), each with whether they can be created on
//! the other side; `create.rs` holds the rules.

use super::huma_users::Duplicates;
use super::{field_blocker, OneSide};
use crate::config::SessionConfig;
use crate::create;
use crate::diff::{Blocker, PersonRef};
use crate::fetch::Fetched;
use crate::matching::Matching;
use crate::model::{Field, System};
use crate::unique::{self, Holders};

/// The Huma users nobody in Crona pairs with: the candidates to create in Crona.
pub(super) fn only_in_huma(
    f: &Fetched,
    m: &Matching,
    dups: &Duplicates,
    holders: &Holders<'_>,
    config: &SessionConfig,
) -> Vec<OneSide> {
    let crona = f.lookup().crona;
    let lenient = config.options.lenient_bank_accounts;
    m.only_huma
        .iter()
        .filter_map(|&i| {
            let h = f.huma.get(i)?;
            let shares_employment_id = dups.shares(i, Field::EmploymentId);
            let reasons =
                create::why_not_in_crona(h, shares_employment_id, &crona, holders, lenient);
            Some(OneSide {
                person: PersonRef::of(Some(h), None),
                creatable: reasons.is_empty(),
                reasons,
                withheld: Vec::new(),
            })
        })
        .collect()
}

/// The Crona employees nobody in Huma pairs with: the candidates to create in Huma (none in a
/// push). Each phone a create would leave out comes with a blocker naming who in Huma has it.
pub(super) fn only_in_crona(
    f: &Fetched,
    m: &Matching,
    holders: &Holders<'_>,
    config: &SessionConfig,
) -> (Vec<OneSide>, Vec<Blocker>) {
    let (mut list, mut blockers) = (Vec::new(), Vec::new());
    if !crate::push::creates_in_huma(config.mode) {
        return (list, blockers);
    }
    let lenient = config.options.lenient_bank_accounts;
    for c in m.only_crona.iter().filter_map(|&i| f.crona.get(i)) {
        let who = PersonRef::of(None, Some(c));
        let mut withheld = Vec::new();
        if let Some(holder) = create::phone_withheld_in_huma(c, holders) {
            withheld.push(Field::Phone);
            blockers.push(field_blocker(&who, Field::Phone, System::Huma, "taken_in_huma", format!(
                "{}'s mobile phone {} is not copied when they are created in Huma: {} has it too, and Huma keeps phones unique.",
                who.name, c.values.phone.as_deref().unwrap_or(""), unique::describe(holder)
            )));
        }
        let reasons = create::why_not_in_huma(c, holders, lenient);
        list.push(OneSide {
            person: who,
            creatable: reasons.is_empty(),
            reasons,
            withheld,
        });
    }
    (list, blockers)
}
