//! The sans-IO state machine (DESIGN.md §2): the runner polls for requests, performs them, and
//! hands the answers back; the session decides everything else. No I/O, no clock.

use crate::apply::Apply;
use crate::config::{Mode, SessionConfig};
use crate::error::{Error, Result};
use crate::fetch::{Fetch, FetchProgress, Fetched};
use crate::plan::{self, Decisions, Plan};
use crate::preview::{self, Preview};
use crate::push;
use crate::report::{self, Report};
use crate::request::{HttpRequest, HttpResponse};
use crate::state::SyncState;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many plans a session remembers for apply(); older ones are stale.
const KEPT_PLANS: usize = 32;

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Reading both registers.
    Fetching,
    /// Both read: the preview is ready and decisions can be planned.
    Preview,
    /// Running an approved plan.
    Applying,
    /// Reading back everyone written, to check.
    Verifying,
    /// Finished: the report is ready.
    Done,
    /// A fetch failed; the session can only report why.
    Failed,
}

impl Phase {
    /// As the public API names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Fetching => "fetching",
            Phase::Preview => "preview",
            Phase::Applying => "applying",
            Phase::Verifying => "verifying",
            Phase::Done => "done",
            Phase::Failed => "failed",
        }
    }
}

/// One synchronisation (or push) between a Huma organisation and a Crona company.
#[derive(Debug)]
pub struct SyncSession {
    config: SessionConfig,
    state: SyncState,
    phase: Phase,
    fetch: Fetch,
    fetched: Option<Fetched>,
    preview: Option<Preview>,
    failure: Option<Error>,
    /// Every plan made, by hash: apply runs one of these and nothing else.
    plans: BTreeMap<String, Plan>,
    /// Their hashes, oldest first.
    plan_order: std::collections::VecDeque<String>,
    applying: Option<(Plan, Apply)>,
    report: Option<Report>,
}

impl SyncSession {
    /// Starts a session; its first requests are ready at once.
    pub fn new(config: SessionConfig) -> Result<Self> {
        let state = SyncState::from_config(config.state.as_ref())?;
        if config.mode == Mode::Push && state.activated_at.is_none() {
            return Err(Error::config(
                "state",
                "push mode needs an active connection: run a first \"Synchronize users\" (sync) and pass its state",
            ));
        }
        let fetch = Fetch::start(&config);
        Ok(SyncSession {
            config,
            state,
            phase: Phase::Fetching,
            fetch,
            fetched: None,
            preview: None,
            failure: None,
            plans: BTreeMap::new(),
            plan_order: Default::default(),
            applying: None,
            report: None,
        })
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Requests to perform now; each is returned once. Empty when nothing is left to ask.
    pub fn poll(&mut self) -> Vec<HttpRequest> {
        match (self.phase, &mut self.applying) {
            (Phase::Fetching, _) => self.fetch.poll(),
            (Phase::Applying | Phase::Verifying, Some((_, apply))) => apply.poll(),
            _ => Vec::new(),
        }
    }

    /// Takes answers, in any order. A failed or unreadable one ends the fetch with an error that
    /// names system, request and status; the session then stays failed.
    pub fn handle(&mut self, responses: &[HttpResponse]) -> Result<()> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        if matches!(self.phase, Phase::Applying | Phase::Verifying) {
            return self.handle_apply(responses);
        }
        if self.phase != Phase::Fetching {
            return Err(Error::Protocol(format!(
                "handle() was called in phase {}, when no request is outstanding",
                self.phase.as_str()
            )));
        }
        for response in responses {
            if let Err(error) = self.fetch.handle(response, &self.config) {
                self.phase = Phase::Failed;
                self.failure = Some(error.clone());
                self.fetch = Fetch::default();
                return Err(error);
            }
        }
        if self.fetch.is_complete() {
            self.fetched = Some(std::mem::take(&mut self.fetch).finish());
            self.phase = Phase::Preview;
        }
        Ok(())
    }

    fn handle_apply(&mut self, responses: &[HttpResponse]) -> Result<()> {
        let (Some((plan, apply)), Some(fetched)) = (&mut self.applying, &self.fetched) else {
            return Err(Error::Protocol("nothing is being applied".into()));
        };
        for response in responses {
            apply.handle(response, fetched)?;
        }
        if !apply.is_writing() {
            self.phase = Phase::Verifying;
        }
        if apply.is_complete() {
            if let Some(preview) = &self.preview {
                self.report = Some(report::build(
                    apply,
                    plan,
                    fetched,
                    preview,
                    &self.state,
                    &self.config,
                ));
            }
            self.phase = Phase::Done;
        }
        Ok(())
    }

