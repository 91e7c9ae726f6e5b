//! The "conflicts and missing values" screen (DOMAIN.md §1.2, §3): everything the administrator
//! decides from, built from the two complete registers.

use crate::bank::Issue;
use crate::config::Mode;
use crate::config::SessionConfig;
use crate::diff::{self, Blocker, Choice, Difference, PersonRef};
use crate::fetch::Fetched;
use crate::matching::{self, Ambiguity};
use crate::model::{Field, Person, PositionSource, System};
use crate::state::SyncState;
use crate::unique::{self, Holders, Writer};
use crate::{normalize, positions, values};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    /// The pairs, as (Huma id, AnstNr): what the next sync remembers.
    #[serde(skip)]
    pub pairs: Vec<(String, String)>,
}

fn issue(code: &'static str, message: String) -> Issue {
    Issue { code, message }
}

/// Builds the preview.
pub fn build(f: &Fetched, state: &SyncState, config: &SessionConfig) -> Preview {
    let lenient = config.options.lenient_bank_accounts;
    // A push reads a few people: the Crona records other remembered pairs hold stay theirs.
    let m = matching::pair(
        &f.huma,
        &f.crona,
        &state.remembered(config.options.baseline_key.as_ref()),
        config.mode == Mode::Push,
    );
    let mut p = Preview::default();
    let holders = unique::Holders::of(f);

    // Duplicates inside one system (DOMAIN.md §3.3).
    let dup_phone = duplicates(&f.huma, |h| {
        h.values.phone.as_deref().and_then(normalize::phone)
    });
    let dup_employment = duplicates(&f.huma, |h| {
        h.values.employment_id.as_deref().map(normalize::text)
    });
    for (i, h) in f.huma.iter().enumerate() {
        let who = PersonRef::of(Some(h), None);
        if dup_phone.contains(&i) {
            p.blockers.push(field_blocker(&who, Field::Phone, System::Huma, "duplicate_phone",
                format!("{} shares the mobile phone {} with another Huma user; Huma requires phones to be unique.", who.name, h.values.phone.as_deref().unwrap_or(""))));
        }
        if dup_employment.contains(&i) {
            p.blockers.push(field_blocker(
                &who,
                Field::EmploymentId,
                System::Huma,
                "duplicate_employment_id",
                format!(
                    "{} shares the employment ID {} with another Huma user.",
                    who.name,
                    h.values.employment_id.as_deref().unwrap_or("")
                ),
            ));
        }
        // A position date that isn't one would reach AnstDatum or AvgDatum (DOMAIN.md §3.3).
        for pos in &h.positions {
            for date in [&pos.start, &pos.end].into_iter().flatten() {
                if crate::dates::parse_ymd(date).is_none() {
                    p.blockers.push(Blocker {
                        id: format!("{}//positions/invalid_date/{date}", h.huma_id.as_deref().unwrap_or("")),
                        person: Some(who.clone()),
                        field: None,
                        system: Some(System::Huma),
                        code: "invalid_date".into(),
                        message: format!(
                            "{} has a position dated {date:?}, which isn't a date (YYYY-MM-DD): no employment dates or title are sent to Crona for them until it is fixed in Huma.",
                            who.name
                        ),
                    });
                }
            }
        }
        if let Some(c) = h
            .positions
            .iter()
            .filter_map(|pos| pos.title.as_deref())
            .find_map(normalize::hidden_control)
        {
            p.blockers.push(Blocker {
                id: format!("{}//positions/control_character", h.huma_id.as_deref().unwrap_or("")),
                person: Some(who.clone()),
                field: None,
                system: Some(System::Huma),
                code: "control_character".into(),
                message: format!(
                    "A job title of {} contains the invisible control character U+{:04X}: that title is never sent to Crona (Befattning) until it is corrected in Huma.",
                    who.name,
                    u32::from(c)
                ),
            });
        }
        if let Some(notice) = source_notice(h, &who, config.mode) {
            p.notices.push(notice);
        }
        if let Some(line3) = &h.address_line3 {
            p.notices.push(field_blocker(
                &who,
                Field::Address,
                System::Huma,
                "address_line3",
                format!(
                    "{}'s address line 3 ({line3:?}) has no place in Crona and is never copied.",
                    who.name
                ),
            ));
        }
    }
    for &(hi, ci) in &m.dropped_pairs {
        if let (Some(h), Some(c)) = (f.huma.get(hi), f.crona.get(ci)) {
            let (who, other) = (PersonRef::of(Some(h), None), PersonRef::of(None, Some(c)));
            p.notices.push(Blocker {
                id: format!("{}/{}/pair_dropped", who.huma_id.as_deref().unwrap_or(""), other.anst_nr.as_deref().unwrap_or("")),
                message: format!(
                    "The state remembered {} (Huma) as AnstNr {} ({}), but they share neither the work e-mail nor the employment ID, and Crona no longer has what both agreed on: the pair is not used and e-mail matching decides. If they are one person, make the e-mail or the employment ID the same on both sides.",
                    who.name, other.anst_nr.as_deref().unwrap_or(""), other.name
                ),
                person: Some(who),
                field: None,
                system: None,
                code: "pair_dropped".into(),
            });
        }
    }
    for (i, why) in &m.ambiguous_huma {
        if let Some(h) = f.huma.get(*i) {
            p.blockers.push(ambiguity_blocker(
                PersonRef::of(Some(h), None),
                System::Huma,
                why,
            ));
        }
    }
    for (i, why) in &m.ambiguous_crona {
        if let Some(c) = f.crona.get(*i) {
            p.blockers.push(ambiguity_blocker(
                PersonRef::of(None, Some(c)),
                System::Crona,
                why,
            ));
        }
    }

    p.pairs = m
        .pairs
        .iter()
        .filter_map(|&(hi, ci, _)| {
            Some((
                f.huma.get(hi)?.huma_id.clone()?,
                f.crona.get(ci)?.values.employment_id.clone()?,
            ))
        })
        .collect();
    // The pairs: their differences and the position values to send.
    let activated = state.activated_at.is_some();
    if !activated {
        p.notices.push(Blocker {
            id: "first_sync/positions".into(),
            person: None,
            field: None,
            system: Some(System::Huma),
            code: "positions_recorded_not_sent".into(),
            message: "This first sync activates the connection: the position values (employment start and end, job title) of people already in both systems are recorded but not sent. Later changes in Huma are sent; people created in Crona get theirs now.".into(),
        });
    }
    for &(hi, ci, _) in &m.pairs {
        let (Some(h), Some(c)) = (f.huma.get(hi), f.crona.get(ci)) else {
            continue;
        };
        let baseline = h.huma_id.as_ref().and_then(|id| state.baseline.get(id));
        let (mut diffs, blockers) = diff::pair(
            h,
            c,
            baseline.map(|b| &b.fields),
            config.options.baseline_key.as_ref(),
            lenient,
        );
        for d in &mut diffs {
            let duplicated = (d.field == Field::Phone && dup_phone.contains(&hi))
                || (d.field == Field::EmploymentId && dup_employment.contains(&hi));
            if duplicated {
                d.allowed = vec![Choice::Leave];
                d.suggestion = None;
                d.notes.push(issue(
                    "duplicate",
                    "Another Huma user has the same value: resolve that first.".into(),
                ));
            }
        }
        for d in &mut diffs {
            p.blockers.extend(keep_unique(d, h, c, &holders));
        }
        p.differences.extend(diffs);
        p.blockers.extend(blockers);
        // Sent only when they changed since they were recorded; a pair seen for the first time
        // (activation, or a match made later) has them recorded without sending (§1.4).
        let recorded = baseline.and_then(|b| b.positions.as_ref());
        if let (true, Some((derived, partial)), Some(recorded)) = (
            activated,
            positions::known(h, config.today, config.mode),
            recorded,
        ) {
            let who = PersonRef::of(Some(h), Some(c));
            let key = config.options.baseline_key.as_ref();
            for (field, value) in positions::next(key, recorded, &derived, partial).send {
                p.will_set.push(WillSet {
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
    }

    // One side only.
    // Creating someone must never collide with anyone already on the other side.
    let lookup = f.lookup();
    let crona_by_anst = &lookup.crona;
    for &i in &m.only_huma {
        let Some(h) = f.huma.get(i) else { continue };
        let mut reasons = required_missing(h, lenient);
        if !h.active {
            reasons.insert(
                0,
                issue(
                    "deactivated",
                    "Deactivated in Huma: not created in Crona.".into(),
                ),
            );
        }
        if dup_employment.contains(&i) {
            reasons.push(issue(
                "duplicate_employment_id",
                "Another Huma user has the same employment ID.".into(),
            ));
        }
        if let Some(anst) = h.values.employment_id.as_deref().map(normalize::text) {
            if let Some(holder) = crona_by_anst.get(anst.as_str()) {
                let holder = PersonRef::of(None, Some(holder));
                reasons.push(issue("anstnr_taken", format!(
                    "AnstNr {anst} already belongs to Crona employee {} ({}); creating would collide. Fix the employment ID or the e-mail so they pair.",
                    holder.name, holder.email.as_deref().unwrap_or("no e-mail")
                )));
            } else if !(1..=10).contains(&anst.len()) || !anst.bytes().all(|b| b.is_ascii_digit()) {
                reasons.push(issue(
                    "invalid_anstnr",
                    format!("The employment ID {anst:?} can't be an AnstNr (1 to 10 digits)."),
                ));
            }
        }
        let new = Writer {
            target: None,
            source: h,
        };
        if let Some(holder) = holders.taken(System::Crona, Field::Email, new) {
            reasons.push(issue(
                "email_taken",
                format!(
                    "{} already has the work e-mail {}; Crona would hold it twice.",
                    unique::describe(holder),
                    h.values.email.as_deref().unwrap_or("")
                ),
            ));
        }
        p.only_in_huma.push(OneSide {
            person: PersonRef::of(Some(h), None),
            creatable: reasons.is_empty(),
            reasons,
            withheld: Vec::new(),
        });
    }
    // A push concerns the Huma people it names: nobody is created in Huma by one.
    let only_crona: &[usize] = match config.mode {
        Mode::Sync => &m.only_crona,
        Mode::Push => &[],
    };
    for &i in only_crona {
        let Some(c) = f.crona.get(i) else { continue };
        let mut reasons = required_missing(c, lenient);
        // The employment ID is written to Huma too; AnstNr always exists, so only e-mail and names can be missing.
        reasons.retain(|r| r.code != "missing_employment_id");
        let new = Writer {
            target: None,
            source: c,
        };
        if holders
            .taken(System::Huma, Field::EmploymentId, new)
            .is_some()
        {
            let anst = c.values.employment_id.as_deref().unwrap_or("");
            reasons.push(issue("employment_id_taken", format!("A Huma user already has the employment ID {anst}; creating would make a second one.")));
        }
        if holders.taken(System::Huma, Field::Email, new).is_some() {
            let email = c
                .values
                .email
                .as_deref()
                .map(normalize::email)
                .unwrap_or_default();
            reasons.push(issue("email_taken", format!("A Huma user already has the e-mail {email} (paired with another employee); Huma e-mails are unique.")));
        }
        // The phone follows in a PATCH once Huma has the user: it must be free there too.
        let mut withheld = Vec::new();
        if let Some(holder) = holders.taken(System::Huma, Field::Phone, new) {
            let who = PersonRef::of(None, Some(c));
            withheld.push(Field::Phone);
            p.blockers.push(field_blocker(&who, Field::Phone, System::Huma, "taken_in_huma", format!(
                "{}'s mobile phone {} is not copied when they are created in Huma: {} has it too, and Huma keeps phones unique.",
                who.name, c.values.phone.as_deref().unwrap_or(""), unique::describe(holder)
            )));
        }
        p.only_in_crona.push(OneSide {
            person: PersonRef::of(None, Some(c)),
            creatable: reasons.is_empty(),
            reasons,
            withheld,
        });
    }

    // People a push named but didn't read: deleted in Huma, or outside this connection.
    for id in &f.gone {
        p.notices.push(unread(id, "(deleted in Huma)", "not_in_huma", format!("Huma has no user {id} any more (deleted since the event?): nothing is pushed, and nothing is deleted in Crona, where payroll history stays.")));
    }
    for id in &f.out_of_scope {
        p.notices.push(unread(id, "(outside this connection)", "not_in_scope", format!("Huma user {id} isn't in this connection's company, location or team: nothing is pushed for them here.")));
    }
    if config.mode == Mode::Push {
        // Blockers about Crona records no pushed person could pair with are another sync's concern.
        let pushed: BTreeSet<&str> = p
            .pairs
            .iter()
            .map(|(_, anst)| anst.as_str())
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
    p.counts = Counts {
        huma: f.huma.len(),
        crona: f.crona.len(),
        matched: m.pairs.len(),
        differences: p.differences.len(),
        blockers: p.blockers.len(),
        only_in_huma: p.only_in_huma.len(),
        only_in_crona: p.only_in_crona.len(),
    };
    p
}

/// Takes the choice away that would write a value the target keeps unique and someone else
/// already holds (DOMAIN.md §3.5); the blocker names both people.
fn keep_unique(d: &mut Difference, h: &Person, c: &Person, holders: &Holders) -> Vec<Blocker> {
    let mut blockers = Vec::new();
    for (target, choice, from, to) in [
        (System::Huma, Choice::Crona, c, h),
        (System::Crona, Choice::Huma, h, c),
    ] {
        if !d.allowed.contains(&choice) {
            continue;
        }
        let w = Writer {
            target: Some(to),
            source: from,
        };
        let Some(holder) = holders.taken(target, d.field, w) else {
            continue;
        };
        d.allowed.retain(|a| *a != choice);
        if d.suggestion == Some(choice) {
            d.suggestion = None;
        }
        let value = values::of(d.field, &from.values, false)
            .map(|v| v.display)
            .unwrap_or_default();
        let (source, phrase) = (
            if target == System::Huma {
                System::Crona
            } else {
                System::Huma
            },
            d.field.mapping().phrase,
        );
        d.notes.push(issue(
            "taken",
            format!(
                "{} already has this {phrase} in {}.",
                unique::describe(holder),
                target.name()
            ),
        ));
        blockers.push(field_blocker(
            &d.person,
            d.field,
            target,
            if target == System::Huma { "taken_in_huma" } else { "taken_in_crona" },
            format!(
                "{}'s {phrase} from {} ({value}) can't be written to {}: {} already has it, and {} keeps each {phrase} unique.",
                d.person.name,
                source.name(),
                target.name(),
                unique::describe(holder),
                target.name()
            ),
        ));
    }
    blockers
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

/// Says where the positions came from when the list couldn't be read.
fn source_notice(h: &Person, who: &PersonRef, mode: Mode) -> Option<Blocker> {
    let reason = h.positions_unreadable.as_deref()?;
    let then = match (h.position_source, mode) {
        (PositionSource::Unavailable, _) => {
            "Huma has no other source for them either: no employment dates or title are sent for them now.".to_string()
        }
        (source, Mode::Push) => format!(
            "{} would give them, but a push sends position values only from the full list: they wait for the next sync or push.",
            capitalised(source.describe())
        ),
        (PositionSource::CurrentPositions, Mode::Sync) => format!(
            "Only the job title is taken from {}, which lacks earlier positions; the employment dates wait until the list can be read.",
            PositionSource::CurrentPositions.describe()
        ),
        (source, Mode::Sync) => format!(
            "The employment dates and title come from {} instead (never clearing a value); check them before applying.",
            source.describe()
        ),
    };
    Some(Blocker {
        id: format!("{}//positions/source", h.huma_id.as_deref().unwrap_or("")),
        person: Some(who.clone()),
        field: None,
        system: Some(System::Huma),
        code: match h.position_source {
            PositionSource::CurrentPositions => "positions_from_current",
            PositionSource::FlatFields => "positions_from_flat_fields",
            _ => "positions_unavailable",
        }
        .into(),
        message: format!(
            "{}'s positions list couldn't be read ({reason}). {then}",
            who.name
        ),
    })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The required values a new record needs (DOMAIN.md §2): e-mail, employment ID, names.
fn required_missing(person: &Person, lenient: bool) -> Vec<Issue> {
    let mut out = Vec::new();
    for field in [
        Field::Email,
        Field::EmploymentId,
        Field::GivenName,
        Field::FamilyName,
    ] {
        match values::of(field, &person.values, lenient) {
            None => out.push(issue(
                match field {
                    Field::Email => "missing_email",
                    Field::EmploymentId => "missing_employment_id",
                    Field::GivenName => "missing_given_name",
                    _ => "missing_family_name",
                },
                format!("{} is required and missing.", field.mapping().label),
            )),
            Some(v) => {
                if let Some(mut problem) = v.problem {
                    if problem.code == "control_character" {
                        problem.message = format!("{}: {}", field.mapping().label, problem.message);
                    }
                    out.push(problem);
                }
            }
        }
    }
    out
}

/// Indexes of people whose key (when present) another person on the same side shares.
fn duplicates(people: &[Person], key: impl Fn(&Person) -> Option<String>) -> BTreeSet<usize> {
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in people.iter().enumerate() {
        if let Some(k) = key(p).filter(|k| !k.is_empty()) {
            by_key.entry(k).or_default().push(i);
        }
    }
    by_key
        .into_values()
        .filter(|v| v.len() > 1)
        .flatten()
        .collect()
}

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

fn ambiguity_blocker(who: PersonRef, system: System, why: &Ambiguity) -> Blocker {
    let (email, huma, crona) = match why {
        Ambiguity::DuplicateEmail { email, huma, crona } => (email, huma, crona),
        Ambiguity::DuplicateAnstNr { anst_nr } => {
            return Blocker {
                id: format!(
                    "{}/{}/employmentId/duplicate_anstnr/{}",
                    who.huma_id.as_deref().unwrap_or(""),
                    who.anst_nr.as_deref().unwrap_or(""),
                    who.email.as_deref().unwrap_or("")
                ),
                message: format!("Crona lists AnstNr {anst_nr} more than once, so {} can't be paired or written: a write could hit either record. Fix the register first.", who.name),
                person: Some(who),
                field: Some(Field::EmploymentId),
                system: Some(system),
                code: "duplicate_anstnr".into(),
            };
        }
    };
    let whose = match (system, &who.anst_nr) {
        (System::Crona, Some(anst)) => format!("{} (Crona AnstNr {anst})", who.name),
        _ => format!("{} (Huma)", who.name),
    };
    let message = format!(
        "{whose} can't be paired: the work e-mail {email} belongs to {huma} Huma user(s) and {crona} Crona employee(s). Make it unique; nothing is written for them until then."
    );
    Blocker {
        id: format!(
            "{}/{}/email/duplicate_email",
            who.huma_id.as_deref().unwrap_or(""),
            who.anst_nr.as_deref().unwrap_or("")
        ),
        person: Some(who),
        field: Some(Field::Email),
        system: Some(system),
        code: "duplicate_email".into(),
        message,
    }
}
