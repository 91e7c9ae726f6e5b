//! The "conflicts and missing values" screen (DOMAIN.md §1.2, §3): everything the administrator
//! decides from, built from the two complete registers.

mod huma_users;
mod one_side;
mod pairs;
mod unpaired;
mod will_set;

use crate::bank::Issue;
use crate::config::{Mode, SessionConfig};
use crate::diff::{self, Blocker, Difference, PersonRef};
use crate::fetch::Fetched;
use crate::matching::{self, Matching};
use crate::model::{Field, Person, PositionSource, System};
use crate::push;
use crate::state::{Baseline, Pair, SyncState};
use crate::unique::Holders;
use huma_users::Duplicates;
use serde::Serialize;

/// Totals for the screen's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Huma people in scope.
    pub huma: usize,
    /// Crona employees.
    pub crona: usize,
    /// Pairs.
    pub matched: usize,
    /// Differences to decide.
    pub differences: usize,
    /// Things that can't be written.
    pub blockers: usize,
    /// People only in Huma.
    pub only_in_huma: usize,
    /// People only in Crona.
    pub only_in_crona: usize,
}

/// A person on one side only, and whether they can be created on the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OneSide {
    /// Who.
    pub person: PersonRef,
    /// Can be created in the other system.
    pub creatable: bool,
    /// Why not, when not.
    pub reasons: Vec<Issue>,
    /// Fields a create leaves out because the target holds their value for someone else
    /// (a blocker says who).
    #[serde(skip)]
    pub withheld: Vec<Field>,
}

/// A position value that is part of the plan whatever is decided (Huma → Crona only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WillSet {
    /// Who.
    pub person: PersonRef,
    /// `anstDatum`, `avgDatum`, `slutat` or `befattning`.
    pub field: crate::model::Derived,
    /// The value to write (`null` clears).
    pub value: serde_json::Value,
    /// Where it comes from, in words.
    pub source: String,
    /// Which Huma source the positions were read from.
    pub origin: PositionSource,
}

/// The preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// Totals.
    pub counts: Counts,
    /// Per pair and field.
    pub differences: Vec<Difference>,
    /// What can't be written, and why.
    pub blockers: Vec<Blocker>,
    /// Facts worth knowing that block nothing (address line 3, international accounts).
    pub notices: Vec<Blocker>,
    /// People only in Huma (candidates to create in Crona).
    pub only_in_huma: Vec<OneSide>,
    /// People only in Crona (candidates to create in Huma).
    pub only_in_crona: Vec<OneSide>,
    /// Position values the plan will send.
    pub will_set: Vec<WillSet>,
    /// The pairs: what the next sync remembers.
    #[serde(skip)]
    pub pairs: Vec<Pair>,
}

/// Builds the preview from the two complete registers: pairs them, then lets each pass add what
/// it finds. The order of the passes is the order notices and position values are shown in, and
/// decides which of two blockers with one id is kept.
pub fn build(f: &Fetched, state: &SyncState, config: &SessionConfig) -> Preview {
    let m = pair_people(f, state, config);
    let dups = Duplicates::in_huma(&f.huma);
    let holders = Holders::of(f);
    let mut p = Preview::default();

    p.blockers.extend(huma_users::blockers(&f.huma, &dups));
    p.notices.extend(huma_users::notices(&f.huma, config.mode));
    p.notices.extend(unpaired::dropped_pair_notices(f, &m));
    p.blockers.extend(unpaired::ambiguity_blockers(f, &m));
    p.pairs = pair_keys(f, &m);
    if state.activated_at.is_none() {
        p.notices.push(will_set::first_sync_notice());
    }
    let (differences, blockers) = pairs::differences(f, &m, state, config, &dups, &holders);
    p.differences = differences;
    p.blockers.extend(blockers);
    p.will_set = will_set::for_pairs(f, &m, state, config);
    p.only_in_huma = one_side::only_in_huma(f, &m, &dups, &holders, config);
    let (only_in_crona, withheld) = one_side::only_in_crona(f, &m, &holders, config);
    p.only_in_crona = only_in_crona;
    p.blockers.extend(withheld);
    p.notices.extend(push::unread_notices(f));
    if config.mode == Mode::Push {
        push::keep_what_it_concerns(f, &mut p);
    }
    sort(&mut p);
    p.counts = counts(f, &m, &p);
    p
}

/// Pairs the two registers (remembered pairs first, then work e-mail). Called first: every other
/// pass works on its pairs and leftovers.
fn pair_people(f: &Fetched, state: &SyncState, config: &SessionConfig) -> Matching {
    // A push reads a few people: the Crona records other remembered pairs hold stay theirs.
    matching::pair(
        &f.huma,
        &f.crona,
        &state.remembered(config.options.baseline_key.as_ref()),
        config.mode == Mode::Push,
    )
}

/// The pairs with both records, as (Huma index, Huma user, Crona employee).
fn paired<'f>(
    f: &'f Fetched,
    m: &'f Matching,
) -> impl Iterator<Item = (usize, &'f Person, &'f Person)> {
    m.pairs
        .iter()
        .filter_map(|&(hi, ci, _)| Some((hi, f.huma.get(hi)?, f.crona.get(ci)?)))
}

/// What the last sync recorded for the pair of Huma user `h`, if anything.
fn baseline<'s>(state: &'s SyncState, h: &Person) -> Option<&'s Baseline> {
    h.huma_id.as_ref().and_then(|id| state.baseline.get(id))
}

/// The pairs as (Huma id, AnstNr): what the next sync remembers.
fn pair_keys(f: &Fetched, m: &Matching) -> Vec<Pair> {
    paired(f, m)
        .filter_map(|(_, h, c)| {
            Some(Pair {
                huma_id: h.huma_id.clone()?,
                anst_nr: c.values.employment_id.clone()?,
            })
        })
        .collect()
}

/// Puts the lists in a stable order (by person, then field or id) and drops a blocker found
/// twice. Called last but for the counts; notices and position values keep the order they were
/// found in.
fn sort(p: &mut Preview) {
    let by_person = |r: &PersonRef| (r.name.clone(), r.huma_id.clone(), r.anst_nr.clone());
    p.differences.sort_by(|a, b| {
        by_person(&a.person)
            .cmp(&by_person(&b.person))
            .then(a.field.cmp(&b.field))
    });
    p.blockers.sort_by(|a, b| a.id.cmp(&b.id));
    p.blockers.dedup_by(|a, b| a.id == b.id);
    p.only_in_huma.sort_by_key(|o| by_person(&o.person));
    p.only_in_crona.sort_by_key(|o| by_person(&o.person));
}

/// The header's totals, counted from the finished lists.
fn counts(f: &Fetched, m: &Matching, p: &Preview) -> Counts {
    Counts {
        huma: f.huma.len(),
        crona: f.crona.len(),
        matched: m.pairs.len(),
        differences: p.differences.len(),
        blockers: p.blockers.len(),
        only_in_huma: p.only_in_huma.len(),
        only_in_crona: p.only_in_crona.len(),
    }
}

/// A blocker (or notice) about one field of one person, with an id stable across runs.
fn field_blocker(
    who: &PersonRef,
    field: Field,
    system: System,
    code: &str,
    message: String,
) -> Blocker {
    Blocker {
        id: format!(
            "{}/{}/{}/{code}",
            who.huma_id.as_deref().unwrap_or(""),
            who.anst_nr.as_deref().unwrap_or(""),
            diff::field_key(field)
        ),
        person: Some(who.clone()),
        field: Some(field),
        system: Some(system),
        code: code.to_string(),
        message,
    }
}
