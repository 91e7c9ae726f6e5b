//! The session settings: what the runner hands the core, checked once, with defaults filled in.
//!
//! "Today" and "now" come in here because the core has no clock (DESIGN.md §1).

use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Huma accepts at most this many ids in one `company`/`team`/`location` filter (huma-api.md §3.1).
const MAX_SCOPE_IDS: usize = 25;
/// Huma's `GET /users` page size limit (huma-api.md §3.1).
const MAX_PAGE_SIZE: u32 = 50;

/// Manual sync (both directions, with a preview) or real-time push (Huma → Crona only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// "Synchronize users": fetch everyone, preview, decide, apply.
    #[default]
    Sync,
    /// Push the given Huma users' changes to Crona.
    Push,
}

/// Which Huma people the connection covers: members of these groups, or everyone when empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    /// Huma company ids.
    pub companies: Vec<String>,
    /// Huma team ids.
    pub teams: Vec<String>,
    /// Huma location ids.
    pub locations: Vec<String>,
}

impl Scope {
    /// True when a user in these groups is in scope: no scope covers everyone; otherwise the
    /// user belongs to one of the scope's companies, teams or locations.
    pub fn covers(&self, groups: &[String]) -> bool {
        let ids: Vec<&String> = self
            .companies
            .iter()
            .chain(&self.teams)
            .chain(&self.locations)
            .collect();
        ids.is_empty() || groups.iter().any(|g| ids.contains(&g))
    }
}

/// Tunable behaviour; every field has a default a payroll administrator would expect.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    /// Accept bank accounts typed in lenient shapes (with warnings). Default: false.
    pub lenient_bank_accounts: bool,
    /// A plan changing more than this share of people needs approval. Default: 0.2.
    pub mass_change_share: f64,
    /// …but only when it changes at least this many people. Default: 10.
    pub mass_change_min: u32,
    /// A plan writing more fields than this needs approval, whatever the share. Default: 50.
    pub mass_change_max_writes: u32,
    /// Push mode may create unpaired Huma users in Crona. Default: false.
    pub auto_create: bool,
    /// Huma `GET /users` page size, 1–50. Default: 50.
    pub page_size: u32,
    /// The connection's fingerprint key (64 hex digits): the baseline in `nextState` then holds
    /// keyed fingerprints, not values (`fingerprint.rs`). Default: none (values, as before).
    #[serde(skip)]
    pub baseline_key: Option<crate::fingerprint::BaselineKey>,
}

impl Options {
    /// How bank accounts are read and written under these options.
    pub fn bank_mode(&self) -> crate::bank::Mode {
        if self.lenient_bank_accounts {
            crate::bank::Mode::Lenient
        } else {
            crate::bank::Mode::Strict
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lenient_bank_accounts: false,
            mass_change_share: 0.2,
            mass_change_min: 10,
            mass_change_max_writes: 50,
            auto_create: false,
            page_size: MAX_PAGE_SIZE,
            baseline_key: None,
        }
    }
}

/// A checked session config. Build it with [`SessionConfig::from_json`] or [`SessionConfig::from_raw`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionConfig {
    /// The calendar date the sync runs on (Europe/Stockholm), for date rules such as Slutat.
    pub today: NaiveDate,
    /// The moment the sync runs, recorded in reports and state.
    pub now: DateTime<FixedOffset>,
    /// Sync or push.
    pub mode: Mode,
    /// The state the runner stored after the previous sync (opaque here; the session reads it).
    pub state: Option<serde_json::Value>,
    /// The Huma groups in scope.
    pub scope: Scope,
    /// Push mode: the Huma users to push.
    pub huma_user_ids: Vec<String>,
    /// Tunables.
    pub options: Options,
}

