//! The differences between a matched pair (DOMAIN.md §3.2): conflicts and missing values per
//! field, which side changed since the baseline, what the administrator may choose, and what is
//! suggested. Never suggests clearing a filled value.

use crate::bank::Issue;
use crate::model::{Field, Person, System};
use crate::values::{self, FieldValue};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which side wins a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    /// Huma's value is written to Crona.
    Huma,
    /// Crona's value is written to Huma.
    Crona,
    /// Nothing is written.
    Leave,
}

/// Conflict or missing value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// Both sides have a value and they differ.
    Conflict,
    /// Huma is empty.
    MissingInHuma,
    /// Crona is empty.
    MissingInCrona,
}

/// Which side changed since the last sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Changed {
    /// Only Huma.
    Huma,
    /// Only Crona.
    Crona,
    /// Both: a true conflict.
    Both,
}

/// Who a difference or blocker is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PersonRef {
    /// Huma user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub huma_id: Option<String>,
    /// Crona AnstNr.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anst_nr: Option<String>,
    /// Work e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// "Given Family".
    pub name: String,
}

impl PersonRef {
    /// From one or both sides; Huma's values first.
    pub fn of(huma: Option<&Person>, crona: Option<&Person>) -> Self {
        let pick = |f: fn(&Person) -> Option<&String>| {
            huma.and_then(f).or_else(|| crona.and_then(f)).cloned()
        };
        let given = pick(|p| p.values.given_name.as_ref()).unwrap_or_default();
        let family = pick(|p| p.values.family_name.as_ref()).unwrap_or_default();
        let name = format!("{given} {family}").trim().to_string();
        PersonRef {
            huma_id: huma.and_then(|p| p.huma_id.clone()),
            anst_nr: crona.and_then(|p| p.values.employment_id.clone()),
            email: pick(|p| p.values.email.as_ref()),
            name: if name.is_empty() {
                "(no name)".into()
            } else {
                name
            },
        }
    }
}

/// The baseline value of a field, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaselineValue {
    /// Normal form after the last sync ("" = empty).
    pub normalized: String,
}

/// One difference the administrator decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// Stable: the same pair and field give the same id in every sync.
    pub id: String,
    /// Who.
    pub person: PersonRef,
    /// Which field.
    pub field: Field,
    /// Conflict or missing value.
    pub kind: Kind,
    /// Huma's value, or null when empty.
    pub huma: Option<FieldValue>,
    /// Crona's value, or null when empty.
    pub crona: Option<FieldValue>,
    /// The value both had after the last sync.
    pub baseline: Option<BaselineValue>,
    /// Which side changed since then.
    pub changed_since: Option<Changed>,
    /// The choices that can be carried out.
    pub allowed: Vec<Choice>,
    /// What crona-sync suggests, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Choice>,
    /// The difference in one sentence, for people.
    pub message: String,
    /// Why a choice is missing, what a choice would do, what differs.
    pub notes: Vec<Issue>,
    /// Why each choice not allowed isn't, in words (also in a note or blocker where one says so).
    #[serde(skip)]
    pub refused: Vec<(Choice, String)>,
}

/// A reason something can't be written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Blocker {
    /// Stable id.
    pub id: String,
    /// Who, when it concerns one person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonRef>,
    /// Which field, when it concerns one field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
    /// Which system's value or rule blocks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<crate::model::System>,
    /// Stable code.
    pub code: String,
    /// In words.
    pub message: String,
}

fn note(code: &'static str, message: String) -> Issue {
    Issue { code, message }
}

