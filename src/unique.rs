//! Values a system keeps unique (DOMAIN.md §3.5): Huma's work e-mail, phone and employment ID,
//! Crona's AnstNr and EpostArb. Before a value is planned into a system it is checked against
//! everyone fetched from both sides; a collision is a blocker that names both people.

use crate::diff::PersonRef;
use crate::fetch::Fetched;
use crate::model::{Field, Person, System, Values};
use crate::normalize;
use std::collections::BTreeMap;

/// The fields a system refuses twice.
pub fn kept_unique(system: System) -> &'static [Field] {
    match system {
        System::Huma => &[Field::Email, Field::Phone, Field::EmploymentId],
        System::Crona => &[Field::Email, Field::EmploymentId],
    }
}

/// A value as the target compares it for uniqueness (e-mail without case, phone as a number);
/// `None` when it can't be compared (an unreadable phone is a blocker of its own).
pub fn key(field: Field, values: &Values) -> Option<String> {
    let k = match field {
        Field::Email => normalize::email(values.email.as_deref()?),
        Field::Phone => normalize::phone(values.phone.as_deref()?)?,
        Field::EmploymentId => normalize::text(values.employment_id.as_deref()?),
        _ => return None,
    };
    (!k.is_empty()).then_some(k)
}

/// Who holds each unique value, on each side.
pub struct Holders<'a> {
    by: BTreeMap<(System, Field, String), Vec<&'a Person>>,
}

/// Who a write is for: the record written and, for a pair, the record on the other side, whose
/// value the write carries.
#[derive(Clone, Copy)]
pub struct Writer<'a> {
    /// The record in the target system (none for a create).
    pub target: Option<&'a Person>,
    /// The record the value comes from.
    pub source: &'a Person,
}

impl<'a> Holders<'a> {
    /// Indexes both registers.
    pub fn of(f: &'a Fetched) -> Self {
        let mut by: BTreeMap<(System, Field, String), Vec<&Person>> = BTreeMap::new();
        for (system, people) in [(System::Huma, &f.huma), (System::Crona, &f.crona)] {
            for person in people {
                for &field in &[Field::Email, Field::Phone, Field::EmploymentId] {
                    if let Some(k) = key(field, &person.values) {
                        by.entry((system, field, k)).or_default().push(person);
                    }
                }
            }
        }
        Holders { by }
    }

    /// Someone other than the writer's two records who holds the value `field` would get in
    /// `target`: already in the target system, or on the source side where another write could
    /// carry it there too. `None` when the value is free.
    pub fn taken(&self, target: System, field: Field, w: Writer<'_>) -> Option<&'a Person> {
        if !kept_unique(target).contains(&field) {
            return None;
        }
        let value = key(field, &w.source.values)?;
        let source = match target {
            System::Huma => System::Crona,
            System::Crona => System::Huma,
        };
        let is = |a: &Person, b: Option<&Person>| b.is_some_and(|b| std::ptr::eq(a, b));
        let holders = |system| self.by.get(&(system, field, value.clone()));
        holders(target)
            .into_iter()
            .flatten()
            .find(|p| !is(p, w.target))
            .or_else(|| {
                // Phones aren't unique in Crona: two employees sharing one would both reach Huma.
                holders(source)
                    .into_iter()
                    .flatten()
                    .find(|p| field == Field::Phone && !is(p, Some(w.source)))
            })
            .copied()
    }
}

/// "Huma user Bo Ek (bo@x.se)" or "Crona employee Bo Ek (AnstNr 1002)": the other holder.
pub fn describe(holder: &Person) -> String {
    let who = match &holder.huma_id {
        Some(_) => PersonRef::of(Some(holder), None),
        None => PersonRef::of(None, Some(holder)),
    };
    match (&holder.huma_id, &who.anst_nr, &who.email) {
        (None, Some(anst), _) => format!("Crona employee {} (AnstNr {anst})", who.name),
        (_, _, Some(email)) => format!("Huma user {} ({email})", who.name),
        _ => format!("{} user {}", System::Huma.name(), who.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(huma: Option<&str>, email: &str, phone: &str, id: &str) -> Person {
        Person {
            huma_id: huma.map(str::to_string),
            values: Values {
                email: Some(email.into()),
                phone: Some(phone.into()),
                employment_id: Some(id.into()),
                given_name: Some("Bo".into()),
                family_name: Some("Ek".into()),
                ..Values::default()
            },
            active: true,
            ..Person::default()
        }
    }

    /// A write from the first Crona employee to the first Huma user.
    fn first_pair(f: &Fetched) -> Writer<'_> {
        Writer {
            target: f.huma.first(),
            source: &f.crona[0],
        }
    }

    #[test]
    fn a_phone_another_huma_user_holds_is_taken_in_any_shape() {
        let f = Fetched {
            huma: vec![
                person(Some("h1"), "anna@x.se", "", "1001"),
                person(Some("h2"), "bo@x.se", "+46 70 123 45 67", "1002"),
            ],
            crona: vec![person(None, "anna@x.se", "070-123 45 67", "1001")],
            ..Fetched::default()
        };
        let holders = Holders::of(&f);
        let w = first_pair(&f);
        let holder = holders.taken(System::Huma, Field::Phone, w).unwrap();
        assert_eq!(describe(holder), "Huma user Bo Ek (bo@x.se)");
        assert!(holders
            .taken(System::Huma, Field::EmploymentId, w)
            .is_none());
        assert!(holders.taken(System::Huma, Field::GivenName, w).is_none());
    }

    #[test]
    fn a_value_the_writer_already_holds_is_not_taken() {
        let f = Fetched {
            huma: vec![person(Some("h1"), "anna@x.se", "0701234567", "1001")],
            crona: vec![person(None, "ANNA@x.se", "0701234567", "1001")],
            ..Fetched::default()
        };
        let holders = Holders::of(&f);
        let w = first_pair(&f);
        for field in [Field::Email, Field::Phone, Field::EmploymentId] {
            assert!(holders.taken(System::Huma, field, w).is_none(), "{field:?}");
        }
    }

    #[test]
    fn two_crona_employees_with_one_phone_would_both_reach_huma() {
        let f = Fetched {
            huma: vec![person(Some("h1"), "anna@x.se", "", "1001")],
            crona: vec![
                person(None, "anna@x.se", "0701234567", "1001"),
                person(None, "bo@x.se", "070-123 45 67", "1002"),
            ],
            ..Fetched::default()
        };
        let holders = Holders::of(&f);
        let w = first_pair(&f);
        let holder = holders.taken(System::Huma, Field::Phone, w).unwrap();
        assert_eq!(describe(holder), "Crona employee Bo Ek (AnstNr 1002)");
    }
}
