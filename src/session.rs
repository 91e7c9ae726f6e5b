//! The sans-IO state machine (DESIGN.md §2): the runner polls for requests, performs them, and
//! hands the answers back; the session decides everything else. No I/O, no clock.

use crate::config::SessionConfig;
use crate::error::{Error, Result};
use crate::fetch::{Fetch, FetchProgress, Fetched};
use crate::plan::{self, Decisions, Plan};
use crate::preview::{self, Preview};
use crate::request::{HttpRequest, HttpResponse};
use crate::state::SyncState;
use serde::Serialize;

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Reading both registers.
    Fetching,
    /// Both read: the preview is ready and decisions can be planned.
    Preview,
    /// A fetch failed; the session can only report why.
    Failed,
}

impl Phase {
    /// As the public API names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Fetching => "fetching",
            Phase::Preview => "preview",
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
}

impl SyncSession {
    /// Starts a session; its first requests are ready at once.
    pub fn new(config: SessionConfig) -> Result<Self> {
        let state = SyncState::from_config(config.state.as_ref())?;
        let fetch = Fetch::start(&config);
        Ok(SyncSession {
            config,
            state,
            phase: Phase::Fetching,
            fetch,
            fetched: None,
            preview: None,
            failure: None,
        })
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Requests to perform now; each is returned once. Empty when nothing is left to ask.
    pub fn poll(&mut self) -> Vec<HttpRequest> {
        match self.phase {
            Phase::Fetching => self.fetch.poll(),
            Phase::Preview | Phase::Failed => Vec::new(),
        }
    }

    /// Takes answers, in any order. A failed or unreadable one ends the fetch with an error that
    /// names system, request and status; the session then stays failed.
    pub fn handle(&mut self, responses: &[HttpResponse]) -> Result<()> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
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
    /// runs until a plan is applied by its hash.
    pub fn plan(&mut self, decisions: &Decisions) -> Result<Plan> {
        self.preview()?;
        let (Some(fetched), Some(preview)) = (&self.fetched, &self.preview) else {
            return Err(Error::Protocol("the preview is not ready".into()));
        };
        plan::build(fetched, preview, decisions, &self.config)
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
