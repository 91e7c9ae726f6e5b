//! The Crona Lön adapter: the contract crona-sync assumes (docs/crona-api.md). The only file that
//! knows Crona's JSON; swapping in the real contract is a change to this file.

use crate::body::{self, Maybe, Text};
use crate::error::Result;
use crate::listing;
use crate::model::{Address, BankAccount, Derived, Field, Person, PositionValues, System, Values};
use crate::request::{HttpRequest, Method};
use serde::Deserialize;

/// The largest page the API serves (docs/crona-api.md).
pub const MAX_PAGE_SIZE: u32 = 200;

/// `GET /api/v1/employees`: one page of the register.
pub fn employees_page(id: String, page: u32, page_size: u32) -> HttpRequest {
    HttpRequest::get(id, System::Crona, "/api/v1/employees".into())
        .with_query("page", [page.to_string()])
        .with_query("pageSize", [page_size.to_string()])
}

/// One page of employees, and the page for the completeness check (AnstNr, the stated total
/// and page size).
pub fn read_employees_page(
    request: &HttpRequest,
    body: &[u8],
) -> Result<(Vec<Person>, listing::Page)> {
    let page: EmployeePage = parse(request, body, "have the shape of a Crona employee page")?;
    let listed = listing::Page {
        ids: page.items.iter().map(|e| e.anst_nr.0.to_string()).collect(),
        total: page.total,
        size: page.page_size,
    };
    Ok((
        page.items.into_iter().map(Employee::into_person).collect(),
        listed,
    ))
}

/// What Crona's error body says (`{"error": {"code", "message"}}`).
pub fn error_text(body: &[u8]) -> Option<String> {
    let e = body::json::<ErrorBody>(body).ok()?.error?;
    e.message.0.or(e.code.0).map(Text::owned)
}

/// Crona's machine error code (`{"error": {"code"}}`).
pub fn error_code(body: &[u8]) -> Option<String> {
    let e = body::json::<ErrorBody>(body).ok()?.error?;
    e.code.0.map(Text::owned)
}

fn parse<'a, T: Deserialize<'a>>(request: &HttpRequest, body: &'a [u8], shape: &str) -> Result<T> {
    body::read(System::Crona, request, body, shape)
}

/// `{"error": {"code", "message"}}`; a part of another type says nothing.
#[derive(Deserialize)]
struct ErrorBody<'a> {
    #[serde(borrow, default)]
    error: Option<ErrorDetail<'a>>,
}

#[derive(Deserialize)]
struct ErrorDetail<'a> {
    #[serde(borrow, default = "nothing")]
    code: Maybe<'a>,
    #[serde(borrow, default = "nothing")]
    message: Maybe<'a>,
}

fn nothing<'a>() -> Maybe<'a> {
    Maybe(None)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EmployeePage<'a> {
    #[serde(borrow)]
    items: Vec<Employee<'a>>,
    #[serde(default)]
    total: Option<u64>,
    #[serde(default)]
    page_size: Option<u64>,
}

/// The Employee object, with Crona's own field names. Absent and `null` both mean empty.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Employee<'a> {
    #[serde(borrow)]
    anst_nr: Text<'a>,
    #[serde(borrow)]
    fo_namn: Option<Text<'a>>,
    #[serde(borrow)]
    ef_namn: Option<Text<'a>>,
    #[serde(borrow)]
    adress1: Option<Text<'a>>,
    #[serde(borrow)]
    adress2: Option<Text<'a>>,
    #[serde(borrow)]
    post_nr: Option<Text<'a>>,
    #[serde(borrow)]
    post_ort: Option<Text<'a>>,
    #[serde(borrow)]
    land_adr: Option<Text<'a>>,
    #[serde(borrow)]
    mobil: Option<Text<'a>>,
    #[serde(borrow)]
    epost_arb: Option<Text<'a>>,
    #[serde(borrow)]
    epost_priv: Option<Text<'a>>,
    #[serde(borrow)]
    utbet_clear_nr: Option<Text<'a>>,
    #[serde(borrow)]
    utbet_konto_nr: Option<Text<'a>>,
    #[serde(borrow)]
    anst_datum: Option<Text<'a>>,
    #[serde(borrow)]
    avg_datum: Option<Text<'a>>,
    slutat: Option<bool>,
    #[serde(borrow)]
    befattning: Option<Text<'a>>,
}

impl Employee<'_> {
    fn into_person(self) -> Person {
        let text = |t: Option<Text>| t.map(Text::owned).unwrap_or_default();
        let filled = Text::filled;
        let address = Address {
            line1: text(self.adress1),
            line2: text(self.adress2),
            postal_code: text(self.post_nr),
            city: text(self.post_ort),
            country: text(self.land_adr),
        };
        let clearing = filled(self.utbet_clear_nr);
        let account = filled(self.utbet_konto_nr);
        let bank_account = (clearing.is_some() || account.is_some()).then(|| BankAccount::Split {
            clearing: clearing.unwrap_or_default(),
            account: account.unwrap_or_default(),
        });
        Person {
            huma_id: None,
            values: Values {
                email: filled(self.epost_arb),
                employment_id: filled(Some(self.anst_nr)),
                given_name: filled(self.fo_namn),
                family_name: filled(self.ef_namn),
                address: (!address.is_empty()).then_some(address),
                phone: filled(self.mobil),
                bank_account,
                private_email: filled(self.epost_priv),
            },
            active: true,
            position_values: PositionValues {
                anst_datum: filled(self.anst_datum),
                avg_datum: filled(self.avg_datum),
                slutat: self.slutat,
                befattning: filled(self.befattning),
            },
            ..Person::default()
        }
    }
}