    /// Runs the plan with this hash (only a plan this session made). A mass change runs only
    /// with `allow_mass_change`. The writes then come out of poll().
    pub fn apply(&mut self, hash: &str, allow_mass_change: bool) -> Result<()> {
        if self.phase != Phase::Preview {
            return Err(Error::Protocol(format!(
                "apply() needs the preview phase; the session is {}",
                self.phase.as_str()
            )));
        }
        let plan = self
            .plans
            .get(hash)
            .cloned()
            .ok_or_else(|| Error::StalePlan(hash.to_string()))?;
        if plan.needs_mass_change_approval && !allow_mass_change {
            let changed = plan
                .operations
                .iter()
                .map(|o| (&o.person.huma_id, &o.person.anst_nr))
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            let total = self
                .preview
                .as_ref()
                .map_or(0, |p| p.counts.huma.max(p.counts.crona));
            return Err(Error::MassChangeRefused { changed, total });
        }
        let apply = Apply::start(&plan);
        if plan.operations.is_empty() {
            // Nothing to write: the report says so at once.
            if let (Some(fetched), Some(preview)) = (&self.fetched, &self.preview) {
                self.report = Some(report::build(
                    &apply,
                    &plan,
                    fetched,
                    preview,
                    &self.state,
                    &self.config,
                ));
            }
            self.phase = Phase::Done;
            return Ok(());
        }
        self.applying = Some((plan, apply));
        self.phase = Phase::Applying;
        Ok(())
    }

    /// The result, once the run and its verification are complete.
    pub fn report(&self) -> Result<&Report> {
        self.report.as_ref().ok_or_else(|| {
            Error::Protocol(format!(
                "the report is ready when the session is done; it is {}",
                self.phase.as_str()
            ))
        })
    }

    /// Counts for a progress bar.
    pub fn progress(&self) -> FetchProgress {
        match &self.fetched {
            Some(f) => FetchProgress {
                huma_listed: f.huma.len(),
                huma_read: f.huma.len(),
                crona_read: f.crona.len(),
                pending: 0,
            },
            None => self.fetch.progress(),
        }
    }

    /// The writes these decisions lead to. Pure: call it on every change of a decision; nothing
    /// runs until a plan is applied by its hash. A push decides by its own rules (`push.rs`)
    /// and takes no decisions.
    pub fn plan(&mut self, decisions: &Decisions) -> Result<Plan> {
        self.preview()?;
        let (Some(fetched), Some(preview)) = (&self.fetched, &self.preview) else {
            return Err(Error::Protocol("the preview is not ready".into()));
        };
        let pushed;
        let decisions = match self.config.mode {
            Mode::Sync => decisions,
            Mode::Push if decisions.is_empty() => {
                pushed = push::decisions(preview, &self.config);
                &pushed
            }
            Mode::Push => {
                return Err(Error::InvalidArgument {
                    what: "decisions".into(),
                    reason: "a push decides by its own rules (Huma → Crona, what changed in Huma, never clearing); pass {}".into(),
                })
            }
        };
        let plan = plan::build(fetched, preview, decisions, &self.config)?;
        // A page plans on every click: keep the recent plans (the one under review among them).
        if self.plans.len() >= KEPT_PLANS && !self.plans.contains_key(&plan.hash) {
            if let Some(oldest) = self.plan_order.pop_front() {
                self.plans.remove(&oldest);
            }
        }
        if self.plans.insert(plan.hash.clone(), plan.clone()).is_none() {
            self.plan_order.push_back(plan.hash.clone());
        }
        Ok(plan)
    }

    /// The conflicts and missing values, once both registers are read.
    pub fn preview(&mut self) -> Result<&Preview> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        let Some(fetched) = &self.fetched else {
            return Err(Error::Protocol(
                "the preview is ready when the fetch is complete: poll() and handle() until poll() returns nothing".into(),
            ));
        };
        let preview = self
            .preview
            .get_or_insert_with(|| preview::build(fetched, &self.state, &self.config));
        Ok(preview)
    }
}
