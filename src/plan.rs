//! Decisions → the writes (DOMAIN.md §1.2, §3): ordered operations, each a concrete request, with
//! a hash so only the plan the administrator approved runs. Pure and cheap: call it on every click.

use crate::bank::Issue;
use crate::config::SessionConfig;
use crate::diff::{Choice, PersonRef};
use crate::error::{Error, Result};
use crate::fetch::Fetched;
use crate::model::{Derived, Field, Person, System};
use crate::preview::{OneSide, Preview};
use crate::request::HttpRequest;
use crate::resolve::{resolve, Resolution};
use crate::{crona, huma, positions};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

impl<'de> Deserialize<'de> for Selection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Word(String),
            List(Vec<String>),
        }
        match Raw::deserialize(d)? {
            Raw::Word(w) if w == "all" => Ok(Selection::All),
            Raw::Word(w) => Err(serde::de::Error::custom(format!(
                "expected \"all\" or a list of ids, got {w:?}"
            ))),
            Raw::List(ids) => Ok(Selection::Some(ids)),
        }
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
    /// The fields written (mapped fields and position values).
    pub fields: Vec<String>,
    /// In words.
    pub description: String,
    /// The request.
    pub request: HttpRequest,
    /// A Huma create: the fields the follow-up PATCH writes once Huma has given the id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub then_fields: Vec<Field>,
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
    let known: BTreeMap<&str, &crate::diff::Difference> = preview
        .differences
        .iter()
        .map(|x| (x.id.as_str(), x))
        .collect();
    if let Some(id) = d.choices.keys().find(|id| !known.contains_key(id.as_str())) {
        return Err(Error::InvalidArgument {
            what: "decisions".into(),
            reason: format!("choices names {id:?}, which isn't a difference in this preview (was the preview refreshed?)"),
        });
    }
    let lookup = f.lookup();
    let (huma_by_id, crona_by_anst) = (&lookup.huma, &lookup.crona);
    let bank = config.options.bank_mode();
    let mut skipped = Vec::new();
    let mut left = 0;
    let mut resolutions = Vec::with_capacity(preview.differences.len());
    // Per pair: the fields Huma wins (to Crona) and Crona wins (to Huma), with their resolution.
    let mut writes: BTreeMap<PairKey, PairWrites> = BTreeMap::new();
    for diff in &preview.differences {
        let r = resolve(diff, d);
        let key = (
            diff.person.huma_id.as_deref().unwrap_or_default(),
            diff.person.anst_nr.as_deref().unwrap_or_default(),
        );
        let entry = writes
            .entry(key)
            .or_insert_with(|| PairWrites::new(&diff.person));
        match (r.choice, &r.note) {
            (_, Some(why)) if r.left_out => skipped.push(Skipped {
                difference_id: Some(diff.id.clone()),
                person: diff.person.clone(),
                reason: why.clone(),
            }),
            (Choice::Huma, _) => entry.won(diff.field, System::Crona, resolutions.len()),
            (Choice::Crona, _) => entry.won(diff.field, System::Huma, resolutions.len()),
            (Choice::Leave, _) => left += 1,
        }
        resolutions.push(r);
    }
    // Position values are part of the plan whatever is decided (Huma → Crona only).
    let mut position_writes: BTreeMap<PairKey, Vec<(Derived, serde_json::Value)>> = BTreeMap::new();
    for w in &preview.will_set {
        let key = (
            w.person.huma_id.as_deref().unwrap_or_default(),
            w.person.anst_nr.as_deref().unwrap_or_default(),
        );
        position_writes
            .entry(key)
            .or_default()
            .push((w.field, w.value.clone()));
        writes
            .entry(key)
            .or_insert_with(|| PairWrites::new(&w.person));
    }

    let mut ops = Vec::new();
    for (
        (huma_id, anst_nr),
        PairWrites {
            person,
            to_crona,
            to_huma,
            resolution,
        },
    ) in &writes
    {
        let (huma_id, anst_nr) = (*huma_id, *anst_nr);
        let (Some(h), Some(c)) = (huma_by_id.get(huma_id), crona_by_anst.get(anst_nr)) else {
            continue;
        };
        let pos = position_writes
            .get(&(huma_id, anst_nr))
            .cloned()
            .unwrap_or_default();
        if !to_crona.is_empty() || !pos.is_empty() {
            let request = crona::update_employee(
                format!("apply:crona:update:{anst_nr}"),
                anst_nr,
                &h.values,
                to_crona,
                &pos,
                &c.values,
                bank,
            );
            let sent = sent_fields(
                &request,
                System::Crona,
                to_crona,
                person,
                &mut skipped,
                not_sent(&mut resolutions, resolution),
            );
            let mut fields: Vec<String> = sent
                .iter()
                .map(|f| crate::diff::field_key(*f).to_string())
                .collect();
            fields.extend(pos.iter().map(|(d, _)| d.key().to_string()));
            if !fields.is_empty() {
                ops.push(Operation {
                    id: format!("crona:update:{anst_nr}"),
                    kind: OperationKind::UpdateCrona,
                    description: format!(
                        "Update {} in Crona (AnstNr {anst_nr}): {}",
                        person.name,
                        labels(&sent, &pos)
                    ),
                    request,
                    person: (*person).clone(),
                    fields,
                    then_fields: Vec::new(),
                });
            }
        }
        if !to_huma.is_empty() {
            let request = huma::update_user(
                format!("apply:huma:update:{huma_id}"),
                huma_id,
                &c.values,
                to_huma,
                h.address_line3.as_deref(),
                bank,
            );
            let sent = sent_fields(
                &request,
                System::Huma,
                to_huma,
                person,
                &mut skipped,
                not_sent(&mut resolutions, resolution),
            );
            if !sent.is_empty() {
                ops.push(Operation {
                    id: format!("huma:update:{huma_id}"),
                    kind: OperationKind::UpdateHuma,
                    description: format!("Update {} in Huma: {}", person.name, labels(&sent, &[])),
                    request,
                    person: (*person).clone(),
                    fields: sent
                        .iter()
                        .map(|f| crate::diff::field_key(*f).to_string())
                        .collect(),
                    then_fields: Vec::new(),
                });
            }
        }
    }

    // People to create.
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
    let to_crona = picked(
        &preview.only_in_huma,
        &d.create_in_crona,
        |p| p.huma_id.as_deref(),
        huma_by_id,
        System::Crona,
        &mut skipped,
    );
    for (o, h) in to_crona {
        let anst_nr = h.values.employment_id.clone().unwrap_or_default();
        // What the source can tell; unknown values are left out of the create.
        let derived = positions::known(h, config.today, config.mode).map(|(v, _)| v);
        let person = PersonRef {
            anst_nr: Some(anst_nr.clone()),
            ..o.person.clone()
        };
        // A value that can't be written (an unreadable phone, an invalid account…) is left out.
        let mut copied = Vec::new();
        for field in Field::ALL {
            match crate::values::of(field, &h.values, config.options.lenient_bank_accounts) {
                Some(_) if o.withheld.contains(&field) => {}
                Some(v) if v.problem.is_some() => {
                    let problem = v.problem.map(|p| p.message).unwrap_or_default();
                    let phrase = field.mapping().phrase;
                    skipped.push(skip(
                        None,
                        &person,
                        "not_copied",
                        format!(
                            "{}'s {phrase} is not copied to Crona: {problem}",
                            person.name
                        ),
                    ));
                }
                Some(_) => copied.push(field),
                None => {}
            }
        }
        ops.push(Operation {
            id: format!("crona:create:{anst_nr}"),
            kind: OperationKind::CreateCrona,
            description: format!("Create {} in Crona as AnstNr {anst_nr}, with the employment dates and job title from Huma", o.person.name),
            request: crona::create_employee(format!("apply:crona:create:{anst_nr}"), &anst_nr, &h.values, &copied, derived.as_ref(), bank),
            person,
            fields: vec!["all".into()],
            then_fields: Vec::new(),
        });
    }
    let groups: Vec<String> = config
        .scope
        .companies
        .iter()
        .chain(&config.scope.teams)
        .chain(&config.scope.locations)
        .cloned()
        .collect();
    let to_huma = picked(
        &preview.only_in_crona,
        &d.create_in_huma,
        |p| p.anst_nr.as_deref(),
        crona_by_anst,
        System::Huma,
        &mut skipped,
    );
    for (o, c) in to_huma {
        let anst = o.person.anst_nr.as_deref().unwrap_or_default();
        let then_fields: Vec<Field> = [
            Field::EmploymentId,
            Field::Address,
            Field::Phone,
            Field::BankAccount,
            Field::PrivateEmail,
        ]
        .into_iter()
        .filter(|f| {
            !o.withheld.contains(f)
                && crate::values::of(*f, &c.values, config.options.lenient_bank_accounts)
                    .is_some_and(|v| v.problem.is_none())
        })
        .collect();
        ops.push(Operation {
            id: format!("huma:create:{anst}"),
            kind: OperationKind::CreateHuma,
            description: format!("Create {} in Huma from Crona AnstNr {anst}", o.person.name),
            request: huma::create_user(format!("apply:huma:create:{anst}"), &c.values, &groups),
            person: o.person.clone(),
            fields: vec!["email".into(), "givenName".into(), "familyName".into()],
            then_fields,
        });
    }

    ops.sort_by(|a, b| (a.kind, &a.person.name, &a.id).cmp(&(b.kind, &b.person.name, &b.id)));
    let counts = PlanCounts {
        update_crona: ops
            .iter()
            .filter(|o| o.kind == OperationKind::UpdateCrona)
            .count(),
        update_huma: ops
            .iter()
            .filter(|o| o.kind == OperationKind::UpdateHuma)
            .count(),
        create_crona: ops
            .iter()
            .filter(|o| o.kind == OperationKind::CreateCrona)
            .count(),
        create_huma: ops
            .iter()
            .filter(|o| o.kind == OperationKind::CreateHuma)
            .count(),
        left,
        skipped: skipped.len(),
    };
    let people: std::collections::BTreeSet<String> = ops
        .iter()
        .map(|o| format!("{:?}/{:?}", o.person.huma_id, o.person.anst_nr))
        .collect();
    let total = preview.counts.huma.max(preview.counts.crona).max(1);
    let share = people.len() as f64 / total as f64;
    let creates = counts.create_crona + counts.create_huma;
    let min = config.options.mass_change_min as usize;
    // Many people changed at once, or more created than the set number (DOMAIN.md §3.5).
    let needs_mass_change_approval =
        (people.len() >= min && share > config.options.mass_change_share) || creates > min;
    Ok(Plan {
        hash: hash(&ops),
        summary: summary(&counts, people.len(), total, needs_mass_change_approval),
        operations: ops,
        counts,
        skipped,
        resolutions,
        blocked: preview.blockers.clone(),
        needs_mass_change_approval,
        bank,
    })
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

