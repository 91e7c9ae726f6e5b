//! The position values the plan sends to Crona for pairs whatever is decided (DOMAIN.md §1.4).

use super::{baseline, paired, WillSet};
use crate::config::SessionConfig;
use crate::diff::{Blocker, PersonRef};
use crate::fetch::Fetched;
use crate::matching::Matching;
use crate::model::System;
use crate::positions;
use crate::state::SyncState;

/// The position values to send for every pair. Sent only when they changed since they were
/// recorded; a pair seen for the first time (activation, or a match made later) has them
/// recorded without sending (§1.4), so the first sync sends none.
pub(super) fn for_pairs(
    f: &Fetched,
    m: &Matching,
    state: &SyncState,
    config: &SessionConfig,
) -> Vec<WillSet> {
    let mut out = Vec::new();
    if state.activated_at.is_none() {
        return out;
    }
    let key = config.options.baseline_key.as_ref();
    for (_, h, c) in paired(f, m) {
        let recorded = baseline(state, h).and_then(|b| b.positions.as_ref());
        let (Some((derived, partial)), Some(recorded)) =
            (positions::known(h, config.today, config.mode), recorded)
        else {
            continue;
        };
        let who = PersonRef::of(Some(h), Some(c));
        for (field, value) in positions::next(key, recorded, &derived, partial).send {
            out.push(WillSet {
                person: who.clone(),
                field,
                value,
                source: format!(
                    "{}, changed since the last sync",
                    h.position_source.describe()
                ),
                origin: h.position_source,
            });
        }
    }
    out
}

/// Says that this first sync records the position values of people in both systems without
/// sending them. Shown only before the connection is active.
pub(super) fn first_sync_notice() -> Blocker {
    Blocker {
        id: "first_sync/positions".into(),
        person: None,
        field: None,
        system: Some(System::Huma),
        code: "positions_recorded_not_sent".into(),
        message: "This first sync activates the connection: the position values (employment start and end, job title) of people already in both systems are recorded but not sent. Later changes in Huma are sent; people created in Crona get theirs now.".into(),
    }
}