/// The differences and field blockers of one pair. `baseline` holds what the pair agreed on
/// after the last sync, if there was one: normal forms, or fingerprints under `baseline_key`.
pub fn pair(
    huma: &Person,
    crona: &Person,
    baseline: Option<&BTreeMap<Field, String>>,
    baseline_key: Option<&crate::fingerprint::BaselineKey>,
    lenient_bank: bool,
) -> (Vec<Difference>, Vec<Blocker>) {
    // Most pairs hold the same text in every field: nothing to build for them.
    let fields = maybe_different(huma, crona);
    if fields.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let subject = Subject::of(huma, crona);
    let mut differences = Vec::new();
    let mut blockers = Vec::new();
    for field in fields {
        let Some(compared) = compare(field, huma, crona, lenient_bank) else {
            continue;
        };
        let mut notes = Vec::new();
        let mut refused = Vec::new();
        let refusal = why_huma_cannot_win(&compared, &subject);
        if let Some(why) = refused_because(refusal, &compared, &mut notes, &mut blockers) {
            refused.push((Choice::Huma, why));
        }
        let refusal = why_crona_cannot_win(&compared, huma, &subject);
        if let Some(why) = refused_because(refusal, &compared, &mut notes, &mut blockers) {
            refused.push((Choice::Crona, why));
        }
        let allowed = allowed_choices(&refused);
        notes.extend(notes_on(&compared, huma, &allowed));
        let (baseline_value, changed) = since_baseline(&compared, baseline, baseline_key);
        let suggestion = suggest(&compared, changed, &allowed);
        differences.push(Difference {
            message: describe(&subject.who.name, &compared, changed),
            id: subject.id(field),
            person: subject.who.clone(),
            field,
            kind: compared.kind,
            huma: compared.huma,
            crona: compared.crona,
            baseline: baseline_value,
            changed_since: changed,
            allowed,
            suggestion,
            notes,
            refused,
        });
    }
    (differences, blockers)
}

/// The fields whose text differs between the two sides, before any normalisation. Called first:
/// only these are worth reading as values.
fn maybe_different(huma: &Person, crona: &Person) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|f| !values::same_raw(*f, &huma.values, &crona.values))
        .collect()
}

/// Who one pair's differences and blockers are about, and the start of their stable ids.
struct Subject {
    who: PersonRef,
    /// "Huma id/AnstNr": the same pair gives the same ids in every sync.
    key: String,
}

impl Subject {
    fn of(huma: &Person, crona: &Person) -> Self {
        let who = PersonRef::of(Some(huma), Some(crona));
        let key = format!(
            "{}/{}",
            who.huma_id.as_deref().unwrap_or(""),
            who.anst_nr.as_deref().unwrap_or("")
        );
        Subject { who, key }
    }

    /// The id of the pair's difference on `field`; a blocker's id adds its code.
    fn id(&self, field: Field) -> String {
        format!("{}/{}", self.key, field_key(field))
    }

    /// A blocker on `field` of this pair, raised by `system`'s value or rule.
    fn blocker(&self, field: Field, code: &str, system: System, message: String) -> Blocker {
        Blocker {
            id: format!("{}/{code}", self.id(field)),
            person: Some(self.who.clone()),
            field: Some(field),
            system: Some(system),
            code: code.to_string(),
            message,
        }
    }
}

/// One field of a pair, read on both sides, whose values differ after normalisation.
struct Compared {
    field: Field,
    kind: Kind,
    huma: Option<FieldValue>,
    crona: Option<FieldValue>,
}

impl Compared {
    /// Whether choosing `choice` empties a filled value: see [`would_clear`].
    fn clears(&self, choice: Choice) -> bool {
        would_clear(self.field, self.kind, choice, &self.huma, &self.crona)
    }
}

/// Reads `field` on both sides and tells a conflict from a missing value. Called for each field
/// that may differ; `None` when both are empty or the same after normalisation.
fn compare(field: Field, huma: &Person, crona: &Person, lenient_bank: bool) -> Option<Compared> {
    let h = values::of(field, &huma.values, lenient_bank);
    let c = values::of(field, &crona.values, lenient_bank);
    let kind = match (&h, &c) {
        (None, None) => return None,
        (Some(a), Some(b)) if a.normalized == b.normalized => return None,
        (Some(_), Some(_)) => Kind::Conflict,
        (None, Some(_)) => Kind::MissingInHuma,
        (Some(_), None) => Kind::MissingInCrona,
    };
    Some(Compared {
        field,
        kind,
        huma: h,
        crona: c,
    })
}

