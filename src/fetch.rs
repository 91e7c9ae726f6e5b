//! The fetch phase: which requests to make, in what order, and what each answer adds. Answers
//! may arrive in any order; a failed or unreadable one, or a listing that doesn't add up to its
//! total (`listing.rs`), ends the fetch: never a partial preview.

use crate::config::{Mode, SessionConfig};
use crate::error::{Error, Result};
use crate::listing::{Listing, Next};
use crate::model::{Person, Position, PositionSource, System};
use crate::outbox::Outbox;
use crate::request::{HttpRequest, HttpResponse};
use crate::{crona, huma};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Huma sets no maximum for positions; one page of this size holds anyone's history.
const POSITIONS_PAGE: u32 = 100;
/// No register needs more pages than this (a million people at Huma's 50 a page): an API that
/// keeps promising more is stopped rather than followed forever.
const MAX_PAGES: u32 = 20_000;

/// What an outstanding request was for.
#[derive(Debug, Clone)]
enum Asked {
    HumaUsers { offset: u32 },
    HumaUser { id: String },
    HumaPositions { id: String, offset: u32 },
    CronaPage { page: u32 },
}

/// Everything fetched so far, and what is still outstanding.
#[derive(Debug, Default)]
pub struct Fetch {
    outbox: Outbox<Asked>,
    /// `GET /users`, checked for completeness.
    huma_listing: Listing,
    // The maps by Huma id are only looked up, never walked (`huma_ids` keeps the order), so
    // hashed: no string compares down a tree for each of a 10,000-person fetch's 20,000 answers.
    /// Each person's `GET /users/{id}/positions`.
    position_listings: HashMap<String, Listing>,
    /// `GET /api/v1/employees`.
    crona_listing: Listing,
    /// Huma ids in the order the listing gave them.
    huma_ids: Vec<String>,
    huma: HashMap<String, Person>,
    positions: HashMap<String, Vec<Position>>,
    /// Huma ids whose positions list couldn't be read, and why: they fall back (DOMAIN.md §2).
    unreadable: BTreeMap<String, String>,
    /// Push: Huma ids that no longer exist (404).
    gone: Vec<String>,
    /// Push: Huma ids outside the connection's group.
    out_of_scope: Vec<String>,
    crona: Vec<Person>,
    /// Push: how many people were named; a sync learns its count from the listing's total.
    named: Option<usize>,
    /// Every Huma person listed, with how many of their two reads (details, positions list) are
    /// finished: one map for both, since each id is looked up for each.
    finished: HashMap<String, u8>,
    /// Huma people with both reads finished.
    huma_done: usize,
    /// Answers taken.
    answered: usize,
    /// Positions pages still to ask for, over every person's list (kept as the pages arrive,
    /// since a progress bar asks many times a second).
    positions_to_come: u64,
}

/// Counts for a progress bar: what the APIs said there is, what was read, per system, and the
/// requests the whole fetch takes.
///
/// The work is counted in requests, since requests are what takes the time: each Huma person
/// costs two (details and a positions list, longer lists a page per 100 positions), a listing a
/// request per page, so 10,000 Crona employees are 50 requests and 10,000 Huma people 20,200.
/// `requests_answered / requests_total` is the share done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct FetchProgress {
    /// Huma people listed so far.
    pub huma_listed: usize,
    /// Of those, whose details have arrived.
    pub huma_read: usize,
    /// Crona employees read so far.
    pub crona_read: usize,
    /// Requests still outstanding.
    pub pending: usize,
    /// Huma people to read: the `total` Huma's user list stated (`None` until its first page
    /// answered), or in a push the people named.
    pub huma_total: Option<u64>,
    /// Huma people read in full: their details answered and their positions list finished
    /// (read whole, or found unreadable); in a push, one gone or outside the group counts too.
    pub huma_done: usize,
    /// Crona employees to read: the `total` Crona's employee list stated (`None` until its first
    /// page answered).
    pub crona_total: Option<u64>,
    /// Requests answered so far.
    pub requests_answered: usize,
    /// Requests the fetch takes in all, as far as the stated totals tell: the answered ones, the
    /// outstanding ones and those still to come. `None` until both systems stated their totals,
    /// since a share of one system's work alone would be no share of the whole.
    pub requests_total: Option<usize>,
}

