//! The Huma Open API adapter (huma-api.md, production spec "B"): the requests the sync makes and
//! the responses it reads. The only file that knows Huma's JSON.

use crate::config::Scope;
use crate::error::{Error, Result};
use crate::listing;
use crate::model::{Address, BankAccount, Field, Person, Position, System, Values};
use crate::request::HttpRequest;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

/// `GET /users`: one page of the people in scope.
pub fn users_page(id: String, scope: &Scope, limit: u32, offset: u32) -> HttpRequest {
    HttpRequest::get(id, System::Huma, "/users".into())
        .with_query("limit", [limit.to_string()])
        .with_query("offset", [offset.to_string()])
        .with_query("company", scope.companies.iter().cloned())
        .with_query("team", scope.teams.iter().cloned())
        .with_query("location", scope.locations.iter().cloned())
}

/// `GET /users/{id}`: every field of one person.
pub fn user_details(id: String, user_id: &str) -> HttpRequest {
    HttpRequest::get(
        id,
        System::Huma,
        format!("/users/{}", crate::request::segment(user_id)),
    )
}

/// `GET /users/{userId}/positions`: one page of a person's positions.
pub fn positions_page(id: String, user_id: &str, limit: u32, offset: u32) -> HttpRequest {
    HttpRequest::get(
        id,
        System::Huma,
        format!("/users/{}/positions", crate::request::segment(user_id)),
    )
    .with_query("limit", [limit.to_string()])
    .with_query("offset", [offset.to_string()])
}

/// One page of `GET /users`: the people on it (service users and org units are skipped), and
/// the page as the completeness check reads it (every id listed, and the stated total).
pub fn read_users_page(request: &HttpRequest, body: &str) -> Result<(Vec<String>, listing::Page)> {
    let page: Page<UserSummary> = parse(request, body)?;
    let listed = listing::Page {
        ids: page.items.iter().map(|u| u.id.clone()).collect(),
        total: page.total,
        size: None,
    };
    let people = page
        .items
        .into_iter()
        .filter(|u| u.kind.as_deref().is_none_or(|k| k == "user"))
        .map(|u| u.id)
        .collect();
    Ok((people, listed))
}

/// One person from `GET /users/{id}`.
pub fn read_user_details(request: &HttpRequest, body: &str) -> Result<Person> {
    let u: UserDetails = parse(request, body)?;
    let mut locked = Vec::new();
    let mut take = |field: Field, wrapped: Option<Wrapped<String>>| -> Option<String> {
        let w = wrapped?;
        if !w.editable {
            locked.push(field);
        }
        w.value.filter(|v| !v.trim().is_empty())
    };
    let given_name = take(Field::GivenName, u.given_name);
    let family_name = take(Field::FamilyName, u.family_name);
    let phone = take(Field::Phone, u.phone);
    let private_email = take(Field::PrivateEmail, u.private_email);
    let employment_id = take(Field::EmploymentId, u.employment_id);
    if !u.email.editable {
        locked.push(Field::Email);
    }
    let (address, address_line3) = match u.home_address {
        Some(w) => {
            if !w.editable {
                locked.push(Field::Address);
            }
            split_address(w.value)
        }
        None => (None, None),
    };
    let bank_account = match u.bank_account {
        Some(w) => {
            if !w.editable {
                locked.push(Field::BankAccount);
            }
            w.value.and_then(HumaBank::into_model)
        }
        None => None,
    };
    locked.sort_unstable();
    let positions = u
        .current_positions
        .unwrap_or_default()
        .into_iter()
        .map(PositionSummary::into_model)
        .collect();
    Ok(Person {
        huma_id: Some(u.id),
        values: Values {
            email: u.email.value.filter(|v| !v.trim().is_empty()),
            employment_id,
            given_name,
            family_name,
            address,
            phone,
            bank_account,
            private_email,
        },
        active: u.status.active,
        pending_email: u.email.requested_value.filter(|v| !v.trim().is_empty()),
        locked,
        address_line3,
        positions,
        groups: [&u.teams, &u.locations, &u.companies]
            .into_iter()
            .flat_map(group_ids)
            .collect(),
        flat_position: flat_position(u.employment_start_date, u.employment_end_date, u.job_title),
        ..Person::default()
    })
}

/// One page of `GET /users/{userId}/positions`, and the page for the completeness check (a
/// position's id, or its place in the list when it has none).
pub fn read_positions_page(
    request: &HttpRequest,
    offset: u32,
    body: &str,
) -> Result<(Vec<Position>, listing::Page)> {
    let page: Page<PositionSummary> = parse(request, body)?;
    let listed = listing::Page {
        ids: page
            .items
            .iter()
            .zip(u64::from(offset)..)
            .map(|(p, i)| p.id.clone().unwrap_or_else(|| format!("#{i}")))
            .collect(),
        total: page.total,
        size: None,
    };
    Ok((
        page.items
            .into_iter()
            .map(PositionSummary::into_model)
            .collect(),
        listed,
    ))
}

