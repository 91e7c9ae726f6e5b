//! Running an approved plan (DOMAIN.md §1.2, §3.5): its requests come out of poll(); a dependent
//! request follows its parent's answer; one failure never stops the others. Then everyone
//! touched is fetched again so the report can say what is still different.
//!
//! A run can be stopped (`stop()`): nothing more is written, the writes already handed out are
//! still answered, and then everyone touched is read back as after a whole run. A write whose
//! answer never came (the runner stopped waiting after sending it) may have been written: it
//! ends `Unknown`, never `Done` or `Failed`.

use crate::diff::PersonRef;
use crate::error::Result;
use crate::fetch::Fetched;
use crate::model::{Person, System, Written};
use crate::outbox::Outbox;
use crate::plan::{Operation, OperationKind, Plan, WriteRow};
use crate::request::{HttpRequest, HttpResponse};
use crate::state::Pair;
use crate::{crona, huma};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How an operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Written.
    Done,
    /// Refused or unanswered; nothing was changed by it (as far as the answer says).
    Failed,
    /// A create found the person already there (Crona 409): paired, not created twice.
    AlreadyExisted,
    /// Never sent (the run was stopped first).
    NotRun,
    /// Sent, but its answer never came (the runner stopped waiting): it may have been written.
    Unknown,
}

/// Why a runner answered a write without an HTTP answer (status 0, `error.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoAnswer {
    /// `not_sent`: the runner never sent it (the run was stopped first).
    NotSent,
    /// `aborted`: sent, then the runner stopped waiting for the answer.
    Abandoned,
}

impl NoAnswer {
    /// Other transport errors (`network_error`, `retries_exhausted`) stay failures, as before.
    fn of(r: &HttpResponse) -> Option<Self> {
        match (r.status, r.error.as_ref().map(|e| e.code.as_str())) {
            (0, Some("not_sent")) => Some(NoAnswer::NotSent),
            (0, Some("aborted")) => Some(NoAnswer::Abandoned),
            _ => None,
        }
    }
}

/// What a stopped run's report says of a write that never left.
const NOT_SENT: &str = "Not sent: the run stopped first.";
/// ...and of one whose answer never came.
const MAY_HAVE_BEEN_WRITTEN: &str =
    "Sent, but the run stopped before the answer came: it may have been written.";

/// One operation's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationOutcome {
    /// The plan's operation id (a Huma create's follow-up adds `:details`).
    pub operation_id: String,
    /// Which of the operation's requests.
    #[serde(skip)]
    pub part: Part,
    /// What it did.
    pub kind: OperationKind,
    /// Who.
    pub person: PersonRef,
    /// What it wrote.
    pub fields: Vec<Written>,
    /// How it ended.
    pub outcome: Outcome,
    /// The HTTP status (0: no answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The API's error code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The API's error message, or why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The system written to.
    pub system: System,
    /// The exact writes it concerns, before → after: the operation's rows, or its follow-up's.
    /// A Huma create that wasn't done carries its follow-up's rows too: none of them was written.
    pub writes: Vec<WriteRow>,
}

/// The rows an outcome of `op` concerns: the part's own, and, when a Huma create wasn't done,
/// the follow-up's that will never be sent.
fn writes_of(op: &Operation, part: Part, outcome: Outcome) -> Vec<WriteRow> {
    match part {
        Part::FollowUp => op.then_writes.clone(),
        Part::Request if outcome == Outcome::Done => op.writes.clone(),
        Part::Request => op.writes.iter().chain(&op.then_writes).cloned().collect(),
    }
}

/// Which request of an operation an outcome is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Part {
    /// The operation's request.
    #[default]
    Request,
    /// A Huma create's PATCH of the rest, once Huma has given the id.
    FollowUp,
}

#[derive(Debug, Clone)]
enum Step {
    Op(usize),
    HumaDetails { op: usize, huma_id: String },
    CronaExisting { op: usize },
    VerifyHuma(String),
    VerifyCrona(String),
}

/// The applying and verifying phases.
#[derive(Debug, Default)]
pub struct Apply {
    ops: Vec<Operation>,
    bank: crate::bank::Mode,
    outbox: Outbox<Step>,
    /// By operation id and part.
    outcomes: BTreeMap<(String, Part), OperationOutcome>,
    /// (Huma id, AnstNr) of everyone written or created.
    touched: BTreeSet<Pair>,
    verifying: bool,
    /// Stopped: no new write is handed out.
    stopped: bool,
    /// People as they are after the writes.
    pub fresh_huma: BTreeMap<String, Person>,
    /// Employees as they are after the writes.
    pub fresh_crona: BTreeMap<String, Person>,
    /// Re-fetches that failed (the report says the result couldn't be checked).
    pub unverified: Vec<String>,
}

