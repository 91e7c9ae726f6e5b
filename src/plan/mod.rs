//! Decisions → the writes (DOMAIN.md §1.2, §3): ordered operations, each a concrete request, with
//! a hash so only the plan the administrator approved runs. Pure and cheap: call it on every click.

mod updates;
mod writes;

use crate::bank::Issue;
use crate::config::SessionConfig;
use crate::counted::counted;
use crate::create;
use crate::diff::{Choice, PersonRef};
use crate::error::{Error, Result};
use crate::fetch::Fetched;
use crate::model::{Field, Written};
use crate::preview::Preview;
use crate::request::HttpRequest;
use crate::resolve::Resolution;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use updates::Updates;
pub use writes::WriteRow;
pub(crate) use writes::{rows, Current};

/// Which one-side-only people to create: every creatable one, or these.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    /// Nobody.
    #[default]
    None,
    /// Every creatable person.
    All,
    /// These (Huma user ids, or AnstNr).
    Some(Vec<String>),
}

// A visitor rather than an untagged enum: serde's buffering of untagged values is a lot of
// module for two shapes.
impl<'de> Deserialize<'de> for Selection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Words;
        impl<'de> serde::de::Visitor<'de> for Words {
            type Value = Selection;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("\"all\" or a list of ids")
            }
            fn visit_str<E: serde::de::Error>(self, w: &str) -> std::result::Result<Selection, E> {
                match w {
                    "all" => Ok(Selection::All),
                    w => Err(E::custom(format!(
                        "expected \"all\" or a list of ids, got {w:?}"
                    ))),
                }
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Selection, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<String>()? {
                    ids.push(id);
                }
                Ok(Selection::Some(ids))
            }
        }
        d.deserialize_any(Words)
    }
}

/// What the administrator decided.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Decisions {
    /// Per difference id; wins over `field_defaults`.
    #[serde(default)]
    pub choices: BTreeMap<String, Choice>,
    /// A bulk choice per field. Never clears a value.
    #[serde(default)]
    pub field_defaults: BTreeMap<Field, Choice>,
    /// Take the suggestion where nothing else was chosen (default true).
    #[serde(default)]
    pub use_suggestions: Option<bool>,
    /// Huma user ids to create in Crona.
    #[serde(default)]
    pub create_in_crona: Selection,
    /// AnstNr to create in Huma.
    #[serde(default)]
    pub create_in_huma: Selection,
    /// Differences a rule left (push mode), with the reason the plan gives; never from JSON.
    #[serde(skip)]
    pub held: BTreeMap<String, Issue>,
}

impl Decisions {
    /// True when nothing was decided: no choice, default, creation or setting.
    pub fn is_empty(&self) -> bool {
        self.choices.is_empty()
            && self.field_defaults.is_empty()
            && self.use_suggestions.is_none()
            && self.create_in_crona == Selection::None
            && self.create_in_huma == Selection::None
    }
}

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OperationKind {
    /// PATCH a Crona employee with Huma's values.
    UpdateCrona,
    /// PATCH a Huma user with Crona's values.
    UpdateHuma,
    /// POST a Crona employee.
    CreateCrona,
    /// POST a Huma user, then PATCH the rest.
    CreateHuma,
}

/// One write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Stable within the plan.
    pub id: String,
    /// Update or create, where.
    pub kind: OperationKind,
    /// Who.
    pub person: PersonRef,
    /// What it writes.
    pub fields: Vec<Written>,
    /// In words.
    pub description: String,
    /// The request.
    pub request: HttpRequest,
    /// A Huma create: the fields the follow-up PATCH writes once Huma has given the id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub then_fields: Vec<Field>,
    /// The exact writes of `request`: one row per field, before → after.
    pub writes: Vec<WriteRow>,
    /// A Huma create: the rows of the follow-up PATCH (`then_fields` as that request carries them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub then_writes: Vec<WriteRow>,
}

impl Operation {
    /// Every field this operation writes, its follow-up's included.
    pub fn write_count(&self) -> usize {
        self.writes.len() + self.then_writes.len()
    }
}

