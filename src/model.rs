//! The mapped fields (DOMAIN.md §2) and the records both systems are read into. Only
//! `huma.rs` and `crona.rs` know the APIs' own shapes; everything after them works on these.

use serde::{Deserialize, Serialize};

/// The two systems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum System {
    /// The HR platform.
    Huma,
    /// The payroll system.
    Crona,
}

impl System {
    /// As the public API and error details name it: `"huma"`, `"crona"`.
    pub fn key(self) -> &'static str {
        match self {
            System::Huma => "huma",
            System::Crona => "crona",
        }
    }

    /// As people write it.
    pub fn name(self) -> &'static str {
        match self {
            System::Huma => "Huma",
            System::Crona => "Crona",
        }
    }
}

/// A user field that syncs both ways (Huma → Crona only in push mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    /// Work e-mail: the match key.
    Email,
    /// Huma employmentId = Crona AnstNr.
    EmploymentId,
    /// First name.
    GivenName,
    /// Last name.
    FamilyName,
    /// Home address (one composite field).
    Address,
    /// Mobile phone.
    Phone,
    /// Salary account.
    BankAccount,
    /// Private e-mail.
    PrivateEmail,
}

/// One row of the field mapping (DOMAIN.md §2), as data.
#[derive(Debug, Clone, Copy)]
pub struct Mapping {
    /// The field.
    pub field: Field,
    /// How an administrator reads it, as a heading.
    pub label: &'static str,
    /// The same mid-sentence ("the work e-mail", keeping acronyms).
    pub phrase: &'static str,
    /// The Huma Open API property.
    pub huma: &'static str,
    /// The Crona Employee properties.
    pub crona: &'static [&'static str],
    /// A person can't exist without it.
    pub required: bool,
}

const EMAIL: Mapping = Mapping {
    field: Field::Email,
    label: "Work e-mail",
    phrase: "work e-mail",
    huma: "email",
    crona: &["EpostArb"],
    required: true,
};
const EMPLOYMENT_ID: Mapping = Mapping {
    field: Field::EmploymentId,
    label: "Employment ID (AnstNr)",
    phrase: "employment ID (AnstNr)",
    huma: "employmentId",
    crona: &["AnstNr"],
    required: true,
};
const GIVEN_NAME: Mapping = Mapping {
    field: Field::GivenName,
    label: "Given name",
    phrase: "given name",
    huma: "givenName",
    crona: &["FoNamn"],
    required: true,
};
const FAMILY_NAME: Mapping = Mapping {
    field: Field::FamilyName,
    label: "Family name",
    phrase: "family name",
    huma: "familyName",
    crona: &["EfNamn"],
    required: true,
};
const ADDRESS: Mapping = Mapping {
    field: Field::Address,
    label: "Home address",
    phrase: "home address",
    huma: "homeAddress",
    crona: &["Adress1", "Adress2", "PostNr", "PostOrt", "LandAdr"],
    required: false,
};
const PHONE: Mapping = Mapping {
    field: Field::Phone,
    label: "Mobile phone",
    phrase: "mobile phone",
    huma: "phone",
    crona: &["Mobil"],
    required: false,
};
const BANK_ACCOUNT: Mapping = Mapping {
    field: Field::BankAccount,
    label: "Salary account",
    phrase: "salary account",
    huma: "bankAccount",
    crona: &["UtbetClearNr", "UtbetKontoNr"],
    required: false,
};
const PRIVATE_EMAIL: Mapping = Mapping {
    field: Field::PrivateEmail,
    label: "Private e-mail",
    phrase: "private e-mail",
    huma: "privateEmail",
    crona: &["EpostPriv"],
    required: false,
};

/// One row of the field table as runners read it: the key the core's output names a field by,
/// how a person reads it, and the property names in each API. Position values (derived from
/// Huma's positions, written to Crona only) follow the mapped fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldInfo {
    /// As previews, plans and reports name it (`bankAccount`, `anstDatum`).
    pub key: &'static str,
    /// `mapped` (both systems) or `position` (Huma's positions → Crona).
    pub kind: &'static str,
    pub label: &'static str,
    pub phrase: &'static str,
    /// The Huma property, or "positions".
    pub huma: &'static str,
    pub crona: &'static [&'static str],
    pub required: bool,
}

