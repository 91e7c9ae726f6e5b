//! The JavaScript boundary: the only file that uses wasm-bindgen.
//!
//! Every `Error` leaves as a real JS `Error` named `CronaSyncError` with `code` and `details`;
//! the package's `index.js` gives it the `CronaSyncError` prototype so `instanceof` works.

use crate::bank::{self, Mode};
use crate::config::SessionConfig;
use crate::error::Error;
use crate::request::{HttpResponse, TransportError};
use crate::session::SyncSession;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The core's version, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    crate::version().to_string()
}

/// The field table: each field's key, label, API properties and whether it is required.
#[wasm_bindgen]
pub fn fields() -> Result<JsValue, JsValue> {
    to_js(&crate::model::fields())
}

/// Checks a session config, given as JSON text, and returns it with every default filled in.
///
/// Inputs cross as JSON text, not as JS objects: serde-wasm-bindgen reads only the fields a
/// struct declares, so unknown (mistyped) keys would pass unnoticed.
#[wasm_bindgen(js_name = checkConfig)]
pub fn check_config(config_json: &str) -> Result<JsValue, JsValue> {
    let checked = SessionConfig::from_json(config_json)?;
    to_js(&checked)
}

/// Validates a Swedish clearing number and account number (bank-accounts.md).
#[wasm_bindgen(js_name = validateBankAccount)]
pub fn validate_bank_account(
    clearing: &str,
    account: &str,
    lenient: bool,
) -> Result<JsValue, JsValue> {
    to_js(&bank::validate(clearing, account, mode(lenient)))
}

/// Reads one string (as typed into an HR field, or a Swedish IBAN) as clearing + account.
#[wasm_bindgen(js_name = parseBankAccount)]
pub fn parse_bank_account(text: &str, lenient: bool) -> Result<JsValue, JsValue> {
    to_js(&bank::parse(text, mode(lenient)))
}

fn mode(lenient: bool) -> Mode {
    if lenient {
        Mode::Lenient
    } else {
        Mode::Strict
    }
}

/// The sans-IO session, as JavaScript sees it (pkg/index.d.ts documents the shapes).
#[wasm_bindgen(js_name = SyncSession)]
pub struct JsSyncSession {
    inner: SyncSession,
}

#[wasm_bindgen(js_class = SyncSession)]
impl JsSyncSession {
    /// Starts a session from its config, given as JSON text.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<JsSyncSession, JsValue> {
        let config = SessionConfig::from_json(config_json)?;
        let inner = SyncSession::new(config)?;
        Ok(JsSyncSession { inner })
    }

    /// "fetching", "preview" or "failed".
    #[wasm_bindgen(getter)]
    pub fn phase(&self) -> String {
        self.inner.phase().as_str().to_string()
    }

    /// The requests to perform now.
    pub fn poll(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.poll())
    }

    /// Takes the answers (`{ id, status, body, error? }[]`), in any order. `body` is the bytes
    /// off the wire (a `Uint8Array`, copied once into the module) or text.
    pub fn handle(&mut self, responses: JsValue) -> Result<(), JsValue> {
        let responses = responses_from_js(&responses).map_err(|reason| Error::InvalidArgument {
            what: "responses".into(),
            reason: format!("must be a list of {{ id, status, body }} ({reason})"),
        })?;
        self.inner.handle(&responses)?;
        Ok(())
    }

    /// Counts for a progress bar.
    pub fn progress(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.progress())
    }

    /// The writes for these decisions (JSON text), with their hash and summary.
    pub fn plan(&mut self, decisions_json: &str) -> Result<JsValue, JsValue> {
        let decisions = crate::plan::decisions_from_json(decisions_json)?;
        let plan = self.inner.plan(&decisions)?;
        to_js(&plan)
    }

    /// Runs the plan with this hash; its writes then come out of poll().
    pub fn apply(&mut self, hash: &str, allow_mass_change: bool) -> Result<(), JsValue> {
        self.inner.apply(hash, allow_mass_change)?;
        Ok(())
    }

    /// Stops a running plan: no new write, the writes handed out still answered, then the
    /// read-back and the report as after a whole run.
    pub fn stop(&mut self) -> Result<(), JsValue> {
        self.inner.stop()?;
        Ok(())
    }

    /// The result, once the session is done.
    pub fn report(&self) -> Result<JsValue, JsValue> {
        let report = self.inner.report()?;
        to_js(report)
    }

    /// The conflicts and missing values, once the fetch is complete.
    pub fn preview(&mut self) -> Result<JsValue, JsValue> {
        let preview = self.inner.preview()?;
        to_js(preview)
    }
}

/// The runner's answers, read property by property: only what the core uses crosses (not the
/// headers), and a body crosses as bytes, with no detour through UTF-16.
fn responses_from_js(list: &JsValue) -> Result<Vec<HttpResponse>, String> {
    let list = list.dyn_ref::<js_sys::Array>().ok_or("not an array")?;
    list.iter()
        .enumerate()
        .map(|(i, r)| response_from_js(&r).map_err(|e| format!("answer {i}: {e}")))
        .collect()
}

fn response_from_js(r: &JsValue) -> Result<HttpResponse, String> {
    if !r.is_object() {
        return Err("not an object".into());
    }
    let get = |key: &str| js_sys::Reflect::get(r, &JsValue::from_str(key)).unwrap_or_default();
    let id = get("id").as_string().ok_or("id must be a string")?;
    let status = get("status")
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(s))
        .ok_or("status must be a whole number (0: no answer)")?;
    let body = get("body");
    let body = if body.is_undefined() || body.is_null() {
        Vec::new()
    } else if let Some(text) = body.as_string() {
        text.into_bytes()
    } else if let Some(bytes) = body.dyn_ref::<js_sys::Uint8Array>() {
        bytes.to_vec()
    } else {
        return Err("body must be a Uint8Array or a string".into());
    };
    let error = get("error");
    let error = if error.is_undefined() || error.is_null() {
        None
    } else {
        let text = |key: &str| {
            js_sys::Reflect::get(&error, &JsValue::from_str(key))
                .ok()?
                .as_string()
        };
        Some(TransportError {
            code: text("code").ok_or("error.code must be a string")?,
            message: text("message").ok_or("error.message must be a string")?,
        })
    };
    Ok(HttpResponse {
        id,
        // Checked above to be a whole number in range.
        status: status as u16,
        body,
        error,
    })
}

/// Plain JSON-compatible objects (maps become objects, not `Map`s).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    // Measured against JSON text + JSON.parse (npm run bench): building the objects directly is
    // faster for a plan (4.5 against 6 ms at 10,000 people), for 4 KB more of module.
    let js = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::InvalidArgument {
            what: "result".into(),
            reason: e.to_string(),
        })?;
    Ok(js)
}

/// Turns a core error into a JS `Error` with `name`, `code` and `details`, so `?` converts at
/// the boundary.
impl From<Error> for JsValue {
    fn from(error: Error) -> Self {
        let js = js_sys::Error::new(&error.to_string());
        js.set_name("CronaSyncError");
        let details = to_js(&error.details()).unwrap_or(JsValue::NULL);
        // Reflect::set only fails on frozen or proxied objects; a fresh Error is neither.
        let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code().into());
        let _ = js_sys::Reflect::set(&js, &"details".into(), &details);
        js.into()
    }
}

/// Unicode NFC by the JavaScript engine's own `String.prototype.normalize`, which keeps some
/// 60 KB (gzipped) of tables out of the module (`normalize::text` uses it in WebAssembly).
pub(crate) fn nfc(s: &str) -> String {
    String::from(js_sys::JsString::from(s).normalize("NFC"))
}
