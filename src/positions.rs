//! AnstDatum, AvgDatum, Slutat and Befattning from a person's Huma positions (DOMAIN.md §2),
//! and which of them are sent: those that changed since they were recorded (§1.4).

use crate::config::Mode;
use crate::fingerprint::{self, BaselineKey, Tag};
use crate::model::{Derived, Person, Position, PositionSource, PositionValues};
use chrono::NaiveDate;

/// The position values Crona should hold, as of `today`; `None` when a position carries a date
/// that isn't one, because then the end of employment can't be told (it is a blocker instead).
pub fn derive(positions: &[Position], today: NaiveDate) -> Option<PositionValues> {
    let date = |s: &Option<String>| -> Option<Option<NaiveDate>> {
        match s {
            None => Some(None),
            Some(d) => crate::dates::parse_ymd(d).map(Some),
        }
    };
    let mut dated = Vec::new();
    for p in positions {
        let (start, end) = (date(&p.start)?, date(&p.end)?);
        // Positions without a start date are ignored (DOMAIN.md §2).
        if let Some(start) = start {
            dated.push((p, start, end));
        }
    }
    let anst_datum = dated.iter().map(|(_, s, _)| *s).min();
    // Every position ended: the latest end; any open-ended one: still employed.
    let avg_datum = if dated.is_empty() || dated.iter().any(|(_, _, e)| e.is_none()) {
        None
    } else {
        dated.iter().filter_map(|(_, _, e)| *e).max()
    };
    // A title with a control character is never sent (a blocker says so): no title, not a bad one.
    let title = |p: &Position| {
        p.title
            .clone()
            .filter(|t| crate::normalize::hidden_control(t).is_none())
    };
    let current = dated
        .iter()
        .filter(|(_, s, e)| *s <= today && e.is_none_or(|e| e >= today))
        .max_by_key(|(_, s, _)| *s);
    let upcoming = dated
        .iter()
        .filter(|(_, s, _)| *s > today)
        .min_by_key(|(_, s, _)| *s);
    let ended = dated
        .iter()
        .filter(|(_, _, e)| e.is_some_and(|e| e < today))
        .max_by_key(|(_, _, e)| *e);
    let befattning = current
        .or(upcoming)
        .or(ended)
        .and_then(|(p, _, _)| title(p));
    Some(PositionValues {
        anst_datum: anst_datum.map(|d| d.to_string()),
        avg_datum: avg_datum.map(|d| d.to_string()),
        slutat: Some(avg_datum.is_some_and(|end| end < today)),
        befattning,
    })
}

/// The position values a person's source can tell, and whether they are partial: the list tells
/// everything; `currentPositions` lacks earlier positions, so only the title is trusted; the
/// deprecated flat fields tell what they hold. In a partial result `None` means "unknown", never
/// "empty". `None` overall when nothing can be told (no source, a broken date), or when an
/// unattended push would have to trust a fallback.
pub fn known(person: &Person, today: NaiveDate, mode: Mode) -> Option<(PositionValues, bool)> {
    let v = derive(&person.positions, today)?;
    match (person.position_source, mode) {
        (PositionSource::List, _) => Some((v, false)),
        (PositionSource::Unavailable, _) | (_, Mode::Push) => None,
        (PositionSource::CurrentPositions, Mode::Sync) => Some((
            PositionValues {
                befattning: v.befattning,
                ..PositionValues::default()
            },
            true,
        )),
        (PositionSource::FlatFields, Mode::Sync) => Some((
            PositionValues {
                slutat: v.avg_datum.as_ref().and(v.slutat),
                ..v
            },
            true,
        )),
    }
}

/// A pair's position values after a sync, from what was recorded and what is derived now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    /// What is recorded from now on: derived values, and recorded ones kept as they were.
    pub recorded: PositionValues,
    /// What is sent to Crona, by name, in Crona's order: the derived values that aren't the
    /// recorded ones. Only ever Huma's values: a value kept from the baseline is never sent.
    pub send: Vec<(Derived, serde_json::Value)>,
}

/// What is recorded, and sent where it differs from `recorded`, after a sync: the derived
/// values, except that AnstDatum and Befattning are never cleared (positions deleted in Huma don't
/// erase payroll history) and an unknown value of a partial source keeps the recorded one.
/// AvgDatum may be cleared: an open-ended re-hire ends the end date.
///
/// "Differs" is told by equality alone, of fingerprints where the baseline holds them. One that
/// can't be checked (no key, or another one) counts as changed: the derived value is sent again,
/// as a push sends any change, which is harmless. A clear never comes from a fingerprint: only
/// from an empty derived end date where a date was recorded, which a fingerprint doesn't hide.
pub fn next(
    key: Option<&BaselineKey>,
    recorded: &PositionValues,
    derived: &PositionValues,
    partial: bool,
) -> Next {
    // One date or title: an unknown keeps the recorded one, unsent, where `keep_unknown`;
    // otherwise the derived one, sent unless it is the recorded one.
    let value = |name, derived: &Option<String>, recorded: &Option<String>, keep_unknown| {
        if derived.is_none() && keep_unknown {
            return (recorded.clone(), None);
        }
        let same = match (derived, recorded) {
            (Some(d), Some(r)) => fingerprint::agrees(key, Tag::Position(name), d, r) == Some(true),
            (d, r) => d.is_none() && r.is_none(),
        };
        let send = (!same).then(|| (name, derived.clone().into()));
        (derived.clone(), send)
    };
    let (anst_datum, sent_start) = value(
        Derived::AnstDatum,
        &derived.anst_datum,
        &recorded.anst_datum,
        true,
    );
    let (avg_datum, sent_end) = value(
        Derived::AvgDatum,
        &derived.avg_datum,
        &recorded.avg_datum,
        partial,
    );
    let slutat = derived.slutat.or(recorded.slutat);
    let sent_slutat = (slutat != recorded.slutat).then(|| (Derived::Slutat, slutat.into()));
    let (befattning, sent_title) = value(
        Derived::Befattning,
        &derived.befattning,
        &recorded.befattning,
        true,
    );
    Next {
        recorded: PositionValues {
            anst_datum,
            avg_datum,
            slutat,
            befattning,
        },
        send: [sent_start, sent_end, sent_slutat, sent_title]
            .into_iter()
            .flatten()
            .collect(),
    }
}

/// The position values as the baseline keeps them under `key`: each date and the title becomes
/// its fingerprint (tagged `position.anstDatum`…), a fingerprint stays as it is, and without a key
/// nothing changes. Slutat stays a bool: a keyed hash of a two-valued flag hides nothing (every
/// `true` has the same fingerprint), and a plain flag keeps the end of employment comparable
/// whatever the key.
pub fn kept(key: Option<&BaselineKey>, recorded: &PositionValues) -> PositionValues {
    let kept = |name, v: &Option<String>| {
        v.as_deref()
            .map(|v| fingerprint::kept(key, Tag::Position(name), v))
    };
    PositionValues {
        anst_datum: kept(Derived::AnstDatum, &recorded.anst_datum),
        avg_datum: kept(Derived::AvgDatum, &recorded.avg_datum),
        slutat: recorded.slutat,
        befattning: kept(Derived::Befattning, &recorded.befattning),
    }
}
