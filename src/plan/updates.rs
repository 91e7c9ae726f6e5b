//! The updates of a plan: every difference resolved (resolve.rs), the winning values gathered per
//! pair with the position values the preview sets, and one PATCH per pair and system that carries
//! only what its request really holds.

use super::{rows, skip, Current, Decisions, Operation, OperationKind, Skipped, WriteRow};
use crate::bank::Mode;
use crate::diff::{Choice, PersonRef};
use crate::fetch::Lookup;
use crate::model::{Derived, Field, PositionValues, System, Written};
use crate::preview::Preview;
use crate::request::HttpRequest;
use crate::resolve::{resolve, Resolution};
use crate::{crona, huma};
use std::collections::BTreeMap;

/// A pair: (Huma user id, AnstNr).
type PairKey<'a> = (&'a str, &'a str);

/// What one pair gets written.
struct PairWrites<'a> {
    person: &'a PersonRef,
    /// Huma wins: written to Crona.
    to_crona: Vec<Field>,
    /// Crona wins: written to Huma.
    to_huma: Vec<Field>,
    /// Each written field's resolution (its index in the plan's list).
    resolution: BTreeMap<Field, usize>,
    /// Position values sent to Crona (Huma → Crona only, whatever was decided).
    positions: Vec<(Derived, serde_json::Value)>,
}

/// The differences resolved, and what they write per pair.
pub(super) struct Updates<'p> {
    /// Per difference, in the preview's order.
    pub resolutions: Vec<Resolution>,
    /// Differences left as they are by choice.
    pub left: usize,
    writes: BTreeMap<PairKey<'p>, PairWrites<'p>>,
}

impl<'p> Updates<'p> {
    /// Resolves every difference of the preview under `d`, gathering the writes per pair; a
    /// difference left out for a reason goes to `skipped`.
    pub fn resolve(preview: &'p Preview, d: &Decisions, skipped: &mut Vec<Skipped>) -> Self {
        let mut u = Updates {
            resolutions: Vec::with_capacity(preview.differences.len()),
            left: 0,
            writes: BTreeMap::new(),
        };
        for diff in &preview.differences {
            let r = resolve(diff, d);
            let index = u.resolutions.len();
            let entry = u.pair(&diff.person);
            match (r.choice, &r.note) {
                (_, Some(why)) if r.left_out => skipped.push(Skipped {
                    difference_id: Some(diff.id.clone()),
                    person: diff.person.clone(),
                    reason: why.clone(),
                }),
                (Choice::Huma, _) => entry.won(diff.field, System::Crona, index),
                (Choice::Crona, _) => entry.won(diff.field, System::Huma, index),
                (Choice::Leave, _) => u.left += 1,
            }
            u.resolutions.push(r);
        }
        for w in &preview.will_set {
            u.pair(&w.person).positions.push((w.field, w.value.clone()));
        }
        u
    }

