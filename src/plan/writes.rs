//! The exact writes of an operation, one row per field written: what an administrator reviews
//! before a run and what the report keeps as the audit trail (who, which property, before →
//! after). Each row is read back from the request body itself, so there is a row only for what
//! the request really carries, with the value as it is sent.

use crate::bank::Mode;
use crate::model::{Address, BankAccount, Derived, PositionValues, System, Values, Written};
use crate::request::HttpRequest;
use crate::values;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

/// One field written by a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WriteRow {
    /// The field's key in the field table (`bankAccount`, `anstDatum`).
    #[serde(serialize_with = "field_key")]
    pub field: Written,
    /// The system written.
    pub system: System,
    /// The target's property names the request carries for it (`UtbetClearNr`, `UtbetKontoNr`).
    pub properties: Vec<&'static str>,
    /// The target's value now, as people read it; `None` when empty or the record is new.
    pub before: Option<String>,
    /// The value the request writes, as people read it; `None` when it empties the field.
    pub after: Option<String>,
    /// Those properties exactly as the request body carries them.
    pub sent: Map<String, Value>,
}

/// The field table's key: `address` rather than Huma's `homeAddress`.
fn field_key<S: Serializer>(w: &Written, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match w {
        Written::Field(f) => f.key(),
        Written::Position(d) => d.key(),
        Written::Record => "all",
    })
}

/// The record a request writes to, as it is now; `None` for a record the request creates.
#[derive(Clone, Copy)]
pub(crate) struct Current<'a> {
    pub values: &'a Values,
    pub positions: &'a PositionValues,
}

/// The rows of `request` for `candidates`, in their order: one per candidate whose properties
/// the body carries. `current` is the target's record now (`None`: a new record).
pub(crate) fn rows(
    request: &HttpRequest,
    candidates: &[Written],
    current: Option<Current<'_>>,
    bank: Mode,
) -> Vec<WriteRow> {
    let system = request.system;
    let body: Map<String, Value> = request
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or_default();
    let lenient = bank == Mode::Lenient;
    let mut out = Vec::new();
    for &field in candidates {
        let properties: Vec<&'static str> = properties(system, field)
            .iter()
            .copied()
            .filter(|p| body.contains_key(*p))
            .collect();
        if properties.is_empty() {
            continue;
        }
        let sent: Map<String, Value> = properties
            .iter()
            .filter_map(|p| body.get(*p).map(|v| ((*p).to_string(), v.clone())))
            .collect();
        let (values, positions) = read_back(system, &sent);
        out.push(WriteRow {
            field,
            system,
            properties,
            before: current.and_then(|c| display(field, c.values, c.positions, lenient)),
            after: display(field, &values, &positions, lenient),
            sent,
        });
    }
    out
}

/// The properties `field` is written to in `system` (field table: `Mapping`, `Derived::mapping`).
fn properties(system: System, field: Written) -> &'static [&'static str] {
    match (system, field) {
        (System::Huma, Written::Field(f)) => std::slice::from_ref(&f.mapping().huma),
        (System::Crona, Written::Field(f)) => f.mapping().crona,
        (System::Crona, Written::Position(d)) => std::slice::from_ref(&d.mapping().crona),
        (System::Huma, Written::Position(_)) | (_, Written::Record) => &[],
    }
}

/// A value as people read it: the field's display form, a position value as Crona holds it.
fn display(field: Written, v: &Values, p: &PositionValues, lenient: bool) -> Option<String> {
    let text = match field {
        Written::Field(f) => values::of(f, v, lenient).map(|x| x.display),
        Written::Position(Derived::AnstDatum) => p.anst_datum.clone(),
        Written::Position(Derived::AvgDatum) => p.avg_datum.clone(),
        Written::Position(Derived::Befattning) => p.befattning.clone(),
        Written::Position(Derived::Slutat) => p.slutat.map(|s| if s { "yes" } else { "no" }.into()),
        Written::Record => None,
    };
    text.filter(|t| !t.trim().is_empty())
}