/// The one-side-only people the decisions pick who can be created, with their records;
/// someone named explicitly who can't be is left out with the reasons.
fn picked<'p, 'f>(
    list: &'p [OneSide],
    selection: &Selection,
    key: fn(&PersonRef) -> Option<&str>,
    records: &crate::fetch::Index<'f>,
    target: System,
    skipped: &mut Vec<Skipped>,
) -> Vec<(&'p OneSide, &'f Person)> {
    let mut out = Vec::new();
    for o in list {
        let Some(id) = key(&o.person) else { continue };
        let named = match selection {
            Selection::None => false,
            Selection::All => true,
            Selection::Some(ids) => ids.iter().any(|i| i == id),
        };
        match records.get(id).filter(|_| named && o.creatable) {
            Some(record) => out.push((o, record)),
            None if named && matches!(selection, Selection::Some(_)) => skipped.push(skip(
                None,
                &o.person,
                "not_creatable",
                format!(
                    "{} can't be created in {}: {}",
                    o.person.name,
                    target.name(),
                    reasons(&o.reasons)
                ),
            )),
            None => {}
        }
    }
    out
}

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
}

impl<'a> PairWrites<'a> {
    fn new(person: &'a PersonRef) -> Self {
        PairWrites {
            person,
            to_crona: Vec::new(),
            to_huma: Vec::new(),
            resolution: BTreeMap::new(),
        }
    }

