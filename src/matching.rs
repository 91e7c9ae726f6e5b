//! Pairing people across the two systems (DOMAIN.md §3.1): a remembered pair wins; otherwise the
//! work e-mail, trimmed and lower-cased. An e-mail that appears twice on one side is a blocker
//! for everyone who has it: nothing is written for them and nobody is created in their place.

use crate::model::{Field, Person};
use crate::normalize;
use std::collections::{BTreeMap, BTreeSet};

/// How a pair was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    /// Remembered from an earlier sync (Huma id ↔ AnstNr).
    Remembered,
    /// The same work e-mail.
    Email,
}

/// Why someone couldn't be paired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ambiguity {
    /// Several people on one side have this work e-mail.
    DuplicateEmail {
        /// The e-mail, normalised.
        email: String,
        /// How many Huma people have it.
        huma: usize,
        /// How many Crona employees have it.
        crona: usize,
    },
    /// Crona lists this AnstNr more than once: nobody can tell which record is the person.
    DuplicateAnstNr {
        /// The AnstNr.
        anst_nr: String,
    },
}

/// A pair remembered from an earlier sync, with what the Crona side held then.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remembered {
    /// Huma user id.
    pub huma_id: String,
    /// Crona AnstNr.
    pub anst_nr: String,
    /// The work e-mail and names both sides agreed on at the last sync (normal forms, or their
    /// fingerprints under `key`).
    pub agreed: Option<(String, String, String)>,
    /// The connection's fingerprint key, when the baseline holds fingerprints.
    pub key: Option<crate::fingerprint::BaselineKey>,
}

/// The result: indexes into the two people lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matching {
    /// (Huma index, Crona index, how), in Huma order.
    pub pairs: Vec<(usize, usize, MatchedBy)>,
    /// Huma people with no partner (and no ambiguity).
    pub only_huma: Vec<usize>,
    /// Crona people with no partner (and no ambiguity).
    pub only_crona: Vec<usize>,
    /// Huma people left unpaired because the match is ambiguous.
    pub ambiguous_huma: Vec<(usize, Ambiguity)>,
    /// Crona people left unpaired because the match is ambiguous.
    pub ambiguous_crona: Vec<(usize, Ambiguity)>,
    /// Remembered pairs that no longer look like one person (Huma index, Crona index).
    pub dropped_pairs: Vec<(usize, usize)>,
}

/// Pairs `huma` with `crona`, using the remembered `(huma id, AnstNr)` pairs first.
/// With `hold_unread`, a remembered pair whose Huma user wasn't read (a push) keeps its Crona
/// record: nobody else can pair with it by e-mail, and it isn't "only in Crona".
pub fn pair(
    huma: &[Person],
    crona: &[Person],
    remembered: &[Remembered],
    hold_unread: bool,
) -> Matching {
    let mut progress = Progress::default();
    progress.set_aside_duplicate_anst_nrs(huma, crona);
    progress.pair_remembered(huma, crona, remembered, hold_unread);
    progress.pair_by_email(huma, crona);
    progress.finish(huma.len(), crona.len())
}

/// The matching as it is built: what is decided so far, and who is settled (paired, set aside
/// as ambiguous, or held) and so out of the later passes.
#[derive(Default)]
struct Progress {
    m: Matching,
    huma_done: BTreeSet<usize>,
    crona_done: BTreeSet<usize>,
}

impl Progress {
    /// Sets aside every Crona record whose AnstNr Crona lists more than once, and every Huma
    /// person with the work e-mail of one. The first pass: neither may pair in the later ones.
    fn set_aside_duplicate_anst_nrs(&mut self, huma: &[Person], crona: &[Person]) {
        // A duplicated AnstNr makes every record that has it unusable: writes could hit either.
        let duplicated = duplicated_anst_nrs(crona);
        let mut blocked_emails = BTreeMap::new();
        for (i, p) in crona.iter().enumerate() {
            if let Some(a) = p
                .values
                .employment_id
                .as_deref()
                .filter(|a| duplicated.contains(a))
            {
                let why = Ambiguity::DuplicateAnstNr {
                    anst_nr: a.to_string(),
                };
                self.set_aside_crona(i, why.clone());
                if let Some(e) = work_email(p) {
                    blocked_emails.insert(e, why);
                }
            }
        }
        for (i, p) in huma.iter().enumerate() {
            if let Some(why) = work_email(p).and_then(|e| blocked_emails.get(&e)) {
                self.set_aside_huma(i, why.clone());
            }
        }
    }