/// The two registers, complete.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    /// Huma people in listing order, positions attached.
    pub huma: Vec<Person>,
    /// Crona employees in page order.
    pub crona: Vec<Person>,
    /// Push: the Huma user ids asked for that Huma no longer has.
    pub gone: Vec<String>,
    /// Push: the Huma user ids asked for that are outside the connection's group.
    pub out_of_scope: Vec<String>,
    /// The progress counts as the fetch ended.
    pub progress: FetchProgress,
    /// Huma ids and AnstNr to positions, built on first use.
    pub(crate) index: std::cell::OnceCell<(BTreeMap<String, usize>, BTreeMap<String, usize>)>,
}

/// One register by one key.
#[derive(Clone, Copy)]
pub struct Index<'a> {
    people: &'a [Person],
    by: &'a BTreeMap<String, usize>,
}

impl<'a> Index<'a> {
    /// The person with this key.
    pub fn get(&self, key: &str) -> Option<&'a Person> {
        self.by.get(key).and_then(|&i| self.people.get(i))
    }
}

/// The registers by the keys the two systems use. Built once per fetch (plan() runs on every
/// click); a Crona AnstNr listed twice maps to its last record (matching leaves such records
/// out anyway).
pub struct Lookup<'a> {
    /// Huma people by user id.
    pub huma: Index<'a>,
    /// Crona employees by AnstNr.
    pub crona: Index<'a>,
}

impl Fetched {
    /// Lookups by Huma user id and by AnstNr.
    pub fn lookup(&self) -> Lookup<'_> {
        let (huma, crona) = self.index.get_or_init(|| {
            let by = |people: &[Person], key: fn(&Person) -> Option<&String>| {
                people
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| Some((key(p)?.clone(), i)))
                    .collect::<BTreeMap<String, usize>>()
            };
            (
                by(&self.huma, |p| p.huma_id.as_ref()),
                by(&self.crona, |p| p.values.employment_id.as_ref()),
            )
        });
        Lookup {
            huma: Index {
                people: &self.huma,
                by: huma,
            },
            crona: Index {
                people: &self.crona,
                by: crona,
            },
        }
    }
}

impl Fetch {
    /// The first requests of a sync (everyone in scope) or a push (the given people).
    pub fn start(config: &SessionConfig) -> Self {
        let mut f = Fetch {
            huma_listing: Listing::new(config.options.page_size),
            crona_listing: Listing::new(crona::MAX_PAGE_SIZE),
            ..Fetch::default()
        };
        match config.mode {
            Mode::Sync => f.ask(Asked::HumaUsers { offset: 0 }, config),
            Mode::Push => {
                for id in &config.huma_user_ids {
                    f.add_person(id.clone(), config);
                }
                f.named = Some(f.huma_ids.len());
            }
        }
        f.ask(Asked::CronaPage { page: 1 }, config);
        f
    }

    fn ask(&mut self, asked: Asked, config: &SessionConfig) {
        let request = match &asked {
            Asked::HumaUsers { offset } => huma::users_page(
                format!("huma:users:{offset}"),
                &config.scope,
                config.options.page_size,
                *offset,
            ),
            Asked::HumaUser { id } => huma::user_details(format!("huma:user:{id}"), id),
            Asked::HumaPositions { id, offset } => huma::positions_page(
                format!("huma:positions:{id}:{offset}"),
                id,
                POSITIONS_PAGE,
                *offset,
            ),
            Asked::CronaPage { page } => crona::employees_page(
                format!("crona:employees:{page}"),
                *page,
                crona::MAX_PAGE_SIZE,
            ),
        };
        self.outbox.send(request, asked);
    }

