//! The Huma Open API adapter (huma-api.md, production spec "B"): the requests the sync makes and
//! the responses it reads. The only file that knows Huma's JSON.

use crate::body::{self, Maybe, Text};
use crate::config::Scope;
use crate::error::Result;
use crate::listing;
use crate::model::{Address, BankAccount, Field, Person, Position, System, Values};
use crate::request::HttpRequest;
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
pub fn read_users_page(request: &HttpRequest, body: &[u8]) -> Result<(Vec<String>, listing::Page)> {
    let page: Page<UserSummary> = parse(request, body)?;
    let people = page
        .items
        .iter()
        .filter(|u| u.kind.as_ref().is_none_or(|k| k.0 == "user"))
        .map(|u| u.id.0.to_string())
        .collect();
    let listed = listing::Page {
        ids: page.items.into_iter().map(|u| u.id.owned()).collect(),
        total: page.total,
        size: None,
    };
    Ok((people, listed))
}

/// One person from `GET /users/{id}`.
pub fn read_user_details(request: &HttpRequest, body: &[u8]) -> Result<Person> {
    let u: UserDetails = parse(request, body)?;
    let mut locked = Vec::new();
    let mut take = |field: Field, wrapped: Option<Wrapped<Text>>| -> Option<String> {
        let w = wrapped?;
        if !w.editable {
            locked.push(field);
        }
        Text::filled(w.value)
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
        huma_id: Some(u.id.owned()),
        values: Values {
            email: Text::filled(u.email.value),
            employment_id,
            given_name,
            family_name,
            address,
            phone,
            bank_account,
            private_email,
        },
        active: u.status.active,
        pending_email: Text::filled(u.email.requested_value),
        locked,
        address_line3,
        positions,
        groups: [u.teams, u.locations, u.companies]
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
    body: &[u8],
) -> Result<(Vec<Position>, listing::Page)> {
    let mut page: Page<PositionSummary> = parse(request, body)?;
    let listed = listing::Page {
        ids: page
            .items
            .iter_mut()
            .zip(u64::from(offset)..)
            .map(|(p, i)| p.id.take().map_or_else(|| format!("#{i}"), Text::owned))
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
pub fn error_text(body: &[u8]) -> Option<String> {
    let e: ErrorBody = body::json(body).ok()?;
    [
        e.error_message,
        e.error_description,
        e.message,
        e.error,
        e.error_code,
    ]
    .into_iter()
    .flatten()
    .find(|m| !m.0.is_empty())
    .map(Text::owned)
}

/// Huma's machine error code (`errorCode`, or OAuth's `error`).
pub fn error_code(body: &[u8]) -> Option<String> {
    let e: ErrorBody = body::json(body).ok()?;
    e.error_code.or(e.error).map(Text::owned)
}

/// The parts of Huma's error bodies that are read; a field of another type is no message.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    #[serde(borrow, default, deserialize_with = "lenient")]
    error_message: Option<Text<'a>>,
    #[serde(
        borrow,
        default,
        rename = "error_description",
        deserialize_with = "lenient"
    )]
    error_description: Option<Text<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient")]
    message: Option<Text<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient")]
    error: Option<Text<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient")]
    error_code: Option<Text<'a>>,
}

/// A string, or nothing when the value is of another type (a message is only ever a string).
fn lenient<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Text<'a>>, D::Error> {
    Ok(Maybe::deserialize(d)?.0)
}

fn parse<'a, T: Deserialize<'a>>(request: &HttpRequest, body: &'a [u8]) -> Result<T> {
    body::read(System::Huma, request, body, "have Huma's shape")
}