    /// Pairs the remembered pairs that still look like one person, and drops those that don't.
    /// The second pass: a remembered pair wins over the e-mail.
    fn pair_remembered(
        &mut self,
        huma: &[Person],
        crona: &[Person],
        remembered: &[Remembered],
        hold_unread: bool,
    ) {
        let huma_by_id = by_huma_id(huma);
        let crona_by_anst = by_anst_nr(crona, &self.crona_done);
        for r in remembered {
            let h = huma_by_id.get(r.huma_id.as_str()).copied();
            let c = crona_by_anst.get(r.anst_nr.as_str()).copied();
            match (h, c) {
                (None, Some(c)) if hold_unread => {
                    // A push didn't read this Huma user: their Crona record stays theirs.
                    self.crona_done.insert(c);
                }
                (Some(h), Some(c)) => {
                    // A remembered pair survives an e-mail change, not a change of person: with
                    // neither the e-mail nor the name in common it is dropped (a state of other
                    // systems, say).
                    let (Some(hp), Some(cp)) = (huma.get(h), crona.get(c)) else {
                        continue;
                    };
                    if !same_person(hp, cp, r) {
                        self.m.dropped_pairs.push((h, c));
                    } else if !self.huma_done.contains(&h) && !self.crona_done.contains(&c) {
                        self.pair_up(h, c, MatchedBy::Remembered);
                    }
                }
                _ => {}
            }
        }
    }

    /// Pairs the people still unsettled who share a work e-mail one to one, and sets aside
    /// everyone whose e-mail appears twice on one side. The last pass.
    fn pair_by_email(&mut self, huma: &[Person], crona: &[Person]) {
        let huma_by_email = by_email(huma, &self.huma_done);
        let crona_by_email = by_email(crona, &self.crona_done);
        let emails: BTreeSet<&String> = huma_by_email.keys().chain(crona_by_email.keys()).collect();
        for e in emails {
            let hs = huma_by_email.get(e).map_or(&[][..], Vec::as_slice);
            let cs = crona_by_email.get(e).map_or(&[][..], Vec::as_slice);
            match (hs, cs) {
                ([h], [c]) => self.pair_up(*h, *c, MatchedBy::Email),
                _ if hs.len() > 1 || cs.len() > 1 => {
                    let why = Ambiguity::DuplicateEmail {
                        email: e.clone(),
                        huma: hs.len(),
                        crona: cs.len(),
                    };
                    for &h in hs {
                        self.set_aside_huma(h, why.clone());
                    }
                    for &c in cs {
                        self.set_aside_crona(c, why.clone());
                    }
                }
                _ => {}
            }
        }
    }

    /// The result in a stable order, with everyone still unsettled listed as only on their
    /// side. Called after the passes.
    fn finish(self, huma_len: usize, crona_len: usize) -> Matching {
        let Progress {
            mut m,
            huma_done,
            crona_done,
        } = self;
        m.pairs.sort_unstable_by_key(|(h, c, _)| (*h, *c));
        m.ambiguous_huma.sort_unstable_by_key(|(i, _)| *i);
        m.ambiguous_crona.sort_unstable_by_key(|(i, _)| *i);
        m.only_huma = (0..huma_len).filter(|i| !huma_done.contains(i)).collect();
        m.only_crona = (0..crona_len).filter(|i| !crona_done.contains(i)).collect();
        m
    }

    /// Records a pair; both people are settled.
    fn pair_up(&mut self, h: usize, c: usize, how: MatchedBy) {
        self.huma_done.insert(h);
        self.crona_done.insert(c);
        self.m.pairs.push((h, c, how));
    }

    /// Leaves a Huma person unpaired for `why`: shown as a blocker, never offered for creation.
    fn set_aside_huma(&mut self, i: usize, why: Ambiguity) {
        self.huma_done.insert(i);
        self.m.ambiguous_huma.push((i, why));
    }

    /// Leaves a Crona record unpaired for `why`: shown as a blocker, never offered for creation.
    fn set_aside_crona(&mut self, i: usize, why: Ambiguity) {
        self.crona_done.insert(i);
        self.m.ambiguous_crona.push((i, why));
    }
}

/// The AnstNrs that more than one Crona record has.
fn duplicated_anst_nrs(crona: &[Person]) -> BTreeSet<&str> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for p in crona {
        if let Some(a) = p.values.employment_id.as_deref() {
            *count.entry(a).or_default() += 1;
        }
    }
    count
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(a, _)| a)
        .collect()
}