    fn add_person(&mut self, id: String, config: &SessionConfig) {
        if let std::collections::hash_map::Entry::Vacant(listed) = self.finished.entry(id.clone()) {
            listed.insert(0);
            self.huma_ids.push(id.clone());
            self.ask(Asked::HumaUser { id: id.clone() }, config);
            self.ask(Asked::HumaPositions { id, offset: 0 }, config);
        }
    }

    /// Requests not yet handed to the runner; each is returned once.
    pub fn poll(&mut self) -> Vec<HttpRequest> {
        self.outbox.poll()
    }

    /// True when every answer is in.
    pub fn is_complete(&self) -> bool {
        self.outbox.is_idle()
    }

    /// Counts for a progress bar.
    pub fn progress(&self) -> FetchProgress {
        let huma_total = match self.named {
            Some(named) => Some(named as u64),
            None => self.huma_listing.total(),
        };
        FetchProgress {
            huma_listed: self.huma_ids.len(),
            huma_read: self.huma.len(),
            crona_read: self.crona.len(),
            pending: self.outbox.pending(),
            huma_total,
            huma_done: self.huma_done,
            crona_total: self.crona_listing.total(),
            requests_answered: self.answered,
            requests_total: self.requests_to_come(huma_total).map(|to_come| {
                self.answered
                    .saturating_add(self.outbox.pending())
                    .saturating_add(to_come)
            }),
        }
    }

    /// Requests not yet asked that the fetch will ask, by the stated totals.
    fn requests_to_come(&self, huma_total: Option<u64>) -> Option<usize> {
        let listing = match self.named {
            Some(_) => 0,
            None => unasked(&self.huma_listing)?,
        };
        // Each person still to be listed: details and a positions list.
        let unlisted = huma_total?
            .saturating_sub(self.huma_ids.len() as u64)
            .saturating_mul(2);
        let crona = unasked(&self.crona_listing)?;
        // The totals are the APIs' word: an absurd one makes a bar that barely moves, not a panic.
        let all = listing
            .saturating_add(unlisted)
            .saturating_add(self.positions_to_come)
            .saturating_add(crona);
        Some(usize::try_from(all).unwrap_or(usize::MAX))
    }

    /// One of a Huma person's two reads is finished.
    fn finish_read(&mut self, id: &str) {
        // Listed (add_person) before either read was asked: no key to allocate here.
        let Some(reads) = self.finished.get_mut(id) else {
            return;
        };
        *reads = reads.saturating_add(1);
        if *reads == 2 {
            self.huma_done += 1;
        }
    }

    /// Takes one answer. An error means the fetch can't complete.
    pub fn handle(&mut self, response: &HttpResponse, config: &SessionConfig) -> Result<()> {
        let (request, asked) = self.outbox.answer(response)?;
        self.answered += 1;
        if !(200..300).contains(&response.status) {
            return self.refused(asked, &request, response, config);
        }
        let body = response.body.as_slice();
        match asked {
            Asked::HumaUsers { offset } => self.users_page(offset, &request, body, config),
            Asked::HumaUser { id } => self.user(id, &request, body, config),
            Asked::HumaPositions { id, offset } => {
                self.positions_page(id, offset, &request, body, config);
                Ok(())
            }
            Asked::CronaPage { page } => self.crona_page(page, &request, body, config),
        }
    }

    /// An answer that isn't a success: fatal, except a positions list (the person falls back to
    /// another source) and, in a push, a named user deleted since the event (reported).
    fn refused(
        &mut self,
        asked: Asked,
        request: &HttpRequest,
        response: &HttpResponse,
        config: &SessionConfig,
    ) -> Result<()> {
        match asked {
            Asked::HumaPositions { id, .. } => {
                let reason = failed(request, response).to_string();
                // A refused page ends the list: its later pages are never asked for.
                let left = self.position_listings.get(&id).and_then(unasked);
                self.positions_to_come = self.positions_to_come.saturating_sub(left.unwrap_or(0));
                self.finish_read(&id);
                self.unreadable.entry(id).or_insert(reason);
                Ok(())
            }
            Asked::HumaUser { id } if response.status == 404 && config.mode == Mode::Push => {
                self.finish_read(&id);
                self.gone.push(id);
                Ok(())
            }
            Asked::HumaUser { id } => Err(failed(request, response).about(&id)),
            _ => Err(failed(request, response)),
        }
    }

