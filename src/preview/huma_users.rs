//! What each Huma user's own record says, before any pairing: values Huma holds twice, position
//! data that can't be sent, and facts worth knowing.

use super::field_blocker;
use crate::config::Mode;
use crate::diff::{Blocker, PersonRef};
use crate::model::{Field, Person, PositionSource, System};
use crate::normalize;
use std::collections::{BTreeMap, BTreeSet};

/// Huma users who share a phone or an employment ID with another Huma user (DOMAIN.md §3.3), by
/// index. Found once; the blockers here, each pair's differences and the creates all use it.
pub(super) struct Duplicates {
    phone: BTreeSet<usize>,
    employment_id: BTreeSet<usize>,
}

impl Duplicates {
    /// Finds the shared phones (as numbers) and employment IDs among `huma`.
    pub(super) fn in_huma(huma: &[Person]) -> Self {
        Duplicates {
            phone: duplicates(huma, |h| {
                h.values.phone.as_deref().and_then(normalize::phone)
            }),
            employment_id: duplicates(huma, |h| {
                h.values.employment_id.as_deref().map(normalize::text)
            }),
        }
    }

    /// Whether Huma user `i` shares the value of `field` with another Huma user.
    pub(super) fn shares(&self, i: usize, field: Field) -> bool {
        match field {
            Field::Phone => self.phone.contains(&i),
            Field::EmploymentId => self.employment_id.contains(&i),
            _ => false,
        }
    }
}

/// Indexes of people whose key (when present) another person on the same side shares.
fn duplicates(people: &[Person], key: impl Fn(&Person) -> Option<String>) -> BTreeSet<usize> {
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in people.iter().enumerate() {
        if let Some(k) = key(p).filter(|k| !k.is_empty()) {
            by_key.entry(k).or_default().push(i);
        }
    }
    by_key
        .into_values()
        .filter(|v| v.len() > 1)
        .flatten()
        .collect()
}

/// What blocks writes for each Huma user, found in their record alone: shared values, position
/// dates that aren't dates, job titles with control characters.
pub(super) fn blockers(huma: &[Person], dups: &Duplicates) -> Vec<Blocker> {
    let mut out = Vec::new();
    for (i, h) in huma.iter().enumerate() {
        let who = PersonRef::of(Some(h), None);
        out.extend(duplicate_blockers(i, h, &who, dups));
        out.extend(invalid_position_dates(h, &who));
        out.extend(hidden_title_character(h, &who));
    }
    out
}

/// What is worth knowing about each Huma user and blocks nothing: where their positions came
/// from when the list couldn't be read, and an address line 3 that stays behind.
pub(super) fn notices(huma: &[Person], mode: Mode) -> Vec<Blocker> {
    let mut out = Vec::new();
    for h in huma {
        let who = PersonRef::of(Some(h), None);
        out.extend(source_notice(h, &who, mode));
        out.extend(address_line3_notice(h, &who));
    }
    out
}

/// A blocker for each of the phone and the employment ID that Huma user `i` shares with another.
fn duplicate_blockers(i: usize, h: &Person, who: &PersonRef, dups: &Duplicates) -> Vec<Blocker> {
    let mut out = Vec::new();
    if dups.shares(i, Field::Phone) {
        out.push(field_blocker(who, Field::Phone, System::Huma, "duplicate_phone",
            format!("{} shares the mobile phone {} with another Huma user; Huma requires phones to be unique.", who.name, h.values.phone.as_deref().unwrap_or(""))));
    }
    if dups.shares(i, Field::EmploymentId) {
        out.push(field_blocker(
            who,
            Field::EmploymentId,
            System::Huma,
            "duplicate_employment_id",
            format!(
                "{} shares the employment ID {} with another Huma user.",
                who.name,
                h.values.employment_id.as_deref().unwrap_or("")
            ),
        ));
    }
    out
}

/// A blocker for each position date that isn't one: it would reach AnstDatum or AvgDatum
/// (DOMAIN.md §3.3).
fn invalid_position_dates(h: &Person, who: &PersonRef) -> Vec<Blocker> {
    let mut out = Vec::new();
    for pos in &h.positions {
        for date in [&pos.start, &pos.end].into_iter().flatten() {
            if crate::dates::parse_ymd(date).is_none() {
                out.push(Blocker {
                    id: format!("{}//positions/invalid_date/{date}", h.huma_id.as_deref().unwrap_or("")),
                    person: Some(who.clone()),
                    field: None,
                    system: Some(System::Huma),
                    code: "invalid_date".into(),
                    message: format!(
                        "{} has a position dated {date:?}, which isn't a date (YYYY-MM-DD): no employment dates or title are sent to Crona for them until it is fixed in Huma.",
                        who.name
                    ),
                });
            }
        }
    }
    out
}

/// A blocker when a job title carries an invisible control character: that title would reach
/// Befattning.
fn hidden_title_character(h: &Person, who: &PersonRef) -> Option<Blocker> {
    let c = h
        .positions
        .iter()
        .filter_map(|pos| pos.title.as_deref())
        .find_map(normalize::hidden_control)?;
    Some(Blocker {
        id: format!("{}//positions/control_character", h.huma_id.as_deref().unwrap_or("")),
        person: Some(who.clone()),
        field: None,
        system: Some(System::Huma),
        code: "control_character".into(),
        message: format!(
            "A job title of {} contains the invisible control character U+{:04X}: that title is never sent to Crona (Befattning) until it is corrected in Huma.",
            who.name,
            u32::from(c)
        ),
    })
}

/// Says where the positions came from when the list couldn't be read.
fn source_notice(h: &Person, who: &PersonRef, mode: Mode) -> Option<Blocker> {
    let reason = h.positions_unreadable.as_deref()?;
    let then = match (h.position_source, mode) {
        (PositionSource::Unavailable, _) => {
            "Huma has no other source for them either: no employment dates or title are sent for them now.".to_string()
        }
        (source, Mode::Push) => format!(
            "{} would give them, but a push sends position values only from the full list: they wait for the next sync or push.",
            capitalised(source.describe())
        ),
        (PositionSource::CurrentPositions, Mode::Sync) => format!(
            "Only the job title is taken from {}, which lacks earlier positions; the employment dates wait until the list can be read.",
            PositionSource::CurrentPositions.describe()
        ),
        (source, Mode::Sync) => format!(
            "The employment dates and title come from {} instead (never clearing a value); check them before applying.",
            source.describe()
        ),
    };
    Some(Blocker {
        id: format!("{}//positions/source", h.huma_id.as_deref().unwrap_or("")),
        person: Some(who.clone()),
        field: None,
        system: Some(System::Huma),
        code: match h.position_source {
            PositionSource::CurrentPositions => "positions_from_current",
            PositionSource::FlatFields => "positions_from_flat_fields",
            _ => "positions_unavailable",
        }
        .into(),
        message: format!(
            "{}'s positions list couldn't be read ({reason}). {then}",
            who.name
        ),
    })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Says that an address line 3 has no place in Crona and is never copied.
fn address_line3_notice(h: &Person, who: &PersonRef) -> Option<Blocker> {
    let line3 = h.address_line3.as_ref()?;
    Some(field_blocker(
        who,
        Field::Address,
        System::Huma,
        "address_line3",
        format!(
            "{}'s address line 3 ({line3:?}) has no place in Crona and is never copied.",
            who.name
        ),
    ))
}