/// Every Huma person, by user id.
fn by_huma_id(huma: &[Person]) -> BTreeMap<&str, usize> {
    huma.iter()
        .enumerate()
        .filter_map(|(i, p)| Some((p.huma_id.as_deref()?, i)))
        .collect()
}

/// The Crona records not set aside, by AnstNr.
fn by_anst_nr<'a>(crona: &'a [Person], done: &BTreeSet<usize>) -> BTreeMap<&'a str, usize> {
    crona
        .iter()
        .enumerate()
        .filter(|(i, _)| !done.contains(i))
        .filter_map(|(i, p)| Some((p.values.employment_id.as_deref()?, i)))
        .collect()
}

/// The people of one side not yet settled, by normalised work e-mail.
fn by_email(people: &[Person], done: &BTreeSet<usize>) -> BTreeMap<String, Vec<usize>> {
    let mut by_email: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in people.iter().enumerate().filter(|(i, _)| !done.contains(i)) {
        if let Some(e) = work_email(p) {
            by_email.entry(e).or_default().push(i);
        }
    }
    by_email
}

/// The work e-mail as it is matched on: trimmed and lower-cased; `None` when empty.
fn work_email(p: &Person) -> Option<String> {
    p.values
        .email
        .as_deref()
        .map(normalize::email)
        .filter(|e| !e.is_empty())
}