/// A difference or person the plan leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    /// The difference, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference_id: Option<String>,
    /// Who.
    pub person: PersonRef,
    /// Why.
    pub reason: Issue,
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanCounts {
    /// Crona employees updated.
    pub update_crona: usize,
    /// Huma users updated.
    pub update_huma: usize,
    /// Crona employees created.
    pub create_crona: usize,
    /// Huma users created.
    pub create_huma: usize,
    /// Differences left as they are by choice.
    pub left: usize,
    /// Items left out for a reason.
    pub skipped: usize,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// Of the operations: `apply` runs only the plan with this hash.
    pub hash: String,
    /// In order.
    pub operations: Vec<Operation>,
    /// In words.
    pub summary: String,
    /// Totals.
    pub counts: PlanCounts,
    /// Left out, with the reason.
    pub skipped: Vec<Skipped>,
    /// Per difference, in the preview's order: what the plan does with it, and why.
    pub resolutions: Vec<Resolution>,
    /// Everything the preview blocks: never written, whatever was decided.
    pub blocked: Vec<crate::diff::Blocker>,
    /// The plan changes more people than the mass-change guard allows without approval.
    pub needs_mass_change_approval: bool,
    /// Why it needs approval, in words ("it writes 51 fields, more than 50"); empty when it doesn't.
    pub mass_change_reasons: Vec<String>,
    /// How bank accounts are read and written (a Huma create's follow-up is built in apply).
    #[serde(skip)]
    pub bank: crate::bank::Mode,
}

/// Reads decisions from JSON text.
pub fn decisions_from_json(text: &str) -> Result<Decisions> {
    serde_json::from_str(text).map_err(|e| Error::InvalidArgument {
        what: "decisions".into(),
        reason: e.to_string(),
    })
}

fn skip(
    difference_id: Option<String>,
    person: &PersonRef,
    code: &'static str,
    message: String,
) -> Skipped {
    Skipped {
        difference_id,
        person: person.clone(),
        reason: Issue { code, message },
    }
}

/// Builds the plan. Refuses decisions that name differences or people the preview doesn't have.
pub fn build(
    f: &Fetched,
    preview: &Preview,
    d: &Decisions,
    config: &SessionConfig,
) -> Result<Plan> {
    check_choices(preview, d)?;
    check_selection(
        &d.create_in_crona,
        preview
            .only_in_huma
            .iter()
            .filter_map(|o| o.person.huma_id.as_deref()),
        "createInCrona",
    )?;
    check_selection(
        &d.create_in_huma,
        preview
            .only_in_crona
            .iter()
            .filter_map(|o| o.person.anst_nr.as_deref()),
        "createInHuma",
    )?;
    let lookup = f.lookup();
    let bank = config.options.bank_mode();
    let mut skipped = Vec::new();
    let mut updates = Updates::resolve(preview, d, &mut skipped);
    let mut ops = updates.operations(&lookup, bank, &mut skipped);
    ops.extend(create::in_crona(
        preview,
        d,
        &lookup.huma,
        config,
        &mut skipped,
    ));
    ops.extend(create::in_huma(
        preview,
        d,
        &lookup.crona,
        config,
        &mut skipped,
    ));
    ops.sort_by(|a, b| (a.kind, &a.person.name, &a.id).cmp(&(b.kind, &b.person.name, &b.id)));
    let counts = PlanCounts::of(&ops, updates.left, skipped.len());
    let guard = MassChange::of(&ops, &counts, preview, config);
    Ok(Plan {
        hash: hash(&ops),
        summary: summary(&counts, &guard),
        operations: ops,
        counts,
        skipped,
        resolutions: updates.resolutions,
        blocked: preview.blockers.clone(),
        needs_mass_change_approval: guard.needs_approval(),
        mass_change_reasons: guard.reasons.clone(),
        bank,
    })
}

/// Refuses choices for differences this preview doesn't have (a stale page, say).
fn check_choices(preview: &Preview, d: &Decisions) -> Result<()> {
    let known: BTreeSet<&str> = preview.differences.iter().map(|x| x.id.as_str()).collect();
    match d.choices.keys().find(|id| !known.contains(id.as_str())) {
        Some(id) => Err(Error::InvalidArgument {
            what: "decisions".into(),
            reason: format!("choices names {id:?}, which isn't a difference in this preview (was the preview refreshed?)"),
        }),
        None => Ok(()),
    }
}

