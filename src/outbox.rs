//! The requests a phase has asked for: queued until the runner polls, then pending until their
//! answer comes back by id. The fetch and the apply each keep one, with their own note of what
//! each request was for.

use crate::error::{Error, Result};
use crate::request::{HttpRequest, HttpResponse};
use std::collections::HashMap;

/// Requests to hand out and requests awaiting an answer, each with what it was for (`T`).
#[derive(Debug)]
pub struct Outbox<T> {
    /// Not yet handed to the runner.
    queued: Vec<HttpRequest>,
    /// Asked and not yet answered (queued ones included), by request id. Hashed: only looked
    /// up, and ids share long prefixes ("huma:positions:") that a tree compares at every step.
    pending: HashMap<String, (HttpRequest, T)>,
}

// By hand: a derive would ask `T: Default`, which what-it-was-for notes needn't be.
impl<T> Default for Outbox<T> {
    fn default() -> Self {
        Outbox {
            queued: Vec::new(),
            pending: HashMap::new(),
        }
    }
}

impl<T> Outbox<T> {
    /// Asks for `request`; the runner gets it on the next poll().
    pub fn send(&mut self, request: HttpRequest, about: T) {
        self.queued.push(request.clone());
        self.pending.insert(request.id.clone(), (request, about));
    }

    /// Requests not yet handed to the runner; each is returned once.
    pub fn poll(&mut self) -> Vec<HttpRequest> {
        std::mem::take(&mut self.queued)
    }

    /// The request this answers and what it was for; it is no longer pending. An answer to
    /// nothing outstanding (unknown, or answered already) is a protocol error.
    pub fn answer(&mut self, response: &HttpResponse) -> Result<(HttpRequest, T)> {
        self.pending.remove(&response.id).ok_or_else(|| {
            Error::Protocol(format!(
                "a response with id {:?} arrived, but no such request is outstanding",
                response.id
            ))
        })
    }

    /// Takes back the queued requests (not yet handed to the runner) whose note `which`
    /// picks: they are no longer pending, and will never be handed out. Returns their notes.
    pub fn withdraw(&mut self, which: impl Fn(&T) -> bool) -> Vec<T> {
        let mut taken = Vec::new();
        let pending = &mut self.pending;
        self.queued.retain(|request| {
            let picked = pending
                .get(&request.id)
                .is_some_and(|(_, about)| which(about));
            if picked {
                if let Some((_, about)) = pending.remove(&request.id) {
                    taken.push(about);
                }
            }
            !picked
        });
        taken
    }

    /// How many requests await an answer.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// True when nothing is queued or awaiting an answer.
    pub fn is_idle(&self) -> bool {
        self.pending.is_empty() && self.queued.is_empty()
    }
}
