//! The clearing-number ranges of bank-accounts.md §4, as data: one row per range, in the order
//! of the spec's table, with its institution names, so it can be checked against its source
//! line by line.

/// Bankgirot's account types and variants ("1:1" … "2:4"), bank-accounts.md §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountType {
    /// 7 digits; mod 11 over clearing digits 2–4 + account.
    T11,
    /// 7 digits; mod 11 over all 4 clearing digits + account.
    T12,
    /// Up to 10 digits; Luhn over the account.
    T21,
    /// 9 digits (Handelsbanken); mod 11 over the account.
    T22,
    /// Up to 10 digits; Luhn over the account (Swedbank, PlusGiro).
    T23,
    /// Up to 10 digits; mod 11 over the account (new participants).
    T24,
}

impl AccountType {
    /// As the spec writes it, e.g. `"2:3"`.
    pub fn label(self) -> &'static str {
        match self {
            AccountType::T11 => "1:1",
            AccountType::T12 => "1:2",
            AccountType::T21 => "2:1",
            AccountType::T22 => "2:2",
            AccountType::T23 => "2:3",
            AccountType::T24 => "2:4",
        }
    }

    /// The account's normalised width: what it is zero-padded to (§7).
    pub fn width(self) -> usize {
        match self {
            AccountType::T11 | AccountType::T12 => 7,
            AccountType::T22 => 9,
            AccountType::T21 | AccountType::T23 | AccountType::T24 => 10,
        }
    }
}

/// How a range's accounts are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One type:variant.
    Is(AccountType),
    /// MedMera: the sources disagree between 1:1 and 1:2; accept either, with a warning (§6.5).
    Type1Either,
    /// Avanza 9565–9569: 2:4, or a legacy 7-digit 1:2 with a warning (§6.6).
    T24OrLegacyT12,
    /// An assigned series with no published account format: nothing validates.
    NoFormat,
}

/// IBAN conversion methods of BSAB (§7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IbanMethod {
    /// Zeros + 4-digit clearing + account.
    ClearingAndAccount,
    /// Zeros + account, no clearing.
    AccountOnly,
    /// Zeros + 5-digit Swedbank clearing + 10-digit account.
    SwedbankFiveDigit,
    /// Zeros + 4-digit clearing + 10-digit account.
    ClearingAndAccount10,
}

/// What a range needs beyond its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// Nothing.
    None,
    /// Nordea personkonto: the account is the holder's personnummer (§6.3).
    Personkonto,
    /// The series is being withdrawn (Swedbank ex Sparbanken Öresund): valid, with a warning.
    Retiring,
    /// PlusGiro numbers as accounts; Nordea may prefix them with "18" (§6.4).
    PlusGiro,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClearingRange {
    /// First clearing number in the range.
    pub from: u16,
    /// Last clearing number in the range.
    pub to: u16,
    /// The institution.
    pub bank: &'static str,
    /// How accounts are checked.
    pub format: Format,
    /// Fewest account digits accepted.
    pub min: u8,
    /// Most account digits (the format's width).
    pub max: u8,
    /// IBAN ID and method; `None` where the sources give no conversion.
    pub iban: Option<(u16, IbanMethod)>,
    /// Extra rules.
    pub special: Special,
}

use AccountType::*;
use Format::*;
use IbanMethod::*;

const fn row(
    from: u16,
    to: u16,
    bank: &'static str,
    format: Format,
    (min, max): (u8, u8),
    iban: Option<(u16, IbanMethod)>,
) -> ClearingRange {
    ClearingRange {
        from,
        to,
        bank,
        format,
        min,
        max,
        iban,
        special: Special::None,
    }
}

const fn with(mut range: ClearingRange, special: Special) -> ClearingRange {
    range.special = special;
    range
}

const SEVEN: (u8, u8) = (7, 7);
const NONE: (u8, u8) = (0, 0);

