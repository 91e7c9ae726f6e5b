//! Reading a response body: the bytes that came off the wire, as UTF-8 JSON, into a struct that
//! names only the fields the core uses (the rest is skipped, never built), with its text borrowed
//! from the body until the adapter keeps it.

use crate::error::Error;
use crate::model::System;
use crate::request::HttpRequest;
use serde::de::{Deserializer, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// Why a body couldn't be read; the adapters put it in words for their system.
#[derive(Debug)]
pub enum Unreadable {
    /// Not UTF-8 text (`valid_up_to`: the bytes before the first bad one).
    NotUtf8 { valid_up_to: usize },
    /// Not JSON (a syntax error, or the text ends early).
    NotJson(serde_json::Error),
    /// JSON, but not of the expected shape (a missing field, a wrong type).
    Shape(serde_json::Error),
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::NotUtf8 { valid_up_to } => write!(
                f,
                "the body is not UTF-8 text (a bad byte after {valid_up_to} bytes)"
            ),
            Unreadable::NotJson(e) => write!(f, "the body is not JSON ({e})"),
            Unreadable::Shape(e) => write!(f, "{e}"),
        }
    }
}

/// The body as text, or why not.
pub fn text(body: &[u8]) -> Result<&str, Unreadable> {
    std::str::from_utf8(body).map_err(|e| Unreadable::NotUtf8 {
        valid_up_to: e.valid_up_to(),
    })
}

/// Reads `T` from the body. The whole body must be UTF-8 (checked once, so the JSON reader can
/// borrow its strings without checking them again) and JSON; `T`'s unknown fields are skipped.
pub fn json<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, Unreadable> {
    serde_json::from_str(text(body)?).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            Unreadable::NotJson(e)
        } else {
            Unreadable::Shape(e)
        }
    })
}

/// Reads an API's record from the body of the answer to `request`; an unreadable body is a
/// `malformed_response` naming the request, and `shape` words what it should have been ("have
/// Huma's shape").
pub fn read<'a, T: Deserialize<'a>>(
    system: System,
    request: &HttpRequest,
    body: &'a [u8],
    shape: &str,
) -> crate::error::Result<T> {
    json(body).map_err(|e| Error::MalformedResponse {
        system: system.key(),
        person: None,
        request: request.label(),
        reason: match e {
            Unreadable::Shape(e) => format!("the body doesn't {shape} ({e})"),
            e => e.to_string(),
        },
    })
}

/// A JSON string borrowed from the body, or owned where it had escapes to undo (serde's
/// `borrow` on a `Cow` does exactly that).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Text<'a>(#[serde(borrow)] pub Cow<'a, str>);

impl Text<'_> {
    /// `Some` unless blank, owned: what a record keeps.
    pub fn filled(this: Option<Self>) -> Option<String> {
        this.filter(|t| !t.0.trim().is_empty()).map(Text::owned)
    }

    /// Owned, for keeping.
    pub fn owned(self) -> String {
        self.0.into_owned()
    }
}

/// Any JSON value, kept only when it is a string: for fields that are text when they are
/// anything (an error body's message), so another type loses only itself.
pub struct Maybe<'a>(pub Option<Text<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for Maybe<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MaybeVisitor;
        impl<'de> Visitor<'de> for MaybeVisitor {
            type Value = Maybe<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Maybe(Some(Text(Cow::Borrowed(v)))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Maybe(Some(Text(Cow::Owned(v.to_owned())))))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Maybe(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Maybe(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Maybe(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Maybe(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Maybe(None))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Maybe(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Maybe(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Maybe(None))
            }
        }
        deserializer.deserialize_any(MaybeVisitor)
    }
}
