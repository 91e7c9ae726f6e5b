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
use std::collections::VecDeque;

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
    stage: Stage,
    /// The recent plans made, oldest first (at most `KEPT_PLANS`, each hash once): apply runs
    /// one of these, found by its hash, and nothing else.
    plans: VecDeque<Plan>,
}

/// Where the session is, holding what it has there: a report without a run, or writes without
/// a fetch, can't be represented. `Phase` is derived from it.
#[derive(Debug)]
enum Stage {
    /// Reading both registers. `handle()` feeds it; once every answer is in it becomes
    /// `Previewing`, and a failed answer makes it `Failed`.
    Fetching(Box<Fetch>),
    /// Both registers read and previewed. `plan()` plans; `apply()` starts `Applying` (or goes
    /// straight to `Done` when the plan writes nothing).
    Previewing(Box<Read>),
    /// Running an approved plan: its writes come out of `poll()`, their answers go to `handle()`.
    /// Becomes `Verifying` once the writes are answered.
    Applying(Box<Run>),
    /// Reading back everyone written, the same way. Becomes `Done` once everything is answered.
    Verifying(Box<Run>),
    /// Finished: `report()` gives the result. `preview()` and `plan()` still answer.
    Done { run: Box<Run>, report: Box<Report> },
    /// A fetch failed: every later call reports why.
    Failed(Error),
}

/// The two registers as read, and what they say.
#[derive(Debug)]
struct Read {
    fetched: Fetched,
    preview: Preview,
}

/// An approved plan being run against what was read.
#[derive(Debug)]
struct Run {
    read: Read,
    plan: Plan,
    apply: Apply,
}

impl Run {
    fn report(&self, state: &SyncState, config: &SessionConfig) -> Report {
        report::build(
            &self.apply,
            &self.plan,
            &self.read.fetched,
            &self.read.preview,
            state,
            config,
        )
    }
}

impl Stage {
    fn phase(&self) -> Phase {
        match self {
            Stage::Fetching(_) => Phase::Fetching,
            Stage::Previewing(_) => Phase::Preview,
            Stage::Applying(_) => Phase::Applying,
            Stage::Verifying(_) => Phase::Verifying,
            Stage::Done { .. } => Phase::Done,
            Stage::Failed(_) => Phase::Failed,
        }
    }

    /// The registers and their preview, once read.
    fn read(&self) -> Result<&Read> {
        match self {
            Stage::Previewing(read) => Ok(read),
            Stage::Applying(run) | Stage::Verifying(run) | Stage::Done { run, .. } => {
                Ok(&run.read)
            }
            Stage::Failed(failure) => Err(failure.clone()),
            Stage::Fetching(_) => Err(Error::Protocol(
                "the preview is ready when the fetch is complete: poll() and handle() until poll() returns nothing".into(),
            )),
        }
    }