    /// `field`'s winning value is written to `target`; `resolution` is its index in the plan's.
    fn won(&mut self, field: Field, target: System, resolution: usize) {
        match target {
            System::Crona => self.to_crona.push(field),
            System::Huma => self.to_huma.push(field),
        }
        self.resolution.insert(field, resolution);
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

fn labels(fields: &[Field], positions: &[(Derived, serde_json::Value)]) -> String {
    let mut names: Vec<&str> = fields.iter().map(|f| f.mapping().phrase).collect();
    names.extend(positions.iter().map(|(d, _)| d.mapping().phrase));
    names.join(", ")
}

fn reasons(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| i.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn summary(c: &PlanCounts, people: usize, total: usize, mass: bool) -> String {
    let n = |k: usize, one: &str, many: &str| {
        if k == 1 {
            format!("1 {one}")
        } else {
            format!("{k} {many}")
        }
    };
    let mut parts = Vec::new();
    if c.update_crona > 0 {
        parts.push(format!(
            "update {} in Crona",
            n(c.update_crona, "employee", "employees")
        ));
    }
    if c.update_huma > 0 {
        parts.push(format!(
            "update {} in Huma",
            n(c.update_huma, "user", "users")
        ));
    }
    if c.create_crona > 0 {
        parts.push(format!(
            "create {} in Crona",
            n(c.create_crona, "employee", "employees")
        ));
    }
    if c.create_huma > 0 {
        parts.push(format!(
            "create {} in Huma",
            n(c.create_huma, "user", "users")
        ));
    }
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
        n(c.left, "difference is", "differences are"),
        if c.left == 1 { "it is" } else { "they are" }
    ));
    if c.skipped > 0 {
        text.push_str(&format!(
            " {} left out for a reason (see the list).",
            n(c.skipped, "item is", "items are")
        ));
    }
    if mass {
        text.push_str(&format!(
            " This changes {people} of {total} people: it needs your approval as a mass change."
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