/// A position value: derived from a person's Huma positions and written to Crona only (DOMAIN.md
/// §2), never compared or chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Derived {
    /// The first position's start.
    AnstDatum,
    /// The last position's end, when every position has ended.
    AvgDatum,
    /// The employment has ended.
    Slutat,
    /// The current (or next, or last) position's title.
    Befattning,
}

impl Derived {
    /// Every position value, in Crona's order.
    pub const ALL: [Derived; 4] = [
        Derived::AnstDatum,
        Derived::AvgDatum,
        Derived::Slutat,
        Derived::Befattning,
    ];

    /// Its name in the core's output and the state (serde's), e.g. `anstDatum`.
    pub fn key(self) -> &'static str {
        match self {
            Derived::AnstDatum => "anstDatum",
            Derived::AvgDatum => "avgDatum",
            Derived::Slutat => "slutat",
            Derived::Befattning => "befattning",
        }
    }

    /// Its row of the table: label, phrase and Crona property.
    pub fn mapping(self) -> &'static DerivedMapping {
        match self {
            Derived::AnstDatum => &ANST_DATUM,
            Derived::AvgDatum => &AVG_DATUM,
            Derived::Slutat => &SLUTAT,
            Derived::Befattning => &BEFATTNING,
        }
    }
}

/// What an operation writes: a mapped field, a position value, or a whole new record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Written {
    /// A mapped field.
    Field(Field),
    /// A position value (Crona only).
    Position(Derived),
    /// Everything a create in Crona carries.
    Record,
}

impl Written {
    /// As operations, outcomes and the error log name it: a field or position value by its key
    /// in the field table (`address`, `anstDatum`), as previews do; a whole record as `all`.
    pub fn key(self) -> &'static str {
        match self {
            Written::Field(f) => f.key(),
            Written::Position(d) => d.key(),
            Written::Record => "all",
        }
    }
}

impl Serialize for Written {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// One position value's row of the field table.
#[derive(Debug)]
pub struct DerivedMapping {
    /// As a label: "Employment start (AnstDatum)".
    pub label: &'static str,
    /// In a sentence: "employment start".
    pub phrase: &'static str,
    /// The Crona property it is written to.
    pub crona: &'static str,
}

const ANST_DATUM: DerivedMapping = DerivedMapping {
    label: "Employment start (AnstDatum)",
    phrase: "employment start",
    crona: "AnstDatum",
};
const AVG_DATUM: DerivedMapping = DerivedMapping {
    label: "Employment end (AvgDatum)",
    phrase: "employment end",
    crona: "AvgDatum",
};
const SLUTAT: DerivedMapping = DerivedMapping {
    label: "Employment ended (Slutat)",
    phrase: "employment ended",
    crona: "Slutat",
};
const BEFATTNING: DerivedMapping = DerivedMapping {
    label: "Job title (Befattning)",
    phrase: "job title",
    crona: "Befattning",
};

/// Every field crona-sync writes, in the order the preview shows them: the one source of field
/// names, labels and API properties for the page and the CLI.
pub fn fields() -> Vec<FieldInfo> {
    let mapped = MAPPING.iter().map(|m| FieldInfo {
        key: m.field.key(),
        kind: "mapped",
        label: m.label,
        phrase: m.phrase,
        huma: m.huma,
        crona: m.crona,
        required: m.required,
    });
    let positions = Derived::ALL.into_iter().map(|d| {
        let m = d.mapping();
        FieldInfo {
            key: d.key(),
            kind: "position",
            label: m.label,
            phrase: m.phrase,
            huma: "positions",
            crona: std::slice::from_ref(&m.crona),
            required: false,
        }
    });
    mapped.chain(positions).collect()
}

/// The field mapping table, in the order the preview shows fields.
pub const MAPPING: &[Mapping] = &[
    EMAIL,
    EMPLOYMENT_ID,
    GIVEN_NAME,
    FAMILY_NAME,
    ADDRESS,
    PHONE,
    BANK_ACCOUNT,
    PRIVATE_EMAIL,
];

impl Field {
    /// Every field, in the mapping's order.
    pub const ALL: [Field; 8] = [
        Field::Email,
        Field::EmploymentId,
        Field::GivenName,
        Field::FamilyName,
        Field::Address,
        Field::Phone,
        Field::BankAccount,
        Field::PrivateEmail,
    ];

