//! What a push's next state keeps: a push reads a few people, so every pair and baseline it
//! didn't read stays as the last sync left it.

use crate::fetch::Fetched;
use crate::fingerprint::{self, BaselineKey};
use crate::positions;
use crate::state::{Pair, SyncState};
use std::collections::BTreeSet;

/// A push reads a few people: every pair and baseline it didn't read stays as it was.
pub(crate) fn keep_the_others(
    next: &mut SyncState,
    old: &SyncState,
    fetched: &Fetched,
    key: Option<&BaselineKey>,
) {
    let read: BTreeSet<&str> = fetched
        .huma
        .iter()
        .filter_map(|h| h.huma_id.as_deref())
        .collect();
    let paired: BTreeSet<&str> = next.pairs.iter().map(|p| p.anst_nr.as_str()).collect();
    let kept: Vec<Pair> = old
        .pairs
        .iter()
        .filter(|p| !read.contains(p.huma_id.as_str()) && !paired.contains(p.anst_nr.as_str()))
        .cloned()
        .collect();
    for p in &kept {
        if let Some(b) = old.baseline.get(&p.huma_id) {
            let mut b = b.clone();
            for (field, v) in b.fields.iter_mut() {
                *v = fingerprint::kept(key, *field, v);
            }
            b.positions = b.positions.map(|p| positions::kept(key, &p));
            next.baseline.insert(p.huma_id.clone(), b);
        }
    }
    next.pairs.extend(kept);
    next.pairs
        .sort_by(|a, b| (&a.huma_id, &a.anst_nr).cmp(&(&b.huma_id, &b.anst_nr)));
}
