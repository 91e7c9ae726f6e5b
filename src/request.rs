//! What the core asks the runner to send, and what the runner hands back (DESIGN.md §3).

use crate::model::System;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// HTTP methods the core uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// Read.
    Get,
    /// Create.
    Post,
    /// Update the given fields.
    Patch,
}

impl Method {
    /// As HTTP writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
        }
    }
}

/// A request for the runner to perform. `path` is relative to the system's base URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRequest {
    /// Unique within the session; the response carries it back.
    pub id: String,
    /// Which base URL and credentials to use.
    pub system: System,
    /// GET, POST or PATCH.
    pub method: Method,
    /// E.g. `/users/0b6f…`.
    pub path: String,
    /// Each key's values become repeated keys (`team=a&team=b`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub query: BTreeMap<String, Vec<String>>,
    /// JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A POST that may be repeated after a network failure (a repeat can't create twice).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub idempotent: bool,
}

impl HttpRequest {
    /// A GET without query parameters.
    pub fn get(id: String, system: System, path: String) -> Self {
        HttpRequest {
            id,
            system,
            method: Method::Get,
            path,
            query: BTreeMap::new(),
            body: None,
            idempotent: false,
        }
    }

    /// Adds query parameters.
    pub fn with_query(mut self, key: &str, values: impl IntoIterator<Item = String>) -> Self {
        let values: Vec<String> = values.into_iter().collect();
        if !values.is_empty() {
            self.query.insert(key.to_string(), values);
        }
        self
    }

    /// "GET /users", for messages.
    pub fn label(&self) -> String {
        format!(
            "{} {} {}",
            self.system.name(),
            self.method.as_str(),
            self.path
        )
    }
}

/// What the runner got back. `status` 0 means no HTTP answer arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The request's id.
    pub id: String,
    /// HTTP status, or 0.
    pub status: u16,
    /// The body as it came off the wire: the core reads it as UTF-8 JSON, and only the fields it
    /// uses (`"…".into()` for a text body).
    pub body: Vec<u8>,
    /// Set when the runner gave up (network failure, retries exhausted).
    pub error: Option<TransportError>,
}

/// Why the runner gave up on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// `network_error` or `retries_exhausted`.
    pub code: String,
    /// In words, naming system, request and attempts.
    pub message: String,
}

/// One path segment, percent-encoded: an id from an API can never reach another path.
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
