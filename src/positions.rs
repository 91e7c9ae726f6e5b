//! AnstDatum, AvgDatum, Slutat and Befattning from a person's Huma positions (DOMAIN.md §2).

use crate::model::{Position, PositionValues};
use chrono::NaiveDate;

/// The position values Crona should hold, as of `today`; `None` when a position carries a date
/// that isn't one, because then the end of employment can't be told (it is a blocker instead).
pub fn derive(positions: &[Position], today: NaiveDate) -> Option<PositionValues> {
    let date = |s: &Option<String>| -> Option<Option<NaiveDate>> {
        match s {
            None => Some(None),
            Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().map(Some),
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
    let title = |p: &Position| p.title.clone();
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
