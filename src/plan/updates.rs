//! The updates of a plan: every difference resolved (resolve.rs), the winning values gathered per
//! pair with the position values the preview sets, and one PATCH per pair and system that carries
//! only what its request really holds.

use super::{rows, skip, Current, Decisions, Operation, OperationKind, Skipped};
use crate::bank::{Issue, Mode};
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
                let sent = sent_fields(
                    &request,
                    System::Crona,
                    &w.to_crona,
                    w.person,
                    skipped,
                    not_sent(&mut self.resolutions, &w.resolution),
                );
                let mut fields: Vec<Written> = sent.iter().map(|&f| Written::Field(f)).collect();
                fields.extend(w.positions.iter().map(|&(d, _)| Written::Position(d)));
                if !fields.is_empty() {
                    let current = Current {
                        values: &c.values,
                        positions: &c.position_values,
                    };
                    let writes = rows(&request, &fields, Some(current), bank);
                    ops.push(Operation {
                        id: format!("crona:update:{anst_nr}"),
                        kind: OperationKind::UpdateCrona,
                        description: format!(
                            "Update {} in Crona (AnstNr {anst_nr}): {}",
                            w.person.name,
                            labels(&sent, &w.positions)
                        ),
                        request,
                        person: w.person.clone(),
                        fields,
                        then_fields: Vec::new(),
                        writes,
                        then_writes: Vec::new(),
                    });
                }
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
                let sent = sent_fields(
                    &request,
                    System::Huma,
                    &w.to_huma,
                    w.person,
                    skipped,
                    not_sent(&mut self.resolutions, &w.resolution),
                );
                if !sent.is_empty() {
                    let fields: Vec<Written> = sent.iter().map(|&f| Written::Field(f)).collect();
                    let current = Current {
                        values: &h.values,
                        positions: &PositionValues::default(),
                    };
                    let writes = rows(&request, &fields, Some(current), bank);
                    ops.push(Operation {
                        id: format!("huma:update:{huma_id}"),
                        kind: OperationKind::UpdateHuma,
                        description: format!(
                            "Update {} in Huma: {}",
                            w.person.name,
                            labels(&sent, &[])
                        ),
                        request,
                        person: w.person.clone(),
                        fields,
                        then_fields: Vec::new(),
                        writes,
                        then_writes: Vec::new(),
                    });
                }
            }
        }
        ops
    }
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

/// The fields a built request really carries: no write without a value, no count without a
/// write (DOMAIN.md §3.5). A field the adapter couldn't put into the body is left out, with the
/// reason.
fn sent_fields(
    request: &HttpRequest,
    system: System,
    fields: &[Field],
    person: &PersonRef,
    skipped: &mut Vec<Skipped>,
    mut not_sent: impl FnMut(Field, Issue),
) -> Vec<Field> {
    let body: serde_json::Map<String, serde_json::Value> = request
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or_default();
    let mut sent = Vec::new();
    for &field in fields {
        let m = field.mapping();
        let carried = match system {
            System::Huma => body.contains_key(m.huma),
            System::Crona => m.crona.iter().any(|k| body.contains_key(*k)),
        };
        if carried {
            sent.push(field);
        } else {
            let why = skip(
                None,
                person,
                "nothing_to_write",
                format!(
                    "{}'s {} has no value {} can take, so nothing is written for it.",
                    person.name,
                    m.phrase,
                    system.name()
                ),
            );
            not_sent(field, why.reason.clone());
            skipped.push(why);
        }
    }
    sent
}

/// Marks a field the request couldn't carry as not written, in its difference's resolution.
fn not_sent<'a>(
    resolutions: &'a mut [Resolution],
    index: &'a BTreeMap<Field, usize>,
) -> impl FnMut(Field, Issue) + 'a {
    |field, why| {
        if let Some(r) = index.get(&field).and_then(|&i| resolutions.get_mut(i)) {
            r.nothing_to_write(why);
        }
    }
}

/// The written fields and position values in words: "mobile phone, employment start".
fn labels(fields: &[Field], positions: &[(Derived, serde_json::Value)]) -> String {
    let mut names: Vec<&str> = fields.iter().map(|f| f.mapping().phrase).collect();
    names.extend(positions.iter().map(|(d, _)| d.mapping().phrase));
    names.join(", ")
}