    /// Its name in the core's output (serde's), e.g. `bankAccount`, `address`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::EmploymentId => "employmentId",
            Field::GivenName => "givenName",
            Field::FamilyName => "familyName",
            Field::Address => "address",
            Field::Phone => "phone",
            Field::BankAccount => "bankAccount",
            Field::PrivateEmail => "privateEmail",
        }
    }

    /// Its row of the mapping table.
    pub fn mapping(self) -> &'static Mapping {
        match self {
            Field::Email => &EMAIL,
            Field::EmploymentId => &EMPLOYMENT_ID,
            Field::GivenName => &GIVEN_NAME,
            Field::FamilyName => &FAMILY_NAME,
            Field::Address => &ADDRESS,
            Field::Phone => &PHONE,
            Field::BankAccount => &BANK_ACCOUNT,
            Field::PrivateEmail => &PRIVATE_EMAIL,
        }
    }
}

/// A home address. Huma's `line3` has no Crona target and is kept apart (see [`Person::address_line3`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Street and number.
    pub line1: String,
    /// E.g. "lgh 1102" or c/o.
    pub line2: String,
    /// As typed ("411 38").
    pub postal_code: String,
    /// Postort.
    pub city: String,
    /// As typed: a code ("SE") or a name ("Sverige").
    pub country: String,
}

impl Address {
    /// True when every part is blank.
    pub fn is_empty(&self) -> bool {
        [
            &self.line1,
            &self.line2,
            &self.postal_code,
            &self.city,
            &self.country,
        ]
        .iter()
        .all(|p| p.trim().is_empty())
    }
}

/// A salary account as the system holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum BankAccount {
    /// Huma's one string ("8327-9, 014 725 892-5").
    Text {
        /// As typed.
        text: String,
    },
    /// Crona's two fields.
    Split {
        /// UtbetClearNr.
        clearing: String,
        /// UtbetKontoNr.
        account: String,
    },
    /// An IBAN account in Huma: no Crona target (DOMAIN.md §2).
    International {
        /// As Huma holds it.
        iban: String,
    },
}

/// One person's mapped values as one system holds them; `None` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Values {
    /// Work e-mail.
    pub email: Option<String>,
    /// employmentId / AnstNr.
    pub employment_id: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Home address.
    pub address: Option<Address>,
    /// Mobile phone.
    pub phone: Option<String>,
    /// Salary account.
    pub bank_account: Option<BankAccount>,
    /// Private e-mail.
    pub private_email: Option<String>,
}

/// What a person's positions say, for the Huma → Crona position fields (DOMAIN.md §1.4, §2).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// contractStartDate, `YYYY-MM-DD`.
    pub start: Option<String>,
    /// contractEndDate, `YYYY-MM-DD`.
    pub end: Option<String>,
    /// The job title's name.
    pub title: Option<String>,
}

/// Where a Huma person's positions were read from (DOMAIN.md §2: the list, else the fallbacks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PositionSource {
    /// `GET /users/{userId}/positions`: every position, the authoritative source.
    #[default]
    List,
    /// The list couldn't be read: `currentPositions` of `UserDetails` (current ones only).
    CurrentPositions,
    /// Neither: the deprecated flat employment fields of `UserDetails`.
    FlatFields,
    /// Nothing to read them from.
    Unavailable,
}