/// What Huma's error bodies say (400 `errorMessage`, 401 `error_description`, 404, Spring 5xx
/// `message`), for error messages; `None` when the body isn't one of them.
pub fn error_text(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    [
        "errorMessage",
        "error_description",
        "message",
        "error",
        "errorCode",
    ]
    .iter()
    .find_map(|k| v.get(*k).and_then(|m| m.as_str()).filter(|m| !m.is_empty()))
    .map(str::to_string)
}

fn parse<T: DeserializeOwned>(request: &HttpRequest, body: &str) -> Result<T> {
    serde_json::from_str(body).map_err(|e| Error::MalformedResponse {
        system: System::Huma.key(),
        person: None,
        request: request.label(),
        reason: if e.is_syntax() || e.is_eof() {
            format!("the body is not JSON ({e})")
        } else {
            format!("the body doesn't have Huma's shape ({e})")
        },
    })
}

fn split_address(a: Option<HumaAddress>) -> (Option<Address>, Option<String>) {
    let Some(a) = a else { return (None, None) };
    let line3 = a.line3.filter(|l| !l.trim().is_empty());
    let address = Address {
        line1: a.line1.unwrap_or_default(),
        line2: a.line2.unwrap_or_default(),
        postal_code: a.postal_code.unwrap_or_default(),
        city: a.city.unwrap_or_default(),
        country: a.country.unwrap_or_default(),
    };
    ((!address.is_empty()).then_some(address), line3)
}

#[derive(Deserialize)]
struct Page<T> {
    items: Vec<T>,
    #[serde(default)]
    total: Option<u64>,
}