impl Apply {
    /// Starts running `plan`.
    pub fn start(plan: &Plan) -> Self {
        let mut a = Apply {
            ops: plan.operations.clone(),
            bank: plan.bank,
            ..Apply::default()
        };
        for (i, op) in plan.operations.iter().enumerate() {
            a.send(op.request.clone(), Step::Op(i));
        }
        a
    }

    fn send(&mut self, request: HttpRequest, step: Step) {
        self.outbox.send(request, step);
    }

    /// Requests to perform now.
    pub fn poll(&mut self) -> Vec<HttpRequest> {
        self.outbox.poll()
    }

    /// Stops writing: the writes not yet handed out are never sent (their operations end
    /// `NotRun`), and no follow-up is started; the ones handed out are still answered through
    /// handle(). Once they are, everyone touched is read back as after a whole run. Does nothing
    /// once verifying.
    pub fn stop(&mut self) {
        if self.verifying || self.stopped {
            return;
        }
        self.stopped = true;
        let withdrawn = self
            .outbox
            .withdraw(|step| matches!(step, Step::Op(_) | Step::HumaDetails { .. }));
        for step in withdrawn {
            if let Step::HumaDetails { op, huma_id } = step {
                self.details_not_run(op, huma_id);
            }
        }
        if self.outbox.is_idle() {
            self.start_verifying();
        }
    }

    /// True once stop() was called.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// True while writes are outstanding (false once verifying).
    pub fn is_writing(&self) -> bool {
        !self.verifying
    }

    /// True when everything, verification included, is answered.
    pub fn is_complete(&self) -> bool {
        self.verifying && self.outbox.is_idle()
    }

    /// Takes one answer; once every write is answered, starts reading everyone touched back.
    pub fn handle(&mut self, r: &HttpResponse, fetched: &Fetched) -> Result<()> {
        let (request, step) = self.outbox.answer(r)?;
        let ok = (200..300).contains(&r.status);
        // `None`: the step names no operation of the plan (never, as steps are made from it).
        let answered = match step {
            Step::Op(i) => self.operation_answered(i, &request, r, ok, fetched),
            Step::HumaDetails { op, huma_id } => self.details_answered(op, huma_id, r, ok),
            Step::CronaExisting { op } => self.existing_answered(op, &request, r, ok),
            Step::VerifyHuma(id) => {
                match ok.then(|| huma::read_user_details(&request, &r.body)) {
                    Some(Ok(p)) => {
                        self.fresh_huma.insert(id, p);
                    }
                    _ => self.unverified.push(request.label()),
                }
                Some(())
            }
            Step::VerifyCrona(anst) => {
                match ok.then(|| crona::read_employee(&request, &r.body)) {
                    Some(Ok(p)) => {
                        self.fresh_crona.insert(anst, p);
                    }
                    _ => self.unverified.push(request.label()),
                }
                Some(())
            }
        };
        if answered.is_some() && !self.verifying && self.outbox.is_idle() {
            self.start_verifying();
        }
        Ok(())
    }

    /// How operation `i` ended. An existing pair is checked again whatever happened, a create
    /// only if it worked. A Huma create's answer must name a new user; a Crona create refused
    /// with 409 reads the employee already there before anything is decided.
    fn operation_answered(
        &mut self,
        i: usize,
        request: &HttpRequest,
        r: &HttpResponse,
        ok: bool,
        fetched: &Fetched,
    ) -> Option<()> {
        let op = self.ops.get(i).cloned()?;
        let update = matches!(
            op.kind,
            OperationKind::UpdateCrona | OperationKind::UpdateHuma
        );
        match NoAnswer::of(r) {
            // Never left: nothing recorded, so it reads as not run.
            Some(NoAnswer::NotSent) => return Some(()),
            Some(NoAnswer::Abandoned) => {
                // Read an update back; a create's person is found by the next sync, if it was made.
                if update {
                    self.touch(&op, None);
                }
                let note = Some(MAY_HAVE_BEEN_WRITTEN.to_string());
                self.record(&op, Part::Request, Outcome::Unknown, r, note);
                return Some(());
            }
            None => {}
        }
        if ok
            || matches!(
                op.kind,
                OperationKind::UpdateCrona | OperationKind::UpdateHuma
            )
        {
            self.touch(&op, None);
        }
        let created = (ok && op.kind == OperationKind::CreateHuma)
            .then(|| huma::read_created_user(request, &r.body));
        match created {
            Some(Err(e)) => {
                // Huma took the create but the answer can't be read: report it, never guess.
                let note = format!("Huma answered the create with something unreadable ({e}); the user may exist. Check Huma before running again.");
                self.record(&op, Part::Request, Outcome::Failed, r, Some(note));
            }
            Some(Ok(id)) if self.is_known_huma_user(&id, fetched) => {
                let note = format!("Huma answered the create with the id {id}, which belongs to a user who was already there; nothing more was written to them. Check Huma before running again.");
                self.record(&op, Part::Request, Outcome::Failed, r, Some(note));
            }
            Some(Ok(id)) => self.huma_created(i, &op, request, r, id, fetched),
            None if ok => self.record(&op, Part::Request, Outcome::Done, r, None),
            None if r.status == 409 && op.kind == OperationKind::CreateCrona => {
                // Already there (an earlier, interrupted run): read it and pair, never create twice.
                let anst = op.person.anst_nr.clone().unwrap_or_default();
                self.send(
                    crona::employee(format!("{}:existing", request.id), &anst),
                    Step::CronaExisting { op: i },
                );
            }
            None => self.record(&op, Part::Request, Outcome::Failed, r, None),
        }
        Some(())
    }