/// The sent properties read as the target would hold them, so before and after read alike.
fn read_back(system: System, sent: &Map<String, Value>) -> (Values, PositionValues) {
    let s = |m: &Map<String, Value>, k: &str| {
        m.get(k)
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .map(str::to_string)
    };
    match system {
        System::Crona => {
            let address = Address {
                line1: s(sent, "Adress1").unwrap_or_default(),
                line2: s(sent, "Adress2").unwrap_or_default(),
                postal_code: s(sent, "PostNr").unwrap_or_default(),
                city: s(sent, "PostOrt").unwrap_or_default(),
                country: s(sent, "LandAdr").unwrap_or_default(),
            };
            let (clearing, account) = (s(sent, "UtbetClearNr"), s(sent, "UtbetKontoNr"));
            let bank_account =
                (clearing.is_some() || account.is_some()).then(|| BankAccount::Split {
                    clearing: clearing.unwrap_or_default(),
                    account: account.unwrap_or_default(),
                });
            let values = Values {
                email: s(sent, "EpostArb"),
                employment_id: s(sent, "AnstNr"),
                given_name: s(sent, "FoNamn"),
                family_name: s(sent, "EfNamn"),
                address: (!address.is_empty()).then_some(address),
                phone: s(sent, "Mobil"),
                bank_account,
                private_email: s(sent, "EpostPriv"),
            };
            let positions = PositionValues {
                anst_datum: s(sent, "AnstDatum"),
                avg_datum: s(sent, "AvgDatum"),
                slutat: sent.get("Slutat").and_then(Value::as_bool),
                befattning: s(sent, "Befattning"),
            };
            (values, positions)
        }
        System::Huma => {
            let address = sent
                .get("homeAddress")
                .and_then(Value::as_object)
                .map(|a| Address {
                    line1: s(a, "line1").unwrap_or_default(),
                    line2: s(a, "line2").unwrap_or_default(),
                    postal_code: s(a, "postalCode").unwrap_or_default(),
                    city: s(a, "city").unwrap_or_default(),
                    country: s(a, "country").unwrap_or_default(),
                })
                .filter(|a| !a.is_empty());
            let bank_account = sent
                .get("bankAccount")
                .and_then(Value::as_object)
                .and_then(|b| s(b, "number"))
                .map(|text| BankAccount::Text { text });
            let values = Values {
                email: s(sent, "email"),
                employment_id: s(sent, "employmentId"),
                given_name: s(sent, "givenName"),
                family_name: s(sent, "familyName"),
                address,
                phone: s(sent, "phone"),
                bank_account,
                private_email: s(sent, "privateEmail"),
            };
            (values, PositionValues::default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crona;
    use crate::model::Field;

    #[test]
    fn a_bank_account_written_to_crona_is_one_row_over_both_properties() {
        let huma = Values {
            bank_account: Some(BankAccount::Text {
                text: "8327-9, 014 725 892-5".into(),
            }),
            ..Values::default()
        };
        let now = Values {
            bank_account: Some(BankAccount::Split {
                clearing: "6114".into(),
                account: "517182351".into(),
            }),
            ..Values::default()
        };
        let request = crona::update_employee(
            "r".into(),
            "1013",
            &huma,
            &[Field::BankAccount],
            &[],
            &now,
            Mode::Strict,
        );
        let rows = rows(
            &request,
            &[Written::Field(Field::BankAccount)],
            Some(Current {
                values: &now,
                positions: &PositionValues::default(),
            }),
            Mode::Strict,
        );
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.properties, ["UtbetClearNr", "UtbetKontoNr"]);
        assert_eq!(r.before.as_deref(), Some("6114-517182351"));
        assert_eq!(r.after.as_deref(), Some("8327-0147258925"));
        assert_eq!(
            serde_json::to_value(r).unwrap()["sent"],
            serde_json::json!({"UtbetClearNr": "8327", "UtbetKontoNr": "0147258925"})
        );
        assert_eq!(serde_json::to_value(r).unwrap()["field"], "bankAccount");
    }

    #[test]
    fn there_is_a_row_only_for_what_the_body_carries() {
        // AnstNr is never patched in Crona, and an account that can't be read has no Crona form.
        let huma = Values {
            phone: Some("073-999 88 77".into()),
            employment_id: Some("2001".into()),
            bank_account: Some(BankAccount::Text {
                text: "ring banken".into(),
            }),
            ..Values::default()
        };
        let request = crona::update_employee(
            "r".into(),
            "1013",
            &huma,
            &[Field::Phone, Field::EmploymentId, Field::BankAccount],
            &[],
            &Values::default(),
            Mode::Strict,
        );
        let rows = rows(
            &request,
            &[Field::Phone, Field::EmploymentId, Field::BankAccount].map(Written::Field),
            None,
            Mode::Strict,
        );
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.properties.clone(), r.after.clone()))
            .collect();
        assert_eq!(got, [(vec!["Mobil"], Some("073-999 88 77".to_string()))]);
    }
}