/// Every assigned range, sorted by `from`. Anything else in 1000–9999 is unassigned.
#[rustfmt::skip]
pub const RANGES: &[ClearingRange] = &[
    row(1000, 1099, "Sveriges Riksbank", NoFormat, NONE, None),
    row(1100, 1199, "Nordea", Is(T11), SEVEN, Some((300, ClearingAndAccount))),
    row(1200, 1399, "Danske Bank", Is(T11), SEVEN, Some((120, ClearingAndAccount))),
    row(1400, 2099, "Nordea", Is(T11), SEVEN, Some((300, ClearingAndAccount))),
    row(2110, 2119, "Juni Technology AB", Is(T11), SEVEN, Some((211, ClearingAndAccount))),
    row(2120, 2129, "Steven AB", Is(T11), SEVEN, Some((212, ClearingAndAccount))),
    row(2130, 2139, "Zimpler AB", Is(T11), SEVEN, Some((213, ClearingAndAccount))),
    row(2140, 2149, "Trustly Group AB", Is(T12), SEVEN, Some((214, ClearingAndAccount))),
    row(2150, 2159, "Revolut Bank UAB", Is(T24), (2, 10), Some((215, ClearingAndAccount10))),
    row(2300, 2399, "Ålandsbanken", Is(T12), SEVEN, Some((230, ClearingAndAccount))),
    row(2400, 2499, "Danske Bank", Is(T11), SEVEN, Some((120, ClearingAndAccount))),
    row(3000, 3299, "Nordea", Is(T11), SEVEN, Some((300, ClearingAndAccount))),
    with(row(3300, 3300, "Nordea personkonto", Is(T21), (10, 10), Some((300, AccountOnly))), Special::Personkonto),
    row(3301, 3399, "Nordea", Is(T11), SEVEN, Some((300, ClearingAndAccount))),
    row(3400, 3409, "Länsförsäkringar Bank", Is(T11), SEVEN, Some((902, ClearingAndAccount))),
    row(3410, 3781, "Nordea", Is(T11), SEVEN, Some((300, ClearingAndAccount))),
    // §7: the sources give no IBAN conversion for 3782.
    with(row(3782, 3782, "Nordea personkonto", Is(T21), (10, 10), None), Special::Personkonto),
    row(3783, 3999, "Nordea", Is(T11), SEVEN, Some((300, ClearingAndAccount))),
    row(4000, 4999, "Nordea", Is(T12), SEVEN, Some((300, ClearingAndAccount))),
    row(5000, 5999, "SEB", Is(T11), SEVEN, Some((500, ClearingAndAccount))),
    row(6000, 6999, "Handelsbanken", Is(T22), (8, 9), Some((600, AccountOnly))),
    row(7000, 7999, "Swedbank", Is(T11), SEVEN, Some((800, ClearingAndAccount))),
    row(8000, 8999, "Swedbank and the independent savings banks", Is(T23), (7, 10), Some((800, SwedbankFiveDigit))),
    row(9020, 9029, "Länsförsäkringar Bank", Is(T12), SEVEN, Some((902, ClearingAndAccount))),
    row(9040, 9049, "Citibank (filial)", Is(T12), SEVEN, Some((904, ClearingAndAccount))),
    row(9060, 9069, "Länsförsäkringar Bank", Is(T11), SEVEN, Some((902, ClearingAndAccount))),
    row(9070, 9079, "Multitude Bank (ex Ferratum)", Is(T11), SEVEN, Some((907, ClearingAndAccount))),
    row(9080, 9089, "Crédit Agricole CIB", NoFormat, NONE, None),
    row(9100, 9109, "Nordnet Bank", Is(T12), SEVEN, Some((910, ClearingAndAccount))),
    row(9120, 9124, "SEB", Is(T11), SEVEN, Some((500, ClearingAndAccount))),
    row(9130, 9149, "SEB", Is(T11), SEVEN, Some((500, ClearingAndAccount))),
    row(9150, 9169, "Skandiabanken", Is(T12), SEVEN, Some((915, ClearingAndAccount))),
    row(9170, 9179, "Ikano Bank", Is(T11), SEVEN, Some((917, ClearingAndAccount))),
    row(9180, 9189, "Danske Bank", Is(T21), (7, 10), Some((918, ClearingAndAccount))),
    row(9190, 9199, "DNB Bank", Is(T12), SEVEN, Some((919, ClearingAndAccount))),
    row(9230, 9239, "Marginalen Bank", Is(T11), SEVEN, Some((923, ClearingAndAccount))),
    row(9250, 9259, "SBAB Bank", Is(T11), SEVEN, Some((925, ClearingAndAccount))),
    row(9260, 9269, "DNB Bank", Is(T12), SEVEN, Some((919, ClearingAndAccount))),
    row(9270, 9279, "ICA Banken", Is(T11), SEVEN, Some((927, ClearingAndAccount))),
    row(9280, 9289, "Resurs Bank", Is(T11), SEVEN, Some((928, ClearingAndAccount))),
    with(row(9300, 9349, "Swedbank (ex Sparbanken Öresund)", Is(T21), (7, 10), Some((930, ClearingAndAccount))), Special::Retiring),
    row(9380, 9389, "Pareto Securities", NoFormat, NONE, None),
    row(9390, 9399, "Landshypotek", Is(T12), SEVEN, Some((939, ClearingAndAccount))),
    row(9400, 9449, "Forex Bank", Is(T11), SEVEN, Some((940, ClearingAndAccount))),
    row(9460, 9469, "Santander Consumer Bank", Is(T11), SEVEN, Some((946, ClearingAndAccount))),
    row(9470, 9479, "BNP Paribas", Is(T12), SEVEN, Some((947, ClearingAndAccount))),
    // PlusGiro accounts: §7 gives no IBAN conversion.
    with(row(9500, 9549, "Nordea (Plusgirot)", Is(T23), (2, 10), None), Special::PlusGiro),
    row(9550, 9564, "Avanza Bank", Is(T12), SEVEN, Some((955, ClearingAndAccount))),
    row(9565, 9569, "Avanza Bank", T24OrLegacyT12, (2, 10), Some((955, ClearingAndAccount10))),
    row(9570, 9579, "Sparbanken Syd", Is(T21), (5, 10), Some((957, AccountOnly))),
    row(9580, 9589, "Aion Bank", Is(T11), SEVEN, Some((958, ClearingAndAccount))),
    row(9590, 9599, "EP Bank (ex Erik Penser)", Is(T12), SEVEN, Some((959, ClearingAndAccount))),
    row(9600, 9609, "Banking Circle", Is(T24), (2, 10), Some((960, ClearingAndAccount10))),
    row(9610, 9619, "Ziklo Bank (ex Volvofinans)", NoFormat, NONE, None),
    row(9620, 9629, "Bank of China (Luxembourg)", NoFormat, NONE, None),
    row(9630, 9639, "Lån & Spar Bank", Is(T11), SEVEN, Some((963, ClearingAndAccount))),
    row(9640, 9649, "NOBA Bank Group (ex Nordax)", Is(T12), SEVEN, Some((964, ClearingAndAccount))),
    row(9650, 9659, "MedMera Bank", Type1Either, SEVEN, Some((965, ClearingAndAccount))),
    row(9660, 9669, "Svea Bank", Is(T12), SEVEN, Some((966, ClearingAndAccount))),
    row(9670, 9679, "JAK Medlemsbank", Is(T12), SEVEN, Some((967, ClearingAndAccount))),
    row(9680, 9689, "Enity Bank Group (ex Bluestep)", Is(T11), SEVEN, Some((968, ClearingAndAccount))),
    row(9690, 9699, "Folkia", NoFormat, NONE, None),
    row(9700, 9709, "Ekobanken", Is(T12), SEVEN, Some((970, ClearingAndAccount))),
    row(9710, 9719, "Lunar Bank", Is(T12), SEVEN, Some((971, ClearingAndAccount))),
    row(9750, 9759, "Northmill Bank", Is(T12), SEVEN, Some((975, ClearingAndAccount))),
    row(9770, 9779, "Intergiro", NoFormat, NONE, None),
    row(9780, 9789, "Klarna Bank", Is(T12), SEVEN, Some((978, ClearingAndAccount))),
    row(9860, 9869, "Privatgirot", NoFormat, NONE, None),
    row(9870, 9879, "Nasdaq-OMX", NoFormat, NONE, None),
    row(9880, 9889, "Riksgälden", Is(T12), SEVEN, None),
    row(9890, 9899, "Riksgälden", Is(T21), (7, 10), None),
    row(9951, 9956, "Teller Branch Norway / Bankernas Automatbolag / Teller Branch Sweden / Kortaccept Nordic / Kommuninvest / VP Securities", NoFormat, NONE, None),
    with(row(9960, 9969, "Nordea (Plusgirot)", Is(T23), (2, 10), None), Special::PlusGiro),
];