    /// True when a Huma id names someone already there (read in the fetch, or made by another
    /// create of this run): a create answered with it made no new user, and nothing more is
    /// written to them.
    fn is_known_huma_user(&self, id: &str, fetched: &Fetched) -> bool {
        fetched.lookup().huma.get(id).is_some() || self.touched.iter().any(|p| p.huma_id == id)
    }

    /// A Huma user created by operation `i` with the new `id`: done and touched, and, when the
    /// plan has fields for it and the Crona employee they come from, the follow-up PATCH that
    /// writes them.
    fn huma_created(
        &mut self,
        i: usize,
        op: &Operation,
        request: &HttpRequest,
        r: &HttpResponse,
        id: String,
        fetched: &Fetched,
    ) {
        self.touch(op, Some(&id));
        self.record(op, Part::Request, Outcome::Done, r, None);
        let from = op.person.anst_nr.as_deref().and_then(|a| {
            fetched
                .crona
                .iter()
                .find(|p| p.values.employment_id.as_deref() == Some(a))
        });
        if let (Some(_), false, true) = (from, op.then_fields.is_empty(), self.stopped) {
            // Stopped: the user exists, the rest of their values are not sent.
            self.details_not_run(i, id);
        } else if let (Some(from), false) = (from, op.then_fields.is_empty()) {
            let follow = huma::update_user(
                format!("{}:details", request.id),
                &id,
                &from.values,
                &op.then_fields,
                None,
                self.bank,
            );
            self.send(follow, Step::HumaDetails { op: i, huma_id: id });
        }
    }

    /// How the follow-up PATCH of Huma create `op` ended: its own outcome (`<id>:details`), for
    /// the fields it carried, under the new user's id.
    fn details_answered(
        &mut self,
        op: usize,
        huma_id: String,
        r: &HttpResponse,
        ok: bool,
    ) -> Option<()> {
        let details = self.details(op, huma_id)?;
        match NoAnswer::of(r) {
            Some(NoAnswer::NotSent) => self.record_not_run(&details, Part::FollowUp),
            Some(NoAnswer::Abandoned) => {
                let note = Some(MAY_HAVE_BEEN_WRITTEN.to_string());
                self.record(&details, Part::FollowUp, Outcome::Unknown, r, note);
            }
            None => {
                let outcome = if ok { Outcome::Done } else { Outcome::Failed };
                self.record(&details, Part::FollowUp, outcome, r, None);
            }
        }
        Some(())
    }

    /// The follow-up PATCH of Huma create `op`, as an operation of its own.
    fn details(&self, op: usize, huma_id: String) -> Option<Operation> {
        let op = self.ops.get(op)?;
        let mut details = op.clone();
        details.fields = op.then_fields.iter().map(|&f| Written::Field(f)).collect();
        details.person.huma_id = Some(huma_id);
        Some(details)
    }

    /// The follow-up of Huma create `op` was never sent (the run stopped).
    fn details_not_run(&mut self, op: usize, huma_id: String) {
        if let Some(details) = self.details(op, huma_id) {
            self.record_not_run(&details, Part::FollowUp);
        }
    }