/// `PATCH /api/v1/employees/{AnstNr}` with only the given fields from `from` (Huma's values) and
/// the position values to send. Never AnstNr: Crona can't change it from here. A bank account is
/// written in its normal form, repaired where `bank` is lenient.
pub fn update_employee(
    id: String,
    anst_nr: &str,
    from: &Values,
    fields: &[Field],
    positions: &[(Derived, serde_json::Value)],
    current: &Values,
    bank: crate::bank::Mode,
) -> HttpRequest {
    let mut body = serde_json::Map::new();
    for field in fields.iter().filter(|f| **f != Field::EmploymentId) {
        employee_fields(*field, from, current, bank, &mut body);
    }
    for (derived, value) in positions {
        body.insert(derived.mapping().crona.into(), value.clone());
    }
    HttpRequest {
        id,
        system: System::Crona,
        method: Method::Patch,
        path: format!("/api/v1/employees/{}", crate::request::segment(anst_nr)),
        query: Default::default(),
        idempotent: false,
        body: Some(serde_json::Value::Object(body).to_string()),
    }
}

/// `POST /api/v1/employees`: a new employee from a Huma user, with the position values.
/// Repeating it is harmless (a second create answers 409), so it may be retried.
pub fn create_employee(
    id: String,
    anst_nr: &str,
    from: &Values,
    fields: &[Field],
    positions: Option<&PositionValues>,
    bank: crate::bank::Mode,
) -> HttpRequest {
    let mut body = serde_json::Map::new();
    body.insert("AnstNr".into(), anst_nr.into());
    for field in fields.iter().filter(|f| **f != Field::EmploymentId) {
        employee_fields(*field, from, &Values::default(), bank, &mut body);
    }
    if let Some(p) = positions {
        position_fields(p, &mut body);
    }
    // Empty optional values are left out of a create rather than sent as "".
    body.retain(|_, v| !(v.is_null() || v.as_str() == Some("")));
    HttpRequest {
        id,
        system: System::Crona,
        method: Method::Post,
        path: "/api/v1/employees".into(),
        query: Default::default(),
        // A repeat answers 409, which the session reads as "already there".
        idempotent: true,
        body: Some(serde_json::Value::Object(body).to_string()),
    }
}

/// The Crona properties of one field. A Swedbank clearing keeps the form (4 or 5 digits) the
/// employee's record already uses; new records get 4 (DOMAIN.md §3.4).
fn employee_fields(
    field: Field,
    from: &Values,
    current: &Values,
    bank: crate::bank::Mode,
    body: &mut serde_json::Map<String, serde_json::Value>,
) {
    use crate::normalize::text;
    let t =
        |v: &Option<String>| serde_json::Value::from(v.as_deref().map(text).unwrap_or_default());
    match field {
        Field::Email => {
            body.insert("EpostArb".into(), t(&from.email));
        }
        Field::GivenName => {
            body.insert("FoNamn".into(), t(&from.given_name));
        }
        Field::FamilyName => {
            body.insert("EfNamn".into(), t(&from.family_name));
        }
        Field::Phone => {
            body.insert("Mobil".into(), t(&from.phone));
        }
        Field::PrivateEmail => {
            body.insert("EpostPriv".into(), t(&from.private_email));
        }
        Field::EmploymentId => {}
        Field::Address => {
            let a = from.address.clone().unwrap_or_default();
            for (key, value) in [
                ("Adress1", a.line1),
                ("Adress2", a.line2),
                ("PostNr", a.postal_code),
                ("PostOrt", a.city),
                ("LandAdr", a.country),
            ] {
                body.insert(key.into(), text(&value).into());
            }
        }
        Field::BankAccount => {
            let Some(BankAccount::Text { text: typed }) = &from.bank_account else {
                for key in ["UtbetClearNr", "UtbetKontoNr"] {
                    body.insert(key.into(), "".into());
                }
                return;
            };
            let parsed = crate::bank::parse(typed, bank).result;
            let (Some(clearing), Some(account)) = (parsed.clearing, parsed.account) else {
                return;
            };
            let five_digit_now = matches!(&current.bank_account, Some(BankAccount::Split { clearing, .. }) if clearing.len() == 5);
            let clearing = match (&parsed.clearing_check_digit, five_digit_now) {
                (Some(check), true) => format!("{clearing}{check}"),
                _ => clearing,
            };
            body.insert("UtbetClearNr".into(), clearing.into());
            body.insert("UtbetKontoNr".into(), account.into());
        }
    }
}

fn position_fields(p: &PositionValues, body: &mut serde_json::Map<String, serde_json::Value>) {
    let mut put = |d: Derived, v: serde_json::Value| body.insert(d.mapping().crona.into(), v);
    put(Derived::AnstDatum, p.anst_datum.clone().into());
    put(Derived::AvgDatum, p.avg_datum.clone().into());
    put(Derived::Slutat, p.slutat.unwrap_or(false).into());
    put(Derived::Befattning, p.befattning.clone().into());
}

/// `GET /api/v1/employees/{AnstNr}`: one employee (to verify a write, or pair an existing one).
pub fn employee(id: String, anst_nr: &str) -> HttpRequest {
    HttpRequest::get(
        id,
        System::Crona,
        format!("/api/v1/employees/{}", crate::request::segment(anst_nr)),
    )
}

/// One employee from `GET /api/v1/employees/{AnstNr}`.
pub fn read_employee(request: &HttpRequest, body: &[u8]) -> Result<Person> {
    let e: Employee = parse(request, body, "have the shape of a Crona employee")?;
    Ok(e.into_person())
}