    /// A page of Huma's user list: each user is then read in full, and the next page asked for.
    fn users_page(
        &mut self,
        offset: u32,
        request: &HttpRequest,
        body: &[u8],
        config: &SessionConfig,
    ) -> Result<()> {
        let (ids, page) = huma::read_users_page(request, body)?;
        let received = page.ids.len() as u32;
        let next = self
            .huma_listing
            .take(request, &format!("offset {offset}"), &page)?;
        for id in ids {
            self.add_person(id, config);
        }
        // Offsets advance by what arrived: a limit the server capped is followed.
        if next == Next::More {
            runaway(request, &self.huma_listing)?;
            self.ask(
                Asked::HumaUsers {
                    offset: offset.saturating_add(received),
                },
                config,
            );
        }
        Ok(())
    }

    /// One Huma user in full: it must be the one asked for; in a push, one outside the
    /// connection's groups is set aside.
    fn user(
        &mut self,
        id: String,
        request: &HttpRequest,
        body: &[u8],
        config: &SessionConfig,
    ) -> Result<()> {
        let person = huma::read_user_details(request, body).map_err(|e| e.about(&id))?;
        if person.huma_id.as_deref() != Some(id.as_str()) {
            return Err(Error::MalformedResponse {
                system: System::Huma.key(),
                request: request.label(),
                reason: format!(
                    "it describes user {:?}, not {id:?}",
                    person.huma_id.unwrap_or_default()
                ),
                person: Some(id),
            });
        }
        self.finish_read(&id);
        // A webhook speaks for the whole organisation; a connection covers its group.
        if config.mode == Mode::Push && !config.scope.covers(&person.groups) {
            self.out_of_scope.push(id);
            return Ok(());
        }
        self.huma.insert(id, person);
        Ok(())
    }

    /// A page of one person's positions. A page that can't be read, or a list that doesn't add
    /// up, makes the list unreadable: the person falls back like one whose list was refused.
    fn positions_page(
        &mut self,
        id: String,
        offset: u32,
        request: &HttpRequest,
        body: &[u8],
        config: &SessionConfig,
    ) {
        let listing = self
            .position_listings
            .entry(id.clone())
            .or_insert_with(|| Listing::new(POSITIONS_PAGE));
        let before = unasked(listing).unwrap_or(0);
        let read =
            huma::read_positions_page(request, offset, body).and_then(|(positions, page)| {
                let received = page.ids.len() as u32;
                let next = listing.take(request, &format!("offset {offset}"), &page)?;
                runaway(request, listing)?;
                Ok((positions, received, next))
            });
        // An unreadable list asks for nothing more.
        let after = match read {
            Ok(_) => unasked(listing).unwrap_or(0),
            Err(_) => 0,
        };
        self.positions_to_come = self
            .positions_to_come
            .saturating_sub(before)
            .saturating_add(after);
        let (mut positions, received, next) = match read {
            Ok(read) => read,
            // An incomplete list is no list: the person falls back like an unreadable one.
            Err(Error::IncompleteListing { reason, .. }) => {
                self.finish_read(&id);
                self.unreadable
                    .entry(id)
                    .or_insert(format!("the list is incomplete: {reason}"));
                return;
            }
            Err(e) => {
                self.finish_read(&id);
                self.unreadable.entry(id).or_insert(e.to_string());
                return;
            }
        };
        self.positions
            .entry(id.clone())
            .or_default()
            .append(&mut positions);
        if next == Next::Complete {
            self.finish_read(&id);
        } else {
            self.ask(
                Asked::HumaPositions {
                    id,
                    offset: offset.saturating_add(received),
                },
                config,
            );
        }
    }