impl SessionConfig {
    /// Parses and checks a config from JSON text. Unknown keys are refused so typos surface, and
    /// every error names the setting's path (`options.pageSize`).
    ///
    /// ```
    /// let c = crona_sync::SessionConfig::from_json(
    ///     r#"{"today": "2026-11-25", "now": "2026-11-25T09:30:00+01:00"}"#,
    /// ).unwrap();
    /// assert_eq!(c.options.page_size, 50);
    /// ```
    pub fn from_json(text: &str) -> Result<Self> {
        let value: Value = serde_json::from_str(text).map_err(|_| not_an_object())?;
        let top = Section::of("", Some(&value))
            .map_err(|_| not_an_object())?
            .ok_or_else(not_an_object)?;
        top.only(&[
            "today",
            "now",
            "mode",
            "state",
            "scope",
            "humaUserIds",
            "options",
        ])?;
        let today = parse_date(top.string("today")?.as_deref())?;
        let now = parse_now(top.string("now")?.as_deref())?;
        let mode = match top.string("mode")?.as_deref() {
            None | Some("sync") => Mode::Sync,
            Some("push") => Mode::Push,
            Some(other) => {
                return Err(Error::config(
                    "mode",
                    format!("must be \"sync\" or \"push\"; got {other:?}"),
                ))
            }
        };
        let huma_user_ids = check_user_ids(top.strings("humaUserIds")?.unwrap_or_default())?;
        match mode {
            Mode::Push if huma_user_ids.is_empty() => {
                return Err(Error::config(
                    "humaUserIds",
                    "push mode needs at least one Huma user id",
                ))
            }
            Mode::Sync if !huma_user_ids.is_empty() => {
                return Err(Error::config(
                    "humaUserIds",
                    "only push mode takes Huma user ids; a sync covers everyone in scope",
                ))
            }
            _ => {}
        }
        let state = match top.raw("state") {
            None => None,
            Some(v @ Value::Object(_)) => Some(v.clone()),
            Some(_) => {
                return Err(Error::config(
                    "state",
                    "must be the object a previous sync returned as nextState, or null",
                ))
            }
        };
        let scope = match Section::of("scope", top.raw("scope"))? {
            None => Scope::default(),
            Some(s) => {
                s.only(&["companies", "teams", "locations"])?;
                Scope {
                    companies: check_ids("scope.companies", s.strings("companies")?)?,
                    teams: check_ids("scope.teams", s.strings("teams")?)?,
                    locations: check_ids("scope.locations", s.strings("locations")?)?,
                }
            }
        };
        let options = match Section::of("options", top.raw("options"))? {
            None => Options::default(),
            Some(o) => check_options(&o)?,
        };
        Ok(SessionConfig {
            today,
            now,
            mode,
            state,
            scope,
            huma_user_ids,
            options,
        })
    }
}

/// One object of the config, read key by key so errors can name the key's path.
struct Section<'a> {
    prefix: &'static str,
    map: &'a serde_json::Map<String, Value>,
}