fn split_address(a: Option<HumaAddress>) -> (Option<Address>, Option<String>) {
    let Some(a) = a else { return (None, None) };
    let line3 = Text::filled(a.line3);
    let text = |t: Option<Text>| t.map(Text::owned).unwrap_or_default();
    let address = Address {
        line1: text(a.line1),
        line2: text(a.line2),
        postal_code: text(a.postal_code),
        city: text(a.city),
        country: text(a.country),
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
struct UserSummary<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow, rename = "type")]
    kind: Option<Text<'a>>,
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
struct EmailField<'a> {
    #[serde(borrow, default)]
    value: Option<Text<'a>>,
    #[serde(default = "editable_by_default")]
    editable: bool,
    #[serde(borrow, default)]
    requested_value: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct Status {
    active: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserDetails<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow)]
    email: EmailField<'a>,
    status: Status,
    #[serde(borrow)]
    given_name: Option<Wrapped<Text<'a>>>,
    #[serde(borrow)]
    family_name: Option<Wrapped<Text<'a>>>,
    #[serde(borrow)]
    phone: Option<Wrapped<Text<'a>>>,
    #[serde(borrow)]
    private_email: Option<Wrapped<Text<'a>>>,
    #[serde(borrow)]
    employment_id: Option<Wrapped<Text<'a>>>,
    #[serde(borrow)]
    home_address: Option<Wrapped<HumaAddress<'a>>>,
    #[serde(borrow)]
    bank_account: Option<Wrapped<HumaBank<'a>>>,
    #[serde(borrow)]
    current_positions: Option<Vec<PositionSummary<'a>>>,
    // Group memberships (for a push's scope check) and the deprecated employment fields (only a
    // fallback): kept as raw text and read leniently, so an odd shape loses only itself, and
    // nobody pays for building a tree of values they don't need.
    #[serde(borrow)]
    teams: Option<&'a RawValue>,
    #[serde(borrow)]
    locations: Option<&'a RawValue>,
    #[serde(borrow)]
    companies: Option<&'a RawValue>,
    #[serde(borrow)]
    employment_start_date: Option<&'a RawValue>,
    #[serde(borrow)]
    employment_end_date: Option<&'a RawValue>,
    #[serde(borrow)]
    job_title: Option<&'a RawValue>,
}

/// `{value: …}` read from raw text; `None` for an odd shape.
fn wrapped<'a, T: Deserialize<'a>>(raw: Option<&'a RawValue>) -> Option<T> {
    #[derive(Deserialize)]
    struct Value<T> {
        value: Option<T>,
    }
    serde_json::from_str::<Value<T>>(raw?.get()).ok()?.value
}

#[derive(Deserialize)]
struct GroupRef<'a> {
    #[serde(borrow)]
    id: Option<Text<'a>>,
}

/// The ids in a wrapped group list (`{value: [{id, name, …}]}`); nothing for an odd shape.
fn group_ids(w: Option<&RawValue>) -> Vec<String> {
    wrapped::<Vec<GroupRef>>(w)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|g| g.id.map(Text::owned))
        .collect()
}

/// The deprecated `employmentStartDate`, `employmentEndDate` and `jobTitle` (each wrapped as
/// `{value}`), read as one position; `None` when all three are empty or unreadable.
fn flat_position(
    start: Option<&RawValue>,
    end: Option<&RawValue>,
    title: Option<&RawValue>,
) -> Option<Position> {
    let position = Position {
        start: Text::filled(wrapped(start)),
        end: Text::filled(wrapped(end)),
        title: Text::filled(wrapped::<JobTitle>(title).and_then(|t| t.name)),
    };
    (position != Position::default()).then_some(position)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HumaAddress<'a> {
    #[serde(borrow)]
    line1: Option<Text<'a>>,
    #[serde(borrow)]
    line2: Option<Text<'a>>,
    #[serde(borrow)]
    line3: Option<Text<'a>>,
    #[serde(borrow)]
    postal_code: Option<Text<'a>>,
    #[serde(borrow)]
    city: Option<Text<'a>>,
    #[serde(borrow)]
    country: Option<Text<'a>>,
}

/// `oneOf` NationalBankAccount `{number}` | InternationalBankAccount `{iban, bic}`. Read as one
/// struct so an odd value loses only itself, never the whole person.
#[derive(Deserialize)]
struct HumaBank<'a> {
    #[serde(borrow)]
    number: Option<Text<'a>>,
    #[serde(borrow)]
    iban: Option<Text<'a>>,
}

impl HumaBank<'_> {
    fn into_model(self) -> Option<BankAccount> {
        match (Text::filled(self.iban), Text::filled(self.number)) {
            (Some(iban), _) => Some(BankAccount::International { iban }),
            (None, Some(text)) => Some(BankAccount::Text { text }),
            (None, None) => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PositionSummary<'a> {
    #[serde(borrow)]
    id: Option<Text<'a>>,
    #[serde(borrow)]
    title: Option<JobTitle<'a>>,
    #[serde(borrow)]
    contract_start_date: Option<Text<'a>>,
    #[serde(borrow)]
    contract_end_date: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct JobTitle<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
}

impl PositionSummary<'_> {
    fn into_model(self) -> Position {
        Position {
            start: self.contract_start_date.map(Text::owned),
            end: self.contract_end_date.map(Text::owned),
            title: self.title.and_then(|t| t.name).map(Text::owned),
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
pub fn read_created_user(request: &HttpRequest, body: &[u8]) -> Result<String> {
    let user: UserSummary = parse(request, body)?;
    Ok(user.id.owned())
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