    /// A page of Crona's employee list, then the next page.
    fn crona_page(
        &mut self,
        page: u32,
        request: &HttpRequest,
        body: &[u8],
        config: &SessionConfig,
    ) -> Result<()> {
        let (mut people, listed) = crona::read_employees_page(request, body)?;
        let next = self
            .crona_listing
            .take(request, &format!("page {page}"), &listed)?;
        self.crona.append(&mut people);
        // Page numbers count in the server's page size, whatever it capped ours to.
        if next == Next::More {
            runaway(request, &self.crona_listing)?;
            self.ask(Asked::CronaPage { page: page + 1 }, config);
        }
        Ok(())
    }

    /// The registers, once complete. The positions list replaces `currentPositions`; where it
    /// couldn't be read, `currentPositions` stays, else the deprecated flat fields are used.
    pub fn finish(mut self) -> Fetched {
        let progress = self.progress();
        let mut huma = Vec::with_capacity(self.huma_ids.len());
        // Each id is listed once (`finished`), so each entry is taken once. Taken rather than
        // removed: removal from a B-tree is a good deal of module per map type.
        for id in &self.huma_ids {
            let Some(mut person) = self.huma.get_mut(id).map(std::mem::take) else {
                continue;
            };
            let list = self.positions.get_mut(id).map(std::mem::take);
            match self.unreadable.get_mut(id).map(std::mem::take) {
                None => {
                    person.positions = list.unwrap_or_default();
                    person.position_source = PositionSource::List;
                }
                Some(reason) => {
                    person.positions_unreadable = Some(reason);
                    person.position_source = if !person.positions.is_empty() {
                        PositionSource::CurrentPositions
                    } else if let Some(flat) = person.flat_position.clone() {
                        person.positions = vec![flat];
                        PositionSource::FlatFields
                    } else {
                        PositionSource::Unavailable
                    };
                }
            }
            huma.push(person);
        }
        Fetched {
            huma,
            crona: self.crona,
            gone: self.gone,
            out_of_scope: self.out_of_scope,
            progress,
            index: Default::default(),
        }
    }
}

/// A listing's pages left that are not asked for yet: its next page is asked as soon as the one
/// before it is taken, so one of them is outstanding already.
fn unasked(listing: &Listing) -> Option<u64> {
    listing.pages_left().map(|left| left.saturating_sub(1))
}

/// Stops a listing that keeps promising more than any register holds.
fn runaway(request: &HttpRequest, listing: &Listing) -> Result<()> {
    if listing.pages() < MAX_PAGES {
        return Ok(());
    }
    Err(Error::IncompleteListing {
        system: request.system.key(),
        request: request.label(),
        page: format!("page {}", listing.pages()),
        reason: format!(
            "{MAX_PAGES} pages were read and the API still promises more ({} records so far)",
            listing.read()
        ),
    })
}

/// The error for a non-2xx answer or no answer, naming system, request and status.
fn failed(request: &HttpRequest, response: &HttpResponse) -> Error {
    let (_, api_text) = api_error(request.system, &response.body);
    let reason = match (response.status, &response.error, api_text) {
        (0, Some(e), _) => e.message.clone(),
        (0, None, _) => "no answer arrived".to_string(),
        (401, _, text) => format!(
            "401: {} refused the credentials{}",
            request.system.name(),
            text.map(|t| format!(" ({t})")).unwrap_or_default()
        ),
        (403, _, text) => format!(
            "403: the API key may not read this{}",
            text.map(|t| format!(" ({t})")).unwrap_or_default()
        ),
        (status, Some(e), _) => format!("{status}: {}", e.message),
        (status, None, Some(text)) => format!("{status}: {text}"),
        (status, None, None) => format!("status {status}"),
    };
    Error::FetchFailed {
        system: request.system.key(),
        request: request.label(),
        status: response.status,
        reason,
        person: None,
    }
}

/// What a system's error body says: its machine code and its message, each when it gives one.
/// It lives here, above the adapters, so that `request.rs` needn't know `huma.rs` or `crona.rs`.
pub fn api_error(system: System, body: &[u8]) -> (Option<String>, Option<String>) {
    match system {
        System::Huma => (huma::error_code(body), huma::error_text(body)),
        System::Crona => (crona::error_code(body), crona::error_text(body)),
    }
}