/// Why a side can't win a difference, and where the preview says so.
enum Refusal {
    /// In a note on the difference.
    Noted(Issue),
    /// In a blocker on the field.
    Blocked(Blocker),
    /// Nowhere: the choice would empty a field the other side can't have empty.
    Silent,
}

/// Why Huma can't win the difference (Huma's value, or its emptiness, written to Crona), or
/// `None` when it can. Called for every difference, before Crona's side.
fn why_huma_cannot_win(compared: &Compared, subject: &Subject) -> Option<Refusal> {
    if compared.field == Field::EmploymentId {
        return Some(Refusal::Noted(note(
            "anstnr_immutable",
            "AnstNr can't be changed in Crona from Huma; only Huma can be updated.".into(),
        )));
    }
    if let Some(problem) = compared.huma.as_ref().and_then(|v| v.problem.as_ref()) {
        return Some(cannot_copy(compared.field, System::Huma, problem, subject));
    }
    // An empty Huma value would clear Crona's; never for a required field.
    empties_required(compared.field, &compared.huma)
}

/// Why Crona can't win the difference (Crona's value, or its emptiness, written to Huma), or
/// `None` when it can. Called for every difference, after Huma's side: what locks Huma's
/// profile is said before what is wrong with Crona's value.
fn why_crona_cannot_win(compared: &Compared, huma: &Person, subject: &Subject) -> Option<Refusal> {
    let field = compared.field;
    let name = &subject.who.name;
    let phrase = field.mapping().phrase;
    let block = |code, message| {
        Some(Refusal::Blocked(subject.blocker(
            field,
            code,
            System::Huma,
            message,
        )))
    };
    if !huma.active {
        return block("deactivated", format!("{name} is deactivated in Huma, which locks the profile: Crona's {phrase} can't be written there."));
    }
    if huma.locked.contains(&field) {
        return block("not_editable", format!("Huma marks {name}'s {phrase} as not editable (an integration controls it): Crona's value can't be written there."));
    }
    if let Some(ch) = (field == Field::Address)
        .then_some(huma.address_line3.as_deref())
        .flatten()
        .and_then(crate::normalize::hidden_control)
    {
        // Huma's own line 3 goes back with any address written there.
        return block("control_character", format!("{name}'s address line 3 in Huma contains the invisible control character U+{:04X}: no address is written to Huma until it is corrected there.", u32::from(ch)));
    }
    if let Some(problem) = compared.crona.as_ref().and_then(|v| v.problem.as_ref()) {
        return Some(cannot_copy(field, System::Crona, problem, subject));
    }
    if compared.crona.is_none() && field == Field::BankAccount {
        // Huma's API takes a bank account only with a number: it can't be emptied from here.
        return Some(Refusal::Silent);
    }
    empties_required(field, &compared.crona)
}

/// The blocker for a value of `from` that can't be copied to the other system: its problem
/// says why. Called by either side's check.
fn cannot_copy(field: Field, from: System, problem: &Issue, subject: &Subject) -> Refusal {
    let to = match from {
        System::Huma => System::Crona,
        System::Crona => System::Huma,
    };
    let message = format!(
        "{}'s {} in {} can't be copied to {}: {}",
        subject.who.name,
        field.mapping().phrase,
        from.name(),
        to.name(),
        problem.message
    );
    Refusal::Blocked(subject.blocker(field, problem.code, from, message))
}

/// A silent refusal when the winning side's value is empty and the field is required: a person
/// can't exist without it. Called last by either side's check.
fn empties_required(field: Field, winning: &Option<FieldValue>) -> Option<Refusal> {
    (winning.is_none() && field.mapping().required).then_some(Refusal::Silent)
}