    /// The next stage once a batch of answers is in, or this one while work is outstanding.
    fn advance(self, state: &SyncState, config: &SessionConfig) -> Stage {
        match self {
            Stage::Fetching(fetch) if fetch.is_complete() => {
                let fetched = fetch.finish();
                let preview = preview::build(&fetched, state, config);
                Stage::Previewing(Box::new(Read { fetched, preview }))
            }
            Stage::Applying(run) | Stage::Verifying(run) if run.apply.is_complete() => {
                let report = Box::new(run.report(state, config));
                Stage::Done { run, report }
            }
            Stage::Applying(run) if !run.apply.is_writing() => Stage::Verifying(run),
            stage => stage,
        }
    }
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
        let stage = Stage::Fetching(Box::new(Fetch::start(&config)));
        Ok(SyncSession {
            config,
            state,
            stage,
            plans: VecDeque::new(),
        })
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.stage.phase()
    }

    /// Requests to perform now; each is returned once. Empty when nothing is left to ask.
    pub fn poll(&mut self) -> Vec<HttpRequest> {
        match &mut self.stage {
            Stage::Fetching(fetch) => fetch.poll(),
            Stage::Applying(run) | Stage::Verifying(run) => run.apply.poll(),
            _ => Vec::new(),
        }
    }

    /// Takes answers, in any order. A failed or unreadable one ends the fetch with an error that
    /// names system, request and status; the session then stays failed.
    pub fn handle(&mut self, responses: &[HttpResponse]) -> Result<()> {
        match &mut self.stage {
            Stage::Failed(failure) => return Err(failure.clone()),
            Stage::Fetching(fetch) => {
                for response in responses {
                    if let Err(error) = fetch.handle(response, &self.config) {
                        self.stage = Stage::Failed(error.clone());
                        return Err(error);
                    }
                }
            }
            Stage::Applying(run) | Stage::Verifying(run) => {
                for response in responses {
                    run.apply.handle(response, &run.read.fetched)?;
                }
            }
            stage => {
                return Err(Error::Protocol(format!(
                    "handle() was called in phase {}, when no request is outstanding",
                    stage.phase().as_str()
                )))
            }
        }
        // The batch is in: move on where it finished a stage.
        self.stage = self.take_stage().advance(&self.state, &self.config);
        Ok(())
    }

    /// Runs the plan with this hash (only a plan this session made). A mass change runs only
    /// with `allow_mass_change`. The writes then come out of poll().
    pub fn apply(&mut self, hash: &str, allow_mass_change: bool) -> Result<()> {
        let Stage::Previewing(_) = &self.stage else {
            return Err(Error::Protocol(format!(
                "apply() needs the preview phase; the session is {}",
                self.phase().as_str()
            )));
        };
        let plan = self
            .plans
            .iter()
            .find(|p| p.hash == hash)
            .cloned()
            .ok_or_else(|| Error::StalePlan(hash.to_string()))?;
        if plan.needs_mass_change_approval && !allow_mass_change {
            return Err(Error::MassChangeRefused {
                why: plan.mass_change_reasons.join("; "),
            });
        }
        self.stage = match self.take_stage() {
            Stage::Previewing(read) => {
                let apply = Apply::start(&plan);
                let run = Box::new(Run {
                    read: *read,
                    plan,
                    apply,
                });
                if run.plan.operations.is_empty() {
                    // Nothing to write: the report says so at once.
                    let report = Box::new(run.report(&self.state, &self.config));
                    Stage::Done { run, report }
                } else {
                    Stage::Applying(run)
                }
            }
            stage => stage,
        };
        Ok(())
    }

    /// Stops an applying session safely: poll() gives no new write (the writes not yet handed
    /// out end `notRun`), the writes already handed out are still answered through handle(),
    /// and once they are, everyone touched is read back and report() works as after a whole run
    /// (its `nextState` records the pairs, so the connection is active). A write sent whose
    /// answer never came is answered `{ status: 0, error: { code: "aborted" } }` and ends
    /// `unknown`; one never sent, `{ status: 0, error: { code: "not_sent" } }`, `notRun`.
    /// Nothing to stop once verifying or done; before apply() there is nothing running to stop.
    pub fn stop(&mut self) -> Result<()> {
        match &mut self.stage {
            Stage::Applying(run) => run.apply.stop(),
            Stage::Verifying(_) | Stage::Done { .. } => return Ok(()),
            stage => {
                return Err(Error::Protocol(format!(
                    "stop() stops a running plan; the session is {}",
                    stage.phase().as_str()
                )))
            }
        }
        // Nothing was in flight: it verifies (or is done) at once.
        self.stage = self.take_stage().advance(&self.state, &self.config);
        Ok(())
    }

    /// True once a running plan was stopped.
    pub fn is_stopped(&self) -> bool {
        match &self.stage {
            Stage::Applying(run) | Stage::Verifying(run) | Stage::Done { run, .. } => {
                run.apply.is_stopped()
            }
            _ => false,
        }
    }

    /// The result, once the run and its verification are complete.
    pub fn report(&self) -> Result<&Report> {
        match &self.stage {
            Stage::Done { report, .. } => Ok(report),
            stage => Err(Error::Protocol(format!(
                "the report is ready when the session is done; it is {}",
                stage.phase().as_str()
            ))),
        }
    }

    /// Counts for a progress bar.
    pub fn progress(&self) -> FetchProgress {
        match &self.stage {
            Stage::Fetching(fetch) => fetch.progress(),
            // Once read, the counts as the fetch ended; a failed fetch shows nothing.
            stage => stage
                .read()
                .map_or_else(|_| FetchProgress::default(), |read| read.fetched.progress),
        }
    }

    /// The writes these decisions lead to. Pure: call it on every change of a decision; nothing
    /// runs until a plan is applied by its hash. A push decides by its own rules (`push.rs`)
    /// and takes no decisions.
    pub fn plan(&mut self, decisions: &Decisions) -> Result<Plan> {
        let Read { fetched, preview } = self.stage.read()?;
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
        match self.plans.iter_mut().find(|p| p.hash == plan.hash) {
            Some(kept) => *kept = plan.clone(),
            None => {
                if self.plans.len() >= KEPT_PLANS {
                    self.plans.pop_front();
                }
                self.plans.push_back(plan.clone());
            }
        }
        Ok(plan)
    }

    /// The conflicts and missing values, once both registers are read.
    pub fn preview(&mut self) -> Result<&Preview> {
        Ok(&self.stage.read()?.preview)
    }

    /// The stage, moved out for a transition; the caller puts the next one back.
    fn take_stage(&mut self) -> Stage {
        std::mem::replace(&mut self.stage, Stage::Fetching(Box::default()))
    }
}
