//! What a push's preview reports about the Huma people it named, and what it leaves to a sync.

use crate::diff::{Blocker, PersonRef};
use crate::fetch::Fetched;
use crate::model::System;
use crate::normalize;
use crate::preview::Preview;
use std::collections::BTreeSet;

/// A notice for each Huma user a push named but didn't read: deleted in Huma, or outside this
/// connection. (A sync names nobody, so it has none.)
pub(crate) fn unread_notices(f: &Fetched) -> Vec<Blocker> {
    let gone = f.gone.iter().map(|id| unread(id, "(deleted in Huma)", "not_in_huma", format!("Huma has no user {id} any more (deleted since the event?): nothing is pushed, and nothing is deleted in Crona, where payroll history stays.")));
    let out_of_scope = f.out_of_scope.iter().map(|id| unread(id, "(outside this connection)", "not_in_scope", format!("Huma user {id} isn't in this connection's company, location or team: nothing is pushed for them here.")));
    gone.chain(out_of_scope).collect()
}

/// A notice about a Huma user a push named but didn't read.
fn unread(id: &str, name: &str, code: &str, message: String) -> Blocker {
    Blocker {
        id: format!("{id}//{code}"),
        person: Some(PersonRef {
            huma_id: Some(id.to_string()),
            name: name.into(),
            ..PersonRef::default()
        }),
        field: None,
        system: Some(System::Huma),
        code: code.into(),
        message,
    }
}

/// Drops the blockers and notices a push has no business with. Called for a push, once every
/// pass has run: blockers about Crona records no pushed person could pair with are another
/// sync's concern.
pub(crate) fn keep_what_it_concerns(f: &Fetched, p: &mut Preview) {
    let pushed: BTreeSet<&str> = p
        .pairs
        .iter()
        .map(|p| p.anst_nr.as_str())
        .chain(
            f.huma
                .iter()
                .filter_map(|h| h.values.employment_id.as_deref()),
        )
        .collect();
    let emails: BTreeSet<String> = f
        .huma
        .iter()
        .filter_map(|h| h.values.email.as_deref().map(normalize::email))
        .collect();
    let concerns_push = |b: &Blocker| {
        b.person.as_ref().is_none_or(|r| {
            r.huma_id.is_some()
                || r.anst_nr.as_deref().is_some_and(|a| pushed.contains(a))
                || r.email
                    .as_deref()
                    .is_some_and(|e| emails.contains(&normalize::email(e)))
        })
    };
    p.blockers.retain(concerns_push);
    p.notices.retain(concerns_push);
}