impl<'a> Section<'a> {
    /// `None` when absent or null; an error when it isn't an object.
    fn of(prefix: &'static str, value: Option<&'a Value>) -> Result<Option<Self>> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Section { prefix, map })),
            Some(_) => Err(Error::config(prefix, "must be an object")),
        }
    }

    fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// Refuses keys this section doesn't have.
    fn only(&self, allowed: &[&str]) -> Result<()> {
        match self.map.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(Error::config(
                self.path(k),
                format!(
                    "is not a setting; the settings here are {}",
                    allowed.join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn typed<T>(
        &self,
        key: &str,
        what: &str,
        read: impl Fn(&'a Value) -> Option<T>,
    ) -> Result<Option<T>> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) => read(v)
                .map(Some)
                .ok_or_else(|| Error::config(self.path(key), format!("must be {what}; got {v}"))),
        }
    }

    fn string(&self, key: &str) -> Result<Option<String>> {
        self.typed(key, "text", |v| v.as_str().map(str::to_string))
    }

    fn bool(&self, key: &str) -> Result<Option<bool>> {
        self.typed(key, "true or false", Value::as_bool)
    }

    /// Numbers; the JS side writes NaN and Infinity as text, which is refused here.
    fn number(&self, key: &str) -> Result<Option<f64>> {
        self.typed(key, "a number", Value::as_f64)
    }

    fn strings(&self, key: &str) -> Result<Option<Vec<String>>> {
        self.typed(key, "a list of text", |v| {
            v.as_array()?
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect()
        })
    }
}

fn not_an_object() -> Error {
    Error::InvalidArgument {
        what: "config".into(),
        reason:
            "must be an object like { today: \"2026-11-25\", now: \"2026-11-25T09:30:00+01:00\" }"
                .into(),
    }
}

fn parse_date(value: Option<&str>) -> Result<NaiveDate> {
    let text = value.ok_or_else(|| Error::config("today", "is required (YYYY-MM-DD)"))?;
    let date = crate::dates::parse_ymd(text);
    date.ok_or_else(|| {
        Error::config(
            "today",
            format!("must be a real date written YYYY-MM-DD; got {text:?}"),
        )
    })
}

fn parse_now(value: Option<&str>) -> Result<DateTime<FixedOffset>> {
    let text = value.ok_or_else(|| Error::config("now", "is required (RFC 3339 date-time)"))?;
    DateTime::parse_from_rfc3339(text).map_err(|_| {
        Error::config(
            "now",
            format!(
                "must be an RFC 3339 date-time such as 2026-11-25T09:30:00+01:00; got {text:?}"
            ),
        )
    })
}

/// Huma user ids go into request paths: UUIDs only, so no id can reach another endpoint.
fn check_user_ids(ids: Vec<String>) -> Result<Vec<String>> {
    match ids.iter().find(|id| !is_uuid(id)) {
        Some(bad) => Err(Error::config(
            "humaUserIds",
            format!("{bad:?} is not a Huma user id (a UUID)"),
        )),
        None => Ok(ids),
    }
}

fn check_ids(field: &str, ids: Option<Vec<String>>) -> Result<Vec<String>> {
    let ids = ids.unwrap_or_default();
    if ids.len() > MAX_SCOPE_IDS {
        return Err(Error::config(
            field,
            format!(
                "Huma filters take at most {MAX_SCOPE_IDS} ids; got {}",
                ids.len()
            ),
        ));
    }
    if let Some(bad) = ids.iter().find(|id| !is_uuid(id)) {
        return Err(Error::config(
            field,
            format!("{bad:?} is not a Huma group id (a UUID)"),
        ));
    }
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != ids.len() {
        return Err(Error::config(field, "lists the same group twice"));
    }
    Ok(ids)
}

fn check_options(o: &Section<'_>) -> Result<Options> {
    o.only(&[
        "lenientBankAccounts",
        "massChangeShare",
        "massChangeMin",
        "massChangeMaxWrites",
        "autoCreate",
        "pageSize",
        "baselineKey",
    ])?;
    let defaults = Options::default();
    let share = o
        .number("massChangeShare")?
        .unwrap_or(defaults.mass_change_share);
    if !(share > 0.0 && share <= 1.0) {
        return Err(Error::config(
            "options.massChangeShare",
            format!("must be a share above 0 and at most 1 (0.2 = 20 %); got {share}"),
        ));
    }
    Ok(Options {
        lenient_bank_accounts: o
            .bool("lenientBankAccounts")?
            .unwrap_or(defaults.lenient_bank_accounts),
        mass_change_share: share,
        mass_change_min: whole_number(
            "options.massChangeMin",
            o.number("massChangeMin")?,
            defaults.mass_change_min,
            1..=u32::MAX,
        )?,
        mass_change_max_writes: whole_number(
            "options.massChangeMaxWrites",
            o.number("massChangeMaxWrites")?,
            defaults.mass_change_max_writes,
            1..=u32::MAX,
        )?,
        auto_create: o.bool("autoCreate")?.unwrap_or(defaults.auto_create),
        page_size: whole_number(
            "options.pageSize",
            o.number("pageSize")?,
            defaults.page_size,
            1..=MAX_PAGE_SIZE,
        )?,
        baseline_key: match o.string("baselineKey")? {
            None => None,
            Some(hex) => Some(crate::fingerprint::BaselineKey::from_hex(&hex).ok_or_else(
                || {
                    Error::config(
                        "options.baselineKey",
                        "must be 32 bytes written as 64 hex digits",
                    )
                },
            )?),
        },
    })
}

fn whole_number(
    field: &str,
    value: Option<f64>,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32> {
    let Some(v) = value else { return Ok(default) };
    let fits = v.fract() == 0.0 && v >= f64::from(*range.start()) && v <= f64::from(*range.end());
    if fits {
        // In range and whole, so the cast is exact.
        Ok(v as u32)
    } else {
        Err(Error::config(
            field,
            format!(
                "must be a whole number from {} to {}; got {v}",
                range.start(),
                range.end()
            ),
        ))
    }
}

/// `8-4-4-4-12` hexadecimal digits, as Huma writes ids.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> Result<SessionConfig> {
        SessionConfig::from_json(json)
    }

    const BASE: &str = r#""today": "2026-11-25", "now": "2026-11-25T09:30:00+01:00""#;

    #[test]
    fn a_minimal_config_gets_the_documented_defaults() {
        let c = config(&format!("{{{BASE}}}")).unwrap();
        assert_eq!(c.mode, Mode::Sync);
        assert_eq!(c.today, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
        assert_eq!(c.options, Options::default());
        assert_eq!(c.options.mass_change_share, 0.2);
        assert_eq!(c.options.mass_change_min, 10);
        assert_eq!(c.options.page_size, 50);
        assert!(c.scope.companies.is_empty() && c.state.is_none());
    }

    #[test]
    fn february_30th_is_refused_with_the_field_named() {
        let e = config(r#"{"today": "2026-02-30", "now": "2026-02-28T10:00:00Z"}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_config");
        assert_eq!(e.details()["field"], "today");
        assert!(e.to_string().contains("\"2026-02-30\""), "{e}");
    }

    #[test]
    fn dates_must_be_zero_padded_iso() {
        for bad in ["2026-1-05", "25/11/2026", "2026-11-25T00:00:00Z", ""] {
            let json = format!(r#"{{"today": "{bad}", "now": "2026-11-25T09:30:00Z"}}"#);
            assert_eq!(
                config(&json).unwrap_err().details()["field"],
                "today",
                "{bad}"
            );
        }
    }

    #[test]
    fn now_without_a_time_zone_is_refused() {
        let e = config(r#"{"today": "2026-11-25", "now": "2026-11-25T09:30:00"}"#).unwrap_err();
        assert_eq!(e.details()["field"], "now");
    }

    #[test]
    fn a_typo_in_an_option_is_refused_with_its_path() {
        let e = config(&format!(r#"{{{BASE}, "options": {{"pageSzie": 10}}}}"#)).unwrap_err();
        assert_eq!(e.code(), "invalid_config");
        assert_eq!(e.details()["field"], "options.pageSzie");
        let e = config(&format!(r#"{{{BASE}, "sope": {{}}}}"#)).unwrap_err();
        assert_eq!(e.details()["field"], "sope");
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_path() {
        let e = config(&format!(
            r#"{{{BASE}, "options": {{"autoCreate": "yes"}}}}"#
        ))
        .unwrap_err();
        assert_eq!(e.details()["field"], "options.autoCreate");
        let e = config(&format!(r#"{{{BASE}, "options": {{"pageSize": "NaN"}}}}"#)).unwrap_err();
        assert_eq!(e.details()["field"], "options.pageSize");
        let e = config(&format!(r#"{{{BASE}, "scope": {{"teams": "Ekonomi"}}}}"#)).unwrap_err();
        assert_eq!(e.details()["field"], "scope.teams");
        let e = config(&format!(r#"{{{BASE}, "mode": "mirror"}}"#)).unwrap_err();
        assert_eq!(e.details()["field"], "mode");
    }

    #[test]
    fn page_size_above_humas_limit_of_50_is_refused() {
        let e = config(&format!(r#"{{{BASE}, "options": {{"pageSize": 80}}}}"#)).unwrap_err();
        assert_eq!(e.details()["field"], "options.pageSize");
        let e = config(&format!(r#"{{{BASE}, "options": {{"pageSize": 2.5}}}}"#)).unwrap_err();
        assert_eq!(e.details()["field"], "options.pageSize");
        let c = config(&format!(r#"{{{BASE}, "options": {{"pageSize": 25}}}}"#)).unwrap();
        assert_eq!(c.options.page_size, 25);
    }

    #[test]
    fn mass_change_share_must_be_a_share() {
        for bad in ["0", "1.5", "-0.1"] {
            let json = format!(r#"{{{BASE}, "options": {{"massChangeShare": {bad}}}}}"#);
            assert_eq!(
                config(&json).unwrap_err().details()["field"],
                "options.massChangeShare"
            );
        }
    }

    #[test]
    fn mass_change_max_writes_is_a_whole_number_of_writes_default_50() {
        assert_eq!(
            config(&format!("{{{BASE}}}"))
                .unwrap()
                .options
                .mass_change_max_writes,
            50
        );
        for bad in ["0", "2.5", "-1", "\"many\""] {
            let json = format!(r#"{{{BASE}, "options": {{"massChangeMaxWrites": {bad}}}}}"#);
            assert_eq!(
                config(&json).unwrap_err().details()["field"],
                "options.massChangeMaxWrites",
                "{bad}"
            );
        }
        let json = format!(r#"{{{BASE}, "options": {{"massChangeMaxWrites": 200}}}}"#);
        assert_eq!(config(&json).unwrap().options.mass_change_max_writes, 200);
    }

    #[test]
    fn push_mode_needs_users_and_sync_mode_refuses_them() {
        let e = config(&format!(r#"{{{BASE}, "mode": "push"}}"#)).unwrap_err();
        assert_eq!(e.details()["field"], "humaUserIds");
        let id = "0b6f3c1e-5a7d-4c2b-9e41-7d2a9f0c8e13";
        let e = config(&format!(r#"{{{BASE}, "humaUserIds": ["{id}"]}}"#)).unwrap_err();
        assert_eq!(e.details()["field"], "humaUserIds");
        let c = config(&format!(
            r#"{{{BASE}, "mode": "push", "humaUserIds": ["{id}"]}}"#
        ))
        .unwrap();
        assert_eq!(c.mode, Mode::Push);
        // Ids go into request paths: nothing but a UUID gets through.
        for bad in ["u1", "../auth/oauth/revoke", "me"] {
            let json = format!(r#"{{{BASE}, "mode": "push", "humaUserIds": ["{bad}"]}}"#);
            assert_eq!(
                config(&json).unwrap_err().details()["field"],
                "humaUserIds",
                "{bad}"
            );
        }
    }

    #[test]
    fn scope_ids_must_be_uuids_and_at_most_25() {
        let one = "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b";
        let c = config(&format!(
            r#"{{{BASE}, "scope": {{"companies": ["{one}"]}}}}"#
        ))
        .unwrap();
        assert_eq!(c.scope.companies, vec![one.to_string()]);
        let e = config(&format!(r#"{{{BASE}, "scope": {{"teams": ["Ekonomi"]}}}}"#)).unwrap_err();
        assert_eq!(e.details()["field"], "scope.teams");
        let many: Vec<String> = (0..26)
            .map(|i| format!(r#""1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a{i:02}""#))
            .collect();
        let json = format!(
            r#"{{{BASE}, "scope": {{"locations": [{}]}}}}"#,
            many.join(",")
        );
        assert_eq!(
            config(&json).unwrap_err().details()["field"],
            "scope.locations"
        );
    }

    #[test]
    fn anything_but_a_json_object_is_an_invalid_argument() {
        for bad in ["", "null", "[]", "\"config\"", "{", "42"] {
            assert_eq!(
                config(bad).unwrap_err().code(),
                "invalid_argument",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_number_where_text_belongs_is_refused() {
        let e = config(r#"{"today": 20261125, "now": "2026-11-25T09:30:00Z"}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_config");
    }

    #[test]
    fn state_must_be_an_object_or_null() {
        let e = config(&format!(r#"{{{BASE}, "state": "yesterday"}}"#)).unwrap_err();
        assert_eq!(e.details()["field"], "state");
        let c = config(&format!(r#"{{{BASE}, "state": null}}"#)).unwrap();
        assert!(c.state.is_none());
    }

    #[test]
    fn the_checked_config_serialises_with_defaults_in_camel_case() {
        let c = config(&format!("{{{BASE}}}")).unwrap();
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["today"], "2026-11-25");
        assert_eq!(v["now"], "2026-11-25T09:30:00+01:00");
        assert_eq!(v["options"]["massChangeMin"], 10);
        assert_eq!(v["humaUserIds"], serde_json::json!([]));
    }
}