#[derive(Deserialize)]
struct UserSummary {
    id: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// Huma's per-field wrapper: `{value, editable, …}`; `value` may be absent or null.
#[derive(Deserialize)]
struct Wrapped<T> {
    #[serde(default = "Option::default")]
    value: Option<T>,
    #[serde(default = "editable_by_default")]
    editable: bool,
}

fn editable_by_default() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EmailField {
    #[serde(default)]
    value: Option<String>,
    #[serde(default = "editable_by_default")]
    editable: bool,
    #[serde(default)]
    requested_value: Option<String>,
}

#[derive(Deserialize)]
struct Status {
    active: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserDetails {
    id: String,
    email: EmailField,
    status: Status,
    given_name: Option<Wrapped<String>>,
    family_name: Option<Wrapped<String>>,
    phone: Option<Wrapped<String>>,
    private_email: Option<Wrapped<String>>,
    employment_id: Option<Wrapped<String>>,
    home_address: Option<Wrapped<HumaAddress>>,
    bank_account: Option<Wrapped<HumaBank>>,
    current_positions: Option<Vec<PositionSummary>>,
    // Group memberships (for a push's scope check) and the deprecated employment fields (only a
    // fallback): kept as raw text and read leniently, so an odd shape loses only itself, and
    // nobody pays for building a tree of values they don't need.
    teams: Option<Box<RawValue>>,
    locations: Option<Box<RawValue>>,
    companies: Option<Box<RawValue>>,
    employment_start_date: Option<Box<RawValue>>,
    employment_end_date: Option<Box<RawValue>>,
    job_title: Option<Box<RawValue>>,
}

/// `{value: …}` read from raw text; `None` for an odd shape.
fn wrapped<T: DeserializeOwned>(raw: &Option<Box<RawValue>>) -> Option<T> {
    #[derive(Deserialize)]
    struct Value<T> {
        value: Option<T>,
    }
    serde_json::from_str::<Value<T>>(raw.as_ref()?.get())
        .ok()?
        .value
}

#[derive(Deserialize)]
struct GroupRef {
    id: Option<String>,
}

/// The ids in a wrapped group list (`{value: [{id, name, …}]}`); nothing for an odd shape.
fn group_ids(w: &Option<Box<RawValue>>) -> Vec<String> {
    wrapped::<Vec<GroupRef>>(w)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|g| g.id)
        .collect()
}

/// The deprecated `employmentStartDate`, `employmentEndDate` and `jobTitle` (each wrapped as
/// `{value}`), read as one position; `None` when all three are empty or unreadable.
fn flat_position(
    start: Option<Box<RawValue>>,
    end: Option<Box<RawValue>>,
    title: Option<Box<RawValue>>,
) -> Option<Position> {
    let position = Position {
        start: filled(wrapped(&start)),
        end: filled(wrapped(&end)),
        title: filled(wrapped::<JobTitle>(&title).and_then(|t| t.name)),
    };
    (position != Position::default()).then_some(position)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HumaAddress {
    line1: Option<String>,
    line2: Option<String>,
    line3: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    country: Option<String>,
}

/// `oneOf` NationalBankAccount `{number}` | InternationalBankAccount `{iban, bic}`. Read as one
/// struct so an odd value loses only itself, never the whole person.
#[derive(Deserialize)]
struct HumaBank {
    number: Option<String>,
    iban: Option<String>,
}

impl HumaBank {
    fn into_model(self) -> Option<BankAccount> {
        match (filled(self.iban), filled(self.number)) {
            (Some(iban), _) => Some(BankAccount::International { iban }),
            (None, Some(text)) => Some(BankAccount::Text { text }),
            (None, None) => None,
        }
    }
}

fn filled(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PositionSummary {
    id: Option<String>,
    title: Option<JobTitle>,
    contract_start_date: Option<String>,
    contract_end_date: Option<String>,
}

#[derive(Deserialize)]
struct JobTitle {
    name: Option<String>,
}

impl PositionSummary {
    fn into_model(self) -> Position {
        Position {
            start: self.contract_start_date,
            end: self.contract_end_date,
            title: self.title.and_then(|t| t.name),
        }
    }
}

/// `PATCH /users/{id}` with only the given fields, taken from `from` (Crona's values). The
/// address keeps Huma's own line 3, which Crona has no place for.
pub fn update_user(
    id: String,
    user_id: &str,
    from: &Values,
    fields: &[Field],
    line3: Option<&str>,
    bank: crate::bank::Mode,
) -> HttpRequest {
    let mut body = serde_json::Map::new();
    for field in fields {
        if let Some((key, value)) = input_value(*field, from, line3, bank) {
            body.insert(key.to_string(), value);
        }
    }
    HttpRequest {
        id,
        system: System::Huma,
        method: crate::request::Method::Patch,
        path: format!("/users/{}", crate::request::segment(user_id)),
        query: Default::default(),
        idempotent: false,
        body: Some(serde_json::Value::Object(body).to_string()),
    }
}

/// `POST /users`: a new Huma user with the required fields and the connection's group; every
/// other field follows in a PATCH once Huma has given the id.
pub fn create_user(id: String, from: &Values, groups: &[String]) -> HttpRequest {
    let body = serde_json::json!({
        "givenName": from.given_name.as_deref().map(crate::normalize::text).unwrap_or_default(),
        "familyName": from.family_name.as_deref().map(crate::normalize::text).unwrap_or_default(),
        "email": from.email.as_deref().map(str::trim).unwrap_or_default(),
        "groups": groups,
    });
    HttpRequest {
        id,
        system: System::Huma,
        method: crate::request::Method::Post,
        path: "/users".into(),
        query: Default::default(),
        idempotent: false,
        body: Some(body.to_string()),
    }
}

/// The id Huma gave a created user (`POST /users` answers with a `User`).
pub fn read_created_user(request: &HttpRequest, body: &str) -> Result<String> {
    let user: UserSummary = parse(request, body)?;
    Ok(user.id)
}

/// One `UserDetailsInput` property; `""` clears (huma-api.md §3.3 leaves it unspecified; the
/// plan only clears on an explicit choice).
fn input_value(
    field: Field,
    from: &Values,
    line3: Option<&str>,
    bank: crate::bank::Mode,
) -> Option<(&'static str, serde_json::Value)> {
    use crate::normalize;
    let text = |v: &Option<String>| {
        serde_json::Value::from(v.as_deref().map(normalize::text).unwrap_or_default())
    };
    Some(match field {
        Field::Email => ("email", text(&from.email)),
        Field::EmploymentId => ("employmentId", text(&from.employment_id)),
        Field::GivenName => ("givenName", text(&from.given_name)),
        Field::FamilyName => ("familyName", text(&from.family_name)),
        Field::Phone => ("phone", text(&from.phone)),
        Field::PrivateEmail => ("privateEmail", text(&from.private_email)),
        Field::Address => {
            let a = from.address.clone().unwrap_or_default();
            let country = normalize::country(&a.country).unwrap_or_default();
            (
                "homeAddress",
                serde_json::json!({
                    "line1": normalize::text(&a.line1), "line2": normalize::text(&a.line2),
                    "line3": line3.unwrap_or(""), "postalCode": normalize::text(&a.postal_code),
                    "city": normalize::text(&a.city), "country": country,
                }),
            )
        }
        Field::BankAccount => {
            let BankAccount::Split { clearing, account } = from.bank_account.as_ref()? else {
                return None;
            };
            let valid = crate::bank::validate(clearing, account, bank);
            (
                "bankAccount",
                serde_json::json!({"type": "national", "number": valid.formatted?, "country": "SE"}),
            )
        }
    })
}

/// Huma's machine error code (`errorCode`, or OAuth's `error`).
pub fn error_code(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    ["errorCode", "error"]
        .iter()
        .find_map(|k| v.get(*k)?.as_str())
        .map(str::to_string)
}