    /// How Crona create `op`, refused with 409, ends once the employee already there is read:
    /// paired (already existed) only when it is the same person, by the same work e-mail;
    /// otherwise failed.
    fn existing_answered(
        &mut self,
        op: usize,
        request: &HttpRequest,
        r: &HttpResponse,
        ok: bool,
    ) -> Option<()> {
        let op = self.ops.get(op).cloned()?;
        let existing = if ok {
            crona::read_employee(request, &r.body).ok()
        } else {
            None
        };
        let email = |v: Option<&str>| v.map(crate::normalize::email).unwrap_or_default();
        let ours = email(op.person.email.as_deref());
        match existing {
            Some(e) if !ours.is_empty() && email(e.values.email.as_deref()) == ours => {
                self.touch(&op, None);
                let note = "Crona already had this AnstNr (409) for the same e-mail; the employee was paired, not created again.";
                self.record(
                    &op,
                    Part::Request,
                    Outcome::AlreadyExisted,
                    r,
                    Some(note.into()),
                );
            }
            Some(e) => {
                let other = e.values.email.unwrap_or_else(|| "no e-mail".into());
                let anst = op.person.anst_nr.as_deref().unwrap_or("");
                let note = format!("Crona already has AnstNr {anst} for another employee ({other}); nothing was created or paired.");
                self.record(&op, Part::Request, Outcome::Failed, r, Some(note));
            }
            None => {
                let note = "Crona said the AnstNr exists (409) but the employee couldn't be read.";
                self.record(&op, Part::Request, Outcome::Failed, r, Some(note.into()));
            }
        }
        Some(())
    }

    fn touch(&mut self, op: &Operation, created_huma_id: Option<&str>) {
        let huma = created_huma_id
            .map(str::to_string)
            .or_else(|| op.person.huma_id.clone())
            .unwrap_or_default();
        let anst = op.person.anst_nr.clone().unwrap_or_default();
        if !huma.is_empty() && !anst.is_empty() {
            self.touched.insert(Pair {
                huma_id: huma,
                anst_nr: anst,
            });
        }
    }

    fn record_not_run(&mut self, op: &Operation, part: Part) {
        self.outcomes
            .insert((op.id.clone(), part), not_run(op, part));
    }

    fn record(
        &mut self,
        op: &Operation,
        part: Part,
        outcome: Outcome,
        r: &HttpResponse,
        note: Option<String>,
    ) {
        let system = op.request.system;
        let (code, text) = crate::fetch::api_error(system, &r.body);
        let failed = outcome == Outcome::Failed;
        let message = note.or_else(|| {
            failed.then(|| match (&r.error, text) {
                (Some(e), _) => e.message.clone(),
                (None, Some(t)) => t,
                (None, None) => format!("status {}", r.status),
            })
        });
        let code = if failed {
            code.or_else(|| r.error.as_ref().map(|e| e.code.clone()))
        } else {
            None
        };
        self.outcomes.insert(
            (op.id.clone(), part),
            OperationOutcome {
                outcome,
                status: Some(r.status),
                code,
                message,
                system,
                writes: writes_of(op, part, outcome),
                ..not_run(op, part)
            },
        );
    }

    /// Everyone written or created, fetched again from both systems: each record once, even
    /// when a create's answer named someone another pair holds (request ids stay unique).
    fn start_verifying(&mut self) {
        self.verifying = true;
        let huma: BTreeSet<String> = self.touched.iter().map(|p| p.huma_id.clone()).collect();
        let crona: BTreeSet<String> = self.touched.iter().map(|p| p.anst_nr.clone()).collect();
        for huma_id in huma {
            self.send(
                huma::user_details(format!("verify:huma:{huma_id}"), &huma_id),
                Step::VerifyHuma(huma_id),
            );
        }
        for anst in crona {
            self.send(
                crona::employee(format!("verify:crona:{anst}"), &anst),
                Step::VerifyCrona(anst),
            );
        }
    }

    /// Every operation's outcome, in plan order (never sent: NotRun), follow-ups after their parent.
    pub fn outcomes(&self) -> Vec<OperationOutcome> {
        let mut out = Vec::new();
        for op in &self.ops {
            match self.outcomes.get(&(op.id.clone(), Part::Request)) {
                Some(o) => out.push(o.clone()),
                None => out.push(not_run(op, Part::Request)),
            }
            if let Some(details) = self.outcomes.get(&(op.id.clone(), Part::FollowUp)) {
                out.push(details.clone());
            }
        }
        out
    }

    /// The pairs written or created.
    pub fn touched(&self) -> &BTreeSet<Pair> {
        &self.touched
    }
}

/// `op` (or its follow-up) as never sent; record() fills in how a sent one ended.
fn not_run(op: &Operation, part: Part) -> OperationOutcome {
    let operation_id = match part {
        Part::Request => op.id.clone(),
        Part::FollowUp => format!("{}:details", op.id),
    };
    OperationOutcome {
        operation_id,
        part,
        kind: op.kind,
        person: op.person.clone(),
        fields: op.fields.clone(),
        outcome: Outcome::NotRun,
        status: None,
        code: None,
        message: Some(NOT_SENT.into()),
        system: op.request.system,
        writes: writes_of(op, part, Outcome::NotRun),
    }
}
