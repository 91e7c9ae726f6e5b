//! The Crona Lön adapter: the contract crona-sync assumes (docs/crona-api.md). The only file that
//! knows Crona's JSON; swapping in the real contract is a change to this file.

use crate::error::{Error, Result};
use crate::model::{Address, BankAccount, Person, PositionValues, System, Values};
use crate::request::HttpRequest;
use serde::Deserialize;

/// The largest page the API serves (docs/crona-api.md).
pub const MAX_PAGE_SIZE: u32 = 200;

/// `GET /api/v1/employees`: one page of the register.
pub fn employees_page(id: String, page: u32, page_size: u32) -> HttpRequest {
    HttpRequest::get(id, System::Crona, "/api/v1/employees".into())
        .with_query("page", [page.to_string()])
        .with_query("pageSize", [page_size.to_string()])
}

/// One page of employees, and whether more pages follow.
pub fn read_employees_page(request: &HttpRequest, body: &str) -> Result<(Vec<Person>, bool)> {
    let page: EmployeePage = serde_json::from_str(body).map_err(|e| Error::MalformedResponse {
        system: "crona",
        request: request.label(),
        reason: if e.is_syntax() || e.is_eof() {
            format!("the body is not JSON ({e})")
        } else {
            format!("the body doesn't have the shape of a Crona employee page ({e})")
        },
    })?;
    let more = u64::from(page.page) * u64::from(page.page_size) < u64::from(page.total)
        && !page.items.is_empty();
    Ok((
        page.items.into_iter().map(Employee::into_person).collect(),
        more,
    ))
}

/// What Crona's error body says (`{"error": {"code", "message"}}`).
pub fn error_text(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let e = v.get("error")?;
    e.get("message")
        .or_else(|| e.get("code"))
        .and_then(|m| m.as_str())
        .map(str::to_string)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EmployeePage {
    items: Vec<Employee>,
    page: u32,
    page_size: u32,
    total: u32,
}

/// The Employee object, with Crona's own field names. Absent and `null` both mean empty.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Employee {
    anst_nr: String,
    fo_namn: Option<String>,
    ef_namn: Option<String>,
    adress1: Option<String>,
    adress2: Option<String>,
    post_nr: Option<String>,
    post_ort: Option<String>,
    land_adr: Option<String>,
    mobil: Option<String>,
    epost_arb: Option<String>,
    epost_priv: Option<String>,
    utbet_clear_nr: Option<String>,
    utbet_konto_nr: Option<String>,
    anst_datum: Option<String>,
    avg_datum: Option<String>,
    slutat: Option<bool>,
    befattning: Option<String>,
}

/// `Some` unless blank.
fn filled(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

impl Employee {
    fn into_person(self) -> Person {
        let address = Address {
            line1: self.adress1.unwrap_or_default(),
            line2: self.adress2.unwrap_or_default(),
            postal_code: self.post_nr.unwrap_or_default(),
            city: self.post_ort.unwrap_or_default(),
            country: self.land_adr.unwrap_or_default(),
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