    fn pair(&mut self, person: &'p PersonRef) -> &mut PairWrites<'p> {
        let key = (
            person.huma_id.as_deref().unwrap_or_default(),
            person.anst_nr.as_deref().unwrap_or_default(),
        );
        self.writes.entry(key).or_insert_with(|| PairWrites {
            person,
            to_crona: Vec::new(),
            to_huma: Vec::new(),
            resolution: BTreeMap::new(),
            positions: Vec::new(),
        })
    }

    /// The update operations, per pair a PATCH to Crona and one to Huma. A field its request
    /// couldn't carry is left out: it goes to `skipped`, and its resolution says so.
    pub fn operations(
        &mut self,
        lookup: &Lookup<'_>,
        bank: Mode,
        skipped: &mut Vec<Skipped>,
    ) -> Vec<Operation> {
        let mut ops = Vec::new();
        for (&(huma_id, anst_nr), w) in &self.writes {
            let (Some(h), Some(c)) = (lookup.huma.get(huma_id), lookup.crona.get(anst_nr)) else {
                continue;
            };
            if !w.to_crona.is_empty() || !w.positions.is_empty() {
                let request = crona::update_employee(
                    format!("apply:crona:update:{anst_nr}"),
                    anst_nr,
                    &h.values,
                    &w.to_crona,
                    &w.positions,
                    &c.values,
                    bank,
                );
                let current = Current {
                    values: &c.values,
                    positions: &c.position_values,
                };
                let patch = carried(request, &w.to_crona, &w.positions, current, bank);
                let description = format!(
                    "Update {} in Crona (AnstNr {anst_nr}): {}",
                    w.person.name,
                    labels(&patch.sent, &w.positions)
                );
                let id = format!("crona:update:{anst_nr}");
                ops.extend(operation(
                    &mut self.resolutions,
                    w,
                    patch,
                    id,
                    OperationKind::UpdateCrona,
                    description,
                    skipped,
                ));
            }
            if !w.to_huma.is_empty() {
                let request = huma::update_user(
                    format!("apply:huma:update:{huma_id}"),
                    huma_id,
                    &c.values,
                    &w.to_huma,
                    h.address_line3.as_deref(),
                    bank,
                );
                let current = Current {
                    values: &h.values,
                    positions: &PositionValues::default(),
                };
                let patch = carried(request, &w.to_huma, &[], current, bank);
                let description = format!(
                    "Update {} in Huma: {}",
                    w.person.name,
                    labels(&patch.sent, &[])
                );
                let id = format!("huma:update:{huma_id}");
                ops.extend(operation(
                    &mut self.resolutions,
                    w,
                    patch,
                    id,
                    OperationKind::UpdateHuma,
                    description,
                    skipped,
                ));
            }
        }
        ops
    }
}

/// The operation a patch makes, if it writes anything. No write without a value, no count
/// without a write (DOMAIN.md §3.5): a won field the body doesn't carry is left out, with
/// the reason in `skipped` and in its difference's resolution.
fn operation(
    resolutions: &mut [Resolution],
    w: &PairWrites<'_>,
    patch: Patch,
    id: String,
    kind: OperationKind,
    description: String,
    skipped: &mut Vec<Skipped>,
) -> Option<Operation> {
    let system = patch.request.system;
    for &field in &patch.missed {
        let why = skip(
            None,
            w.person,
            "nothing_to_write",
            format!(
                "{}'s {} has no value {} can take, so nothing is written for it.",
                w.person.name,
                field.mapping().phrase,
                system.name()
            ),
        );
        if let Some(r) = w
            .resolution
            .get(&field)
            .and_then(|&i| resolutions.get_mut(i))
        {
            r.nothing_to_write(why.reason.clone());
        }
        skipped.push(why);
    }
    if patch.rows.is_empty() {
        return None;
    }
    Some(Operation {
        id,
        kind,
        description,
        request: patch.request,
        person: w.person.clone(),
        fields: patch.rows.iter().map(|r| r.field).collect(),
        then_fields: Vec::new(),
        writes: patch.rows,
        then_writes: Vec::new(),
    })
}

impl PairWrites<'_> {
    /// `field`'s winning value is written to `target`; `resolution` is its index in the plan's.
    fn won(&mut self, field: Field, target: System, resolution: usize) {
        match target {
            System::Crona => self.to_crona.push(field),
            System::Huma => self.to_huma.push(field),
        }
        self.resolution.insert(field, resolution);
    }
}

/// A built PATCH and what its body really carries: a row per field or position value in it,
/// and the won fields among them (`sent`); `missed` are won fields the adapter couldn't put
/// into the body.
struct Patch {
    request: HttpRequest,
    rows: Vec<WriteRow>,
    sent: Vec<Field>,
    missed: Vec<Field>,
}

/// Reads back what `request` carries of the fields it won and the position values it sends.
fn carried(
    request: HttpRequest,
    won: &[Field],
    positions: &[(Derived, serde_json::Value)],
    current: Current<'_>,
    bank: Mode,
) -> Patch {
    let candidates: Vec<Written> = won
        .iter()
        .map(|&f| Written::Field(f))
        .chain(positions.iter().map(|&(d, _)| Written::Position(d)))
        .collect();
    let rows = rows(&request, &candidates, Some(current), bank);
    let (sent, missed) = won
        .iter()
        .partition(|&&f| rows.iter().any(|r| r.field == Written::Field(f)));
    Patch {
        request,
        rows,
        sent,
        missed,
    }
}

/// The written fields and position values in words: "mobile phone, employment start".
fn labels(fields: &[Field], positions: &[(Derived, serde_json::Value)]) -> String {
    let mut names: Vec<&str> = fields.iter().map(|f| f.mapping().phrase).collect();
    names.extend(positions.iter().map(|(d, _)| d.mapping().phrase));
    names.join(", ")
}
