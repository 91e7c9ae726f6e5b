//! The one error type of the core. Callers branch on [`Error::code`], never on the message.

use serde_json::{json, Value};

/// Everything that can go wrong inside the core, as a value (the core never panics on input).
///
/// Each variant has a stable machine code ([`Error::code`]), a message for people
/// (`Display`), and structured [`Error::details`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A session setting is missing, of the wrong type, or out of range.
    #[error("invalid setting `{field}`: {reason}")]
    InvalidConfig {
        /// The setting's path in the config object, e.g. `options.pageSize`.
        field: String,
        /// What is wrong with it, in words.
        reason: String,
    },
    /// A system answered a fetch with an error status, or the runner got no answer.
    #[error("{request} failed: {reason}")]
    FetchFailed {
        /// Which system.
        system: &'static str,
        /// "Huma GET /users".
        request: String,
        /// The HTTP status; 0 when no answer arrived.
        status: u16,
        /// What went wrong, with the API's own error text where it gave one.
        reason: String,
        /// The Huma user whose read failed, when it concerns one person.
        person: Option<String>,
    },
    /// A system answered 2xx with a body that isn't what its API returns.
    #[error("{request} returned a response crona-sync can't read: {reason}")]
    MalformedResponse {
        /// Which system.
        system: &'static str,
        /// "Crona GET /api/v1/employees".
        request: String,
        /// What is wrong with it.
        reason: String,
        /// The Huma user whose read failed, when it concerns one person.
        person: Option<String>,
    },
    /// A paged listing didn't add up to the total the API reported (DOMAIN.md §3.5).
    #[error(
        "{request} ({page}) is incomplete: {reason}. Nothing is written on a partial register."
    )]
    IncompleteListing {
        /// Which system.
        system: &'static str,
        /// "Huma GET /users".
        request: String,
        /// Which page: "offset 50", "page 2".
        page: String,
        /// What didn't add up.
        reason: String,
    },
    /// `apply` named a plan this session didn't make, or not the latest one.
    #[error("no plan with hash {0} was made in this session; plan again and approve the new plan")]
    StalePlan(String),
    /// The plan changes more people than the mass-change guard allows, without approval.
    #[error(
        "this plan needs approval as a mass change ({why}); approve it (allowMassChange) to run it"
    )]
    MassChangeRefused {
        /// Why, in words: "it writes 51 fields, more than 50".
        why: String,
    },
    /// The runner handed back something the session didn't ask for, or called it out of turn.
    #[error("{0}")]
    Protocol(String),
    /// A value handed in by the caller (not from an API) has the wrong shape.
    #[error("invalid {what}: {reason}")]
    InvalidArgument {
        /// What the caller handed in, e.g. `config`.
        what: String,
        /// What is wrong with it, in words.
        reason: String,
    },
}