impl PlanCounts {
    /// The totals of these operations, and of what was left as it is (`left`) or out (`skipped`).
    fn of(ops: &[Operation], left: usize, skipped: usize) -> Self {
        let n = |kind| ops.iter().filter(|o| o.kind == kind).count();
        PlanCounts {
            update_crona: n(OperationKind::UpdateCrona),
            update_huma: n(OperationKind::UpdateHuma),
            create_crona: n(OperationKind::CreateCrona),
            create_huma: n(OperationKind::CreateHuma),
            left,
            skipped,
        }
    }
}

/// The mass-change guard (DOMAIN.md §3.5): many people changed at once, more created than the
/// set number, or more field writes than the set number, needs the administrator's approval.
struct MassChange {
    /// Why approval is needed, in words; empty when it isn't.
    reasons: Vec<String>,
}

impl MassChange {
    fn of(
        ops: &[Operation],
        counts: &PlanCounts,
        preview: &Preview,
        config: &SessionConfig,
    ) -> Self {
        let people = ops
            .iter()
            .map(|o| (&o.person.huma_id, &o.person.anst_nr))
            .collect::<BTreeSet<_>>()
            .len();
        let total = preview.counts.huma.max(preview.counts.crona).max(1);
        let creates = counts.create_crona + counts.create_huma;
        let writes: usize = ops.iter().map(Operation::write_count).sum();
        let o = &config.options;
        let min = o.mass_change_min as usize;
        let max_writes = o.mass_change_max_writes as usize;
        let mut reasons = Vec::new();
        let share = people as f64 / total as f64;
        if people >= min && share > o.mass_change_share {
            reasons.push(format!(
                "it changes {people} of {total} people, more than {} % of the register",
                percent(o.mass_change_share)
            ));
        }
        if creates > min {
            reasons.push(format!("it creates {creates} people, more than {min}"));
        }
        if writes > max_writes {
            reasons.push(format!("it writes {writes} fields, more than {max_writes}"));
        }
        MassChange { reasons }
    }

    fn needs_approval(&self) -> bool {
        !self.reasons.is_empty()
    }
}

/// A share as a whole percentage where it is one (0.2 → "20"), else with its decimals.
fn percent(share: f64) -> String {
    let p = share * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round())
    } else {
        format!("{p}")
    }
}

fn check_selection<'a>(
    sel: &Selection,
    known: impl Iterator<Item = &'a str>,
    what: &str,
) -> Result<()> {
    let Selection::Some(ids) = sel else {
        return Ok(());
    };
    let known: Vec<&str> = known.collect();
    match ids.iter().find(|id| !known.contains(&id.as_str())) {
        Some(id) => Err(Error::InvalidArgument {
            what: "decisions".into(),
            reason: format!(
                "{what} names {id:?}, who isn't among the people on one side only in this preview"
            ),
        }),
        None => Ok(()),
    }
}

fn summary(c: &PlanCounts, guard: &MassChange) -> String {
    let parts: Vec<String> = [
        (c.update_crona, "update", "employee", "employees", "Crona"),
        (c.update_huma, "update", "user", "users", "Huma"),
        (c.create_crona, "create", "employee", "employees", "Crona"),
        (c.create_huma, "create", "user", "users", "Huma"),
    ]
    .into_iter()
    .filter(|&(k, ..)| k > 0)
    .map(|(k, verb, one, many, system)| format!("{verb} {} in {system}", counted(k, one, many)))
    .collect();
    let mut text = if parts.is_empty() {
        "Nothing to write.".to_string()
    } else {
        let mut s = parts.join(", ");
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + s.get(1..).unwrap_or("");
        }
        format!("{s}.")
    };
    text.push_str(&format!(
        " {} left as {}.",
        counted(c.left, "difference is", "differences are"),
        if c.left == 1 { "it is" } else { "they are" }
    ));
    if c.skipped > 0 {
        text.push_str(&format!(
            " {} left out for a reason, each listed with it.",
            counted(c.skipped, "item is", "items are")
        ));
    }
    if guard.needs_approval() {
        text.push_str(&format!(
            " This needs your approval as a mass change: {}.",
            guard.reasons.join("; ")
        ));
    }
    text
}

/// FNV-1a (64-bit) of the operations' JSON: a fingerprint, not security (no secret is involved).
fn hash(ops: &[Operation]) -> String {
    let json = serde_json::to_string(ops).unwrap_or_default();
    let h = json.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{h:016x}")
}
