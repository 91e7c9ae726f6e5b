//! AnstDatum, AvgDatum, Slutat and Befattning from a person's Huma positions (DOMAIN.md §2).

use crate::config::Mode;
use crate::model::{Person, Position, PositionSource, PositionValues};
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

/// What is recorded (and so sent, where it differs from `recorded`) after a sync: the derived
/// values, except that AnstDatum and Befattning are never cleared (positions deleted in Huma don't
/// erase payroll history) and an unknown value of a partial source keeps the recorded one.
/// AvgDatum may be cleared: an open-ended re-hire ends the end date.
pub fn next_recorded(
    recorded: &PositionValues,
    derived: &PositionValues,
    partial: bool,
) -> PositionValues {
    let keep = |new: &Option<String>, old: &Option<String>, clearable: bool| match new {
        None if partial || !clearable => old.clone(),
        _ => new.clone(),
    };
    PositionValues {
        anst_datum: keep(&derived.anst_datum, &recorded.anst_datum, false),
        avg_datum: keep(&derived.avg_datum, &recorded.avg_datum, true),
        slutat: match derived.slutat {
            None => recorded.slutat,
            some => some,
        },
        befattning: keep(&derived.befattning, &recorded.befattning, false),
    }
}