/// Whether a remembered pair still looks like one person: the same work e-mail, Huma's
/// employment ID equal to the AnstNr, or the Crona record still as both agreed at the last sync
/// (only Huma changed: a marriage with a new e-mail, say). A name alone is too weak: two
/// Anna Andersson are common.
fn same_person(h: &Person, c: &Person, r: &Remembered) -> bool {
    let email = |p: &Person| p.values.email.as_deref().map(normalize::email);
    let text = |v: &Option<String>| v.as_deref().map(normalize::text).unwrap_or_default();
    let same_email = email(h).is_some() && email(h) == email(c);
    let same_number = h
        .values
        .employment_id
        .as_deref()
        .map(normalize::text)
        .as_deref()
        == Some(r.anst_nr.as_str());
    let is = |field, now: &str, base: &str| {
        crate::fingerprint::agrees(r.key.as_ref(), field, now, base) == Some(true)
    };
    let crona_as_agreed = r.agreed.as_ref().is_some_and(|(e, g, f)| {
        email(c).is_some_and(|now| !now.is_empty() && is(Field::Email, &now, e))
            && is(Field::GivenName, &text(&c.values.given_name), g)
            && is(Field::FamilyName, &text(&c.values.family_name), f)
    });
    same_email || same_number || crona_as_agreed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Values;

    fn huma(id: &str, email: &str) -> Person {
        Person {
            huma_id: Some(id.into()),
            values: Values {
                email: Some(email.into()),
                ..Values::default()
            },
            active: true,
            ..Person::default()
        }
    }

    fn remembered(h: &str, a: &str) -> Remembered {
        Remembered {
            key: None,
            huma_id: h.into(),
            anst_nr: a.into(),
            agreed: None,
        }
    }

    fn crona(anst: &str, email: &str) -> Person {
        Person {
            values: Values {
                email: (!email.is_empty()).then(|| email.into()),
                employment_id: Some(anst.into()),
                ..Values::default()
            },
            active: true,
            ..Person::default()
        }
    }

    #[test]
    fn anna_matches_although_crona_writes_her_email_in_capitals() {
        let m = pair(
            &[huma("h1", "anna.berg@exempel.se")],
            &[crona("1001", " Anna.Berg@Exempel.SE")],
            &[],
            false,
        );
        assert_eq!(m.pairs, vec![(0, 0, MatchedBy::Email)]);
        assert!(m.only_huma.is_empty() && m.only_crona.is_empty());
    }

    fn named(mut p: Person, given: &str, family: &str) -> Person {
        p.values.given_name = Some(given.into());
        p.values.family_name = Some(family.into());
        p
    }

    #[test]
    fn anna_who_married_and_got_a_new_email_in_huma_stays_paired() {
        // Huma: new name and e-mail the same day; Crona still as both agreed last time.
        let m = pair(
            &[named(huma("h1", "anna.lind@exempel.se"), "Anna", "Lind")],
            &[named(crona("1001", "anna.berg@exempel.se"), "Anna", "Berg")],
            &[Remembered {
                huma_id: "h1".into(),
                anst_nr: "1001".into(),
                agreed: Some(("anna.berg@exempel.se".into(), "Anna".into(), "Berg".into())),
                key: None,
            }],
            false,
        );
        assert_eq!(m.pairs, vec![(0, 0, MatchedBy::Remembered)]);
    }

    #[test]
    fn a_remembered_pair_whose_employment_id_is_the_anstnr_stays_paired() {
        let mut h = named(huma("h1", "anna.lind@exempel.se"), "Anna", "Lind");
        h.values.employment_id = Some("1001".into());
        let m = pair(
            &[h],
            &[named(crona("1001", "a.berg@exempel.se"), "Anna", "Berg")],
            &[remembered("h1", "1001")],
            false,
        );
        assert_eq!(m.pairs, vec![(0, 0, MatchedBy::Remembered)]);
    }

    #[test]
    fn the_same_name_alone_does_not_keep_a_remembered_pair() {
        // Two Anna Andersson: a state of another company would pair them.
        let m = pair(
            &[named(
                huma("h1", "anna.andersson@a.se"),
                "Anna",
                "Andersson",
            )],
            &[named(
                crona("1001", "anna.andersson2@b.se"),
                "Anna",
                "Andersson",
            )],
            &[remembered("h1", "1001")],
            false,
        );
        assert!(m.pairs.is_empty());
        assert_eq!(m.dropped_pairs, vec![(0, 0)]);
    }

    #[test]
    fn a_remembered_pair_of_two_different_people_is_dropped_not_trusted() {
        let mut h = huma("h1", "charlotte@x.se");
        h.values.given_name = Some("Charlotte".into());
        let mut c = crona("1001", "karl@x.se");
        c.values.given_name = Some("Karl".into());
        let m = pair(&[h], &[c], &[remembered("h1", "1001")], false);
        assert!(m.pairs.is_empty());
        assert_eq!(m.dropped_pairs, vec![(0, 0)]);
        assert_eq!((m.only_huma, m.only_crona), (vec![0], vec![0]));
    }

    #[test]
    fn a_remembered_pair_whose_employee_is_gone_falls_back_to_email() {
        let m = pair(
            &[huma("h1", "a@x.se")],
            &[crona("1002", "a@x.se")],
            &[remembered("h1", "1001")],
            false,
        );
        assert_eq!(m.pairs, vec![(0, 0, MatchedBy::Email)]);
    }

    #[test]
    fn two_crona_employees_with_one_email_block_everyone_who_has_it() {
        let m = pair(
            &[huma("h1", "delad@x.se")],
            &[crona("1001", "delad@x.se"), crona("1002", "DELAD@x.se")],
            &[],
            false,
        );
        assert!(m.pairs.is_empty());
        assert_eq!(m.ambiguous_huma.len(), 1);
        assert_eq!(
            m.ambiguous_crona
                .iter()
                .map(|(i, _)| *i)
                .collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert!(m.only_huma.is_empty(), "never offered for creation");
        assert_eq!(
            m.ambiguous_huma[0].1,
            Ambiguity::DuplicateEmail {
                email: "delad@x.se".into(),
                huma: 1,
                crona: 2
            }
        );
    }

    #[test]
    fn an_anstnr_crona_lists_twice_pairs_nobody_and_blocks_whoever_would_match() {
        let m = pair(
            &[huma("h1", "anna@x.se")],
            &[crona("1001", "anna@x.se"), crona("1001", "bo@x.se")],
            &[remembered("h1", "1001")],
            false,
        );
        assert!(m.pairs.is_empty());
        assert_eq!(m.ambiguous_crona.len(), 2);
        assert_eq!(
            m.ambiguous_huma,
            vec![(
                0,
                Ambiguity::DuplicateAnstNr {
                    anst_nr: "1001".into()
                }
            )]
        );
        assert!(m.only_huma.is_empty() && m.only_crona.is_empty());
    }

    #[test]
    fn people_without_a_partner_are_listed_on_their_side() {
        let m = pair(
            &[huma("h1", "a@x.se"), huma("h2", "b@x.se")],
            &[crona("1001", "a@x.se"), crona("1002", "")],
            &[],
            false,
        );
        assert_eq!(m.pairs, vec![(0, 0, MatchedBy::Email)]);
        assert_eq!((m.only_huma, m.only_crona), (vec![1], vec![1]));
    }
}