/// The range a 4-digit clearing number belongs to, if any.
pub fn lookup(clearing: u16) -> Option<&'static ClearingRange> {
    let i = RANGES.partition_point(|r| r.to < clearing);
    RANGES.get(i).filter(|r| r.from <= clearing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_sorted_and_never_overlap() {
        for pair in RANGES.windows(2) {
            assert!(pair[0].from <= pair[0].to, "{:?}", pair[0]);
            assert!(pair[0].to < pair[1].from, "{:?} / {:?}", pair[0], pair[1]);
        }
    }

    #[test]
    fn every_range_with_a_format_accepts_lengths_within_its_width() {
        for r in RANGES {
            if let Is(t) = r.format {
                assert!(r.min >= 2 && r.min <= r.max, "{r:?}");
                assert_eq!(usize::from(r.max), t.width(), "{r:?}");
            }
        }
    }

    #[test]
    fn lookup_finds_edges_and_gaps() {
        assert_eq!(lookup(3300).map(|r| r.bank), Some("Nordea personkonto"));
        assert_eq!(lookup(3299).map(|r| r.from), Some(3000));
        assert_eq!(lookup(3301).map(|r| r.from), Some(3301));
        assert_eq!(lookup(8999).map(|r| r.from), Some(8000));
        assert!(lookup(2100).is_none(), "2100–2109 is unassigned");
        assert!(lookup(9125).is_none(), "9125–9129 is unassigned");
        assert!(lookup(9999).is_none());
        assert!(lookup(999).is_none());
    }
}