impl PositionSource {
    /// In words, for the preview.
    pub fn describe(self) -> &'static str {
        match self {
            PositionSource::List => "Huma's positions",
            PositionSource::CurrentPositions => "Huma's current positions (currentPositions)",
            PositionSource::FlatFields => "Huma's deprecated employment fields",
            PositionSource::Unavailable => "nowhere",
        }
    }
}

/// The position values Crona holds (Huma → Crona only; DOMAIN.md §2). In the baseline the
/// dates and the title may be fingerprints instead (`positions::kept`): never sent, only compared.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PositionValues {
    /// Employment start, `YYYY-MM-DD`.
    pub anst_datum: Option<String>,
    /// Employment end, `YYYY-MM-DD`.
    pub avg_datum: Option<String>,
    /// "Slutat": employment has ended.
    pub slutat: Option<bool>,
    /// Job title.
    pub befattning: Option<String>,
}

/// A person as one system holds them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// Huma user id, for Huma people.
    pub huma_id: Option<String>,
    /// The mapped values.
    pub values: Values,
    /// Huma: `status.active`; Crona people are always active here.
    pub active: bool,
    /// Huma: a pending, unconfirmed e-mail change (`email.requestedValue`).
    pub pending_email: Option<String>,
    /// Huma: fields marked `editable: false`.
    pub locked: Vec<Field>,
    /// Huma: `homeAddress.line3`, which has no Crona target.
    pub address_line3: Option<String>,
    /// Huma: the positions, for AnstDatum, AvgDatum, Slutat and Befattning. Until the fetch
    /// completes, `currentPositions`; then the list, or a fallback when it couldn't be read.
    pub positions: Vec<Position>,
    /// Huma: where `positions` came from.
    pub position_source: PositionSource,
    /// Huma: why the positions list couldn't be read, when it couldn't.
    pub positions_unreadable: Option<String>,
    /// Huma: the ids of the teams, locations and companies the user belongs to.
    pub groups: Vec<String>,
    /// Huma: the deprecated flat employment fields as one position, the last fallback.
    pub flat_position: Option<Position>,
    /// Crona: the position values it holds now.
    pub position_values: PositionValues,
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_field_table_names_every_written_field_once_with_its_api_properties() {
        let all = fields();
        let keys: Vec<&str> = all.iter().map(|f| f.key).collect();
        assert_eq!(
            keys,
            [
                "email",
                "employmentId",
                "givenName",
                "familyName",
                "address",
                "phone",
                "bankAccount",
                "privateEmail",
                "anstDatum",
                "avgDatum",
                "slutat",
                "befattning"
            ]
        );
        let bank = &all[6];
        assert_eq!(
            (bank.label, bank.huma, bank.crona, bank.kind),
            (
                "Salary account",
                "bankAccount",
                &["UtbetClearNr", "UtbetKontoNr"][..],
                "mapped"
            )
        );
        assert_eq!((all[10].crona, all[10].kind), (&["Slutat"][..], "position"));
        for f in Field::ALL {
            assert_eq!(
                serde_json::to_value(f).unwrap(),
                f.key(),
                "the key is serde's name"
            );
        }
    }
    use super::*;

    #[test]
    fn the_mapping_lists_every_field_once_in_order() {
        assert_eq!(MAPPING.len(), Field::ALL.len());
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(MAPPING[i].field, *f);
            assert_eq!(f.mapping().field, *f);
        }
    }

    #[test]
    fn fields_serialise_as_the_public_api_names_them() {
        let names: Vec<String> = Field::ALL
            .iter()
            .map(|f| {
                serde_json::to_value(f)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            [
                "email",
                "employmentId",
                "givenName",
                "familyName",
                "address",
                "phone",
                "bankAccount",
                "privateEmail"
            ]
        );
    }

    #[test]
    fn required_fields_are_the_four_domain_md_names() {
        let required: Vec<Field> = MAPPING
            .iter()
            .filter(|m| m.required)
            .map(|m| m.field)
            .collect();
        assert_eq!(
            required,
            [
                Field::Email,
                Field::EmploymentId,
                Field::GivenName,
                Field::FamilyName
            ]
        );
    }
}