impl Error {
    /// The stable code, e.g. `"invalid_config"`. Never changes once released.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidConfig { .. } => "invalid_config",
            Error::InvalidArgument { .. } => "invalid_argument",
            Error::FetchFailed { status: 401, .. } => "fetch_unauthorized",
            Error::FetchFailed { status: 403, .. } => "fetch_forbidden",
            Error::FetchFailed { status: 404, .. } => "fetch_not_found",
            Error::FetchFailed { status, .. } if transient_status(*status) => "fetch_unavailable",
            Error::FetchFailed { .. } => "fetch_failed",
            Error::MalformedResponse { .. } => "malformed_response",
            Error::IncompleteListing { .. } => "incomplete_listing",
            Error::StalePlan(_) => "stale_plan",
            Error::MassChangeRefused { .. } => "mass_change_refused",
            Error::Protocol(_) => "protocol_error",
        }
    }

    /// True when trying again later may succeed (no answer, 408, 429, 5xx, a listing that
    /// changed while it was read): runners retry these, and hold the rest for a person.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::FetchFailed { status, .. } => transient_status(*status),
            Error::IncompleteListing { .. } => true,
            _ => false,
        }
    }

    /// The Huma user a fetch failure concerns, when it concerns one person (a push reads people
    /// one by one: one unreadable person needn't hold up the rest).
    pub fn person(&self) -> Option<&str> {
        match self {
            Error::FetchFailed { person, .. } | Error::MalformedResponse { person, .. } => {
                person.as_deref()
            }
            _ => None,
        }
    }

    /// The same failure, said to concern this Huma user.
    pub(crate) fn about(self, huma_id: &str) -> Self {
        match self {
            Error::FetchFailed {
                system,
                request,
                status,
                reason,
                ..
            } => Error::FetchFailed {
                system,
                request,
                status,
                reason,
                person: Some(huma_id.to_string()),
            },
            Error::MalformedResponse {
                system,
                request,
                reason,
                ..
            } => Error::MalformedResponse {
                system,
                request,
                reason,
                person: Some(huma_id.to_string()),
            },
            other => other,
        }
    }

    /// Structured facts about the error, for programs (field names, values, limits). Fetch
    /// failures also say whether they are `transient` and, when one person's read failed, whose
    /// (`humaUserId`).
    pub fn details(&self) -> Value {
        let mut details = self.facts();
        if let (Some(map), true) = (
            details.as_object_mut(),
            matches!(
                self,
                Error::FetchFailed { .. }
                    | Error::MalformedResponse { .. }
                    | Error::IncompleteListing { .. }
            ),
        ) {
            map.insert("transient".into(), self.is_transient().into());
            if let Some(person) = self.person() {
                map.insert("humaUserId".into(), person.into());
            }
        }
        details
    }

    fn facts(&self) -> Value {
        match self {
            Error::InvalidConfig { field, reason } => json!({ "field": field, "reason": reason }),
            Error::InvalidArgument { what, reason } => json!({ "what": what, "reason": reason }),
            Error::FetchFailed {
                system,
                request,
                status,
                reason,
                ..
            } => {
                json!({ "system": system, "request": request, "status": status, "reason": reason })
            }
            Error::MalformedResponse {
                system,
                request,
                reason,
                ..
            } => {
                json!({ "system": system, "request": request, "reason": reason })
            }
            Error::IncompleteListing {
                system,
                request,
                page,
                reason,
            } => {
                json!({ "system": system, "request": request, "page": page, "reason": reason })
            }
            Error::StalePlan(hash) => json!({ "hash": hash }),
            Error::MassChangeRefused { why } => json!({ "why": why }),
            Error::Protocol(reason) => json!({ "reason": reason }),
        }
    }

    pub(crate) fn config(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidConfig {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// No answer (0), a timeout, a rate limit or a server error: worth another try. The one rule
/// for fetches and writes alike.
pub fn transient_status(status: u16) -> bool {
    matches!(status, 0 | 408 | 429) || status >= 500
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_distinct_snake_case_code() {
        let fetch = |status| Error::FetchFailed {
            system: "huma",
            request: "Huma GET /users".into(),
            status,
            reason: "x".into(),
            person: None,
        };
        let all = [
            Error::config("today", "not a date"),
            Error::InvalidArgument {
                what: "config".into(),
                reason: "not an object".into(),
            },
            fetch(401),
            fetch(403),
            fetch(404),
            fetch(400),
            fetch(503),
            Error::MalformedResponse {
                system: "crona",
                request: "Crona GET /api/v1/employees".into(),
                reason: "not JSON".into(),
                person: None,
            },
            Error::IncompleteListing {
                system: "huma",
                request: "Huma GET /users".into(),
                page: "offset 50".into(),
                reason: "short".into(),
            },
            Error::Protocol("unknown response id".into()),
            Error::StalePlan("0".into()),
            Error::MassChangeRefused {
                why: "it changes 12 of 12 people".into(),
            },
        ];
        let codes: Vec<_> = all.iter().map(Error::code).collect();
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            unique.len(),
            codes.len(),
            "codes must be distinct: {codes:?}"
        );
        assert!(codes
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
    }

    #[test]
    fn a_failed_read_says_whether_to_try_again_and_whose_it_was() {
        let fetch = |status| Error::FetchFailed {
            system: "huma",
            request: "Huma GET /users/u-1".into(),
            status,
            reason: "x".into(),
            person: None,
        };
        let codes: Vec<_> = [0, 408, 429, 500, 503, 400, 404]
            .map(|s| (fetch(s).code(), fetch(s).is_transient()))
            .to_vec();
        assert_eq!(
            codes,
            vec![
                ("fetch_unavailable", true),
                ("fetch_unavailable", true),
                ("fetch_unavailable", true),
                ("fetch_unavailable", true),
                ("fetch_unavailable", true),
                ("fetch_failed", false),
                ("fetch_not_found", false),
            ]
        );
        let theirs = fetch(503).about("u-1");
        assert_eq!(theirs.details()["humaUserId"], "u-1");
        assert_eq!(theirs.details()["transient"], true);
        assert_eq!(fetch(400).details().get("humaUserId"), None);
    }

    #[test]
    fn invalid_config_names_the_field_in_message_and_details() {
        let e = Error::config("options.pageSize", "must be between 1 and 50; got 80");
        assert_eq!(
            e.to_string(),
            "invalid setting `options.pageSize`: must be between 1 and 50; got 80"
        );
        assert_eq!(e.details()["field"], "options.pageSize");
    }
}