/// Why a choice is not offered, or `None` when it is. The refusal goes where the preview shows
/// it: a note on the difference, or a blocker on the field; a silent one is said only here.
fn refused_because(
    refusal: Option<Refusal>,
    compared: &Compared,
    notes: &mut Vec<Issue>,
    blockers: &mut Vec<Blocker>,
) -> Option<String> {
    Some(match refusal? {
        Refusal::Noted(issue) => {
            let why = issue.message.clone();
            notes.push(issue);
            why
        }
        Refusal::Blocked(blocker) => {
            let why = blocker.message.clone();
            blockers.push(blocker);
            why
        }
        Refusal::Silent if compared.field == Field::BankAccount => {
            "Huma takes a salary account only with a number: it can't be emptied from here.".into()
        }
        Refusal::Silent => format!(
            "The {} is required: it can't be emptied.",
            compared.field.mapping().phrase
        ),
    })
}

/// The choices offered, in the order the preview lists them; leaving is always possible.
fn allowed_choices(refused: &[(Choice, String)]) -> Vec<Choice> {
    [Choice::Huma, Choice::Crona, Choice::Leave]
        .into_iter()
        .filter(|c| !refused.iter().any(|(r, _)| r == c))
        .collect()
}

/// The notes of a difference besides why a choice is missing, in the order the preview shows
/// them: a missing value's clearing warning first; an address conflict's after the parts it
/// concerns. Called once the allowed choices are known.
fn notes_on(compared: &Compared, huma: &Person, allowed: &[Choice]) -> Vec<Issue> {
    let clearing = allowed.iter().filter_map(|c| clearing_note(compared, *c));
    let facts = field_notes(compared, huma);
    if compared.kind == Kind::Conflict {
        facts.into_iter().chain(clearing).collect()
    } else {
        clearing.chain(facts).collect()
    }
}

/// The warning that an allowed `choice` empties a filled value (the never-clear rule), if it
/// does: all of the loser's value for a missing one, parts of it for an address conflict.
fn clearing_note(compared: &Compared, choice: Choice) -> Option<Issue> {
    let (side, other) = match choice {
        Choice::Huma => ("Huma", "Crona"),
        Choice::Crona => ("Crona", "Huma"),
        Choice::Leave => return None,
    };
    if !compared.clears(choice) {
        return None;
    }
    let message = if compared.kind == Kind::Conflict {
        format!("Choosing {side} empties parts of {other}'s address: only an explicit choice does that, never a bulk one or a suggestion.")
    } else {
        format!(
            "Choosing {side} clears {other}'s {}.",
            compared.field.mapping().phrase
        )
    };
    Some(note("clears_value", message))
}

/// What the administrator should know about the field beyond its two values: which address
/// parts differ, Huma's address line 3 that Crona has no place for, and an unconfirmed e-mail
/// change in Huma.
fn field_notes(compared: &Compared, huma: &Person) -> Vec<Issue> {
    let mut notes = Vec::new();
    if compared.field == Field::Address {
        if let (Some(a), Some(b)) = (&compared.huma, &compared.crona) {
            notes.push(note(
                "address_parts",
                format!(
                    "Differs in: {}.",
                    values::address_parts_differing(a, b).join(", ")
                ),
            ));
        }
        if let Some(line3) = &huma.address_line3 {
            notes.push(note(
                "address_line3",
                format!(
                    "Huma's address line 3 ({line3:?}) has no place in Crona and is not copied."
                ),
            ));
        }
    }
    if compared.field == Field::Email {
        if let Some(pending) = &huma.pending_email {
            notes.push(note("pending_email", format!("Huma has an unconfirmed change to {pending}; only the confirmed address is compared and copied.")));
        }
    }
    notes
}

/// The baseline value as the preview may show it, and which side changed since the last sync.
/// Neither when the pair never agreed on the field (or this is a first sync), nor when the
/// baseline can't be read.
fn since_baseline(
    compared: &Compared,
    baseline: Option<&BTreeMap<Field, String>>,
    baseline_key: Option<&crate::fingerprint::BaselineKey>,
) -> (Option<BaselineValue>, Option<Changed>) {
    let Some(base) = baseline.and_then(|b| b.get(&compared.field)) else {
        // Never agreed (or a first sync): no side can be said to have changed.
        return (None, None);
    };
    let agreed = |v: &Option<FieldValue>| {
        let now = v
            .as_ref()
            .map(|v| v.normalized.as_str())
            .unwrap_or_default();
        crate::fingerprint::agrees(baseline_key, compared.field, now, base)
    };
    let (Some(huma_same), Some(crona_same)) = (agreed(&compared.huma), agreed(&compared.crona))
    else {
        // A fingerprint under another key (or none): it can't be told.
        return (None, None);
    };
    let changed = match (huma_same, crona_same) {
        (false, true) => Changed::Huma,
        (true, false) => Changed::Crona,
        _ => Changed::Both,
    };
    // A fingerprint is never shown: it says nothing to a person.
    let shown = (!crate::fingerprint::is_fingerprint(base)).then(|| BaselineValue {
        normalized: base.clone(),
    });
    (shown, Some(changed))
}

/// What crona-sync suggests, if anything: the side that changed wins; without a baseline, the
/// side that has the value fills the other. Never a choice that isn't allowed, and never one
/// that empties a filled value.
fn suggest(compared: &Compared, changed: Option<Changed>, allowed: &[Choice]) -> Option<Choice> {
    let winner = match (changed, compared.kind) {
        (Some(Changed::Huma), _) => Some(Choice::Huma),
        (Some(Changed::Crona), _) => Some(Choice::Crona),
        (Some(Changed::Both), _) => None,
        (None, Kind::MissingInHuma) => Some(Choice::Crona),
        (None, Kind::MissingInCrona) => Some(Choice::Huma),
        (None, Kind::Conflict) => None,
    };
    winner.filter(|w| allowed.contains(w) && !compared.clears(*w))
}

/// "Anna Berg's mobile phone differs: Huma has "070-…", Crona has "073-…"."
fn describe(name: &str, compared: &Compared, changed: Option<Changed>) -> String {
    let phrase = compared.field.mapping().phrase;
    let (h, c) = (&compared.huma, &compared.crona);
    let shown = |v: &Option<FieldValue>| v.as_ref().map(|v| v.display.clone()).unwrap_or_default();
    let what = match compared.kind {
        Kind::Conflict => format!(
            "{name}'s {phrase} differs: Huma has {:?}, Crona has {:?}.",
            shown(h),
            shown(c)
        ),
        Kind::MissingInHuma => format!(
            "{name}'s {phrase} is missing in Huma; Crona has {:?}.",
            shown(c)
        ),
        Kind::MissingInCrona => format!(
            "{name}'s {phrase} is missing in Crona; Huma has {:?}.",
            shown(h)
        ),
    };
    let since = match changed {
        Some(Changed::Huma) => " It was changed in Huma since the last sync.",
        Some(Changed::Crona) => " It was changed in Crona since the last sync.",
        Some(Changed::Both) => " Both systems changed it since the last sync.",
        None => "",
    };
    format!("{what}{since}")
}

/// Whether choosing `choice` would empty a value the losing side has: the never-clear rule
/// (DOMAIN.md §3.2). For the address, emptying any filled part counts.
pub fn would_clear(
    field: Field,
    kind: Kind,
    choice: Choice,
    huma: &Option<FieldValue>,
    crona: &Option<FieldValue>,
) -> bool {
    match (choice, kind) {
        (Choice::Huma, Kind::MissingInHuma) | (Choice::Crona, Kind::MissingInCrona) => true,
        (Choice::Leave, _) => false,
        (_, Kind::Conflict) if field == Field::Address => {
            let (Some(h), Some(c)) = (huma, crona) else {
                return false;
            };
            let (win, other) = if choice == Choice::Huma {
                (h, c)
            } else {
                (c, h)
            };
            win.normalized
                .split(" | ")
                .zip(other.normalized.split(" | "))
                .any(|(w, o)| w.is_empty() && !o.is_empty())
        }
        _ => false,
    }
}

/// The field's public name, for ids.
pub fn field_key(field: Field) -> &'static str {
    field.mapping().huma
}
