//! Quasi-identifiers (dates of birth, names, NI numbers, emails, phones) and
//! the header vocabulary that gives a column its meaning.
//!
//! Most of these values are only personal data in context: a date is a date of
//! birth because of its header, a word is a surname because of its header. So
//! value checks here are cheap shape tests, and the header tells what a column
//! is about. Table-level combination rules live in `table.rs`.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// Lower-case, non-alphanumerics folded to `_`, so `NHS Number`, `nhs-number`
/// and `NHS_NUMBER` compare equal.
pub(super) fn normalize_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut last_us = true;
    for c in h.trim().chars().take(80) {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            last_us = false;
        } else if !last_us {
            out.push('_');
            last_us = true;
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// What a header says about its column. Several flags can be set at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct HeaderRole {
    pub patient_like: bool,
    pub chi: bool,
    pub postcode: bool,
    pub person_context: bool,
    pub dob: bool,
    pub name: bool,
    pub email: bool,
    pub phone: bool,
    pub ni: bool,
    pub geography: bool,
    /// A geography or organisation fine enough for small counts to point at
    /// people: GP practice, PCN, LSOA, ward, trust, ICB … (not region, nation
    /// or country).
    pub small_area: bool,
    pub not_count: bool,
    /// Names another identifier scheme (ISBN, order, invoice, account, phone,
    /// UPRN, timestamp …): a valid Modulus 11 check digit there is not an NHS
    /// number. An explicit `nhs`/`chi` token wins over it.
    pub other_id: bool,
    /// Counts people or activity (`patients`, `admissions`, `count`, `n` …).
    pub people_count: bool,
    /// Free text by name (`notes`, `comments`, `reason` …).
    pub free_text: bool,
}

/// Identifier schemes that share the ten-digit shape or the Modulus 11 check.
const OTHER_ID_TOKENS: &[&str] = &[
    "isbn",
    "isbn10",
    "issn",
    "order",
    "orderid",
    "invoice",
    "account",
    "acct",
    "sku",
    "barcode",
    "ean",
    "upc",
    "gtin",
    "transaction",
    "txn",
    "ticket",
    "booking",
    "tracking",
    "shipment",
    "serial",
    "phone",
    "telephone",
    "tel",
    "mobile",
    "fax",
    "uprn",
    "usrn",
    "ukprn",
    "vat",
    "company",
    "charity",
    "timestamp",
    "epoch",
    "unix",
    "doi",
    "pmid",
    "orcid",
];

/// Same vocabulary as the rule layer's count-of-people test, so a table in a
/// rendered report and the CSV behind it are judged alike.
const PEOPLE_COUNT_TOKENS: &[&str] = &[
    "patients",
    "people",
    "persons",
    "pupils",
    "residents",
    "admissions",
    "attendances",
    "referrals",
    "deaths",
    "cases",
    "births",
    "episodes",
    "spells",
    "appointments",
    "discharges",
    "breaches",
    "waiters",
    "registrations",
    "prescriptions",
    "users",
    "clients",
    "contacts",
    "count",
    "counts",
    "n",
    "total",
    "activity",
];

/// Headers that name free text, where names and clinical details hide.
const FREE_TEXT_TOKENS: &[&str] = &[
    "note",
    "notes",
    "comment",
    "comments",
    "description",
    "desc",
    "reason",
    "reasons",
    "narrative",
    "details",
    "detail",
    "summary",
    "remarks",
    "remark",
    "freetext",
    "observations",
    "feedback",
    "complaint",
    "history",
    "text",
];

const PATIENT_TOKENS: &[&str] = &[
    "nhs",
    "nhsno",
    "nhsnumber",
    "nhsnum",
    "patient",
    "patientid",
    "patientno",
    "person",
    "personid",
    "subject",
    "client",
    "mrn",
    "pid",
    "individual",
    "service_user",
    "pat",
    "hcn",
];

const GEO_TOKENS: &[&str] = &[
    "region",
    "icb",
    "ccg",
    "stp",
    "lsoa",
    "msoa",
    "la",
    "lad",
    "utla",
    "ltla",
    "ods",
    "practice",
    "gp",
    "pcn",
    "org",
    "organisation",
    "organization",
    "provider",
    "trust",
    "ward",
    "district",
    "county",
    "locality",
    "area",
    "geography",
    "geog",
    "sicbl",
    "hospital",
    "commissioner",
    "site",
    "lsoa11cd",
    "lsoa21cd",
    "msoa11cd",
    "msoa21cd",
    "lad22cd",
    "oa",
    "nation",
    "country",
];

/// Geographies too large for a small count to identify anyone on its own.
const COARSE_GEO_TOKENS: &[&str] = &[
    "region",
    "nation",
    "country",
    "area",
    "geography",
    "geog",
    "county",
];

const NOT_COUNT_TOKENS: &[&str] = &[
    "year",
    "yr",
    "month",
    "quarter",
    "qtr",
    "week",
    "day",
    "date",
    "rate",
    "percent",
    "pct",
    "percentage",
    "proportion",
    "prop",
    "ratio",
    "rank",
    "id",
    "code",
    "age",
    "mean",
    "median",
    "avg",
    "average",
    "sd",
    "ci",
    "lower",
    "upper",
    "lcl",
    "ucl",
    "score",
    "index",
    "decile",
    "quintile",
    "seq",
    "sequence",
    "order",
    "version",
    "flag",
    "period",
    "fy",
    "imd",
    "lat",
    "lon",
    "long",
    "latitude",
    "longitude",
    "easting",
    "northing",
    "sex",
    "gender",
    "hour",
    "minute",
    "time",
    "duration",
    "los",
    "level",
    "group",
    "band",
    "type",
    "category",
    "num_id",
    "x",
    "y",
    "z",
    "value_type",
    "chapter",
    "priority",
    "stage",
    "grade",
    "phase",
    "digit",
];

/// Headers already read, by their text. Reading one takes some sixty substring searches, and
/// the same few hundred names (`id`, `date`, `value`, key paths of the same API) come back in
/// file after file of an estate. Bounded; cleared when full.
static ROLES: LazyLock<Mutex<HashMap<String, HeaderRole>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
const MAX_CACHED_ROLES: usize = 8192;

impl HeaderRole {
    pub(super) fn from_header(h: &str) -> HeaderRole {
        if let Some(role) = ROLES.lock().ok().and_then(|roles| roles.get(h).cloned()) {
            return role;
        }
        let role = HeaderRole::read(h);
        if let Ok(mut roles) = ROLES.lock() {
            if roles.len() >= MAX_CACHED_ROLES {
                roles.clear();
            }
            roles.insert(h.to_string(), role.clone());
        }
        role
    }

    fn read(h: &str) -> HeaderRole {
        let norm = normalize_header(h);
        let tokens: Vec<&str> = norm.split('_').filter(|t| !t.is_empty()).collect();
        let has = |list: &[&str]| tokens.iter().any(|t| list.contains(t));
        let contains = |needles: &[&str]| needles.iter().any(|n| norm.contains(n));
        let postcode = contains(&["postcode", "post_code", "postal_code", "zip"])
            && !contains(&["district", "sector", "area"]);
        let dob = has(&["dob"])
            || norm == "d_o_b"
            || (norm.contains("birth")
                && !contains(&[
                    "year", "yob", "month", "weight", "place", "country", "order",
                ]));
        let name = contains(&[
            "forename",
            "surname",
            "firstname",
            "first_name",
            "lastname",
            "last_name",
            "givenname",
            "given_name",
            "familyname",
            "family_name",
            "middle_name",
            "full_name",
            "fullname",
            "patient_name",
            "person_name",
            "client_name",
            "maiden_name",
        ]);
        // `org_type`, `provider_category`: a classification of places, which keys no table
        // of counts by place (phmi's Django fixture of activities by organisation type).
        let small_area_code = tokens
            .iter()
            .any(|t| t.starts_with("lsoa") || t.starts_with("msoa"));
        let place = (has(GEO_TOKENS) || small_area_code)
            && !has(&["type", "types", "category", "kind", "class"]);
        HeaderRole {
            patient_like: has(PATIENT_TOKENS)
                || norm.starts_with("nhsno")
                || norm.starts_with("nhsnumber")
                || norm.starts_with("patientid")
                || norm.starts_with("personid")
                || norm.contains("health_and_care"),
            chi: super::chi::is_chi_header(&norm),
            postcode,
            person_context: has(&[
                "patient",
                "home",
                "resident",
                "residence",
                "person",
                "usual",
            ]),
            dob,
            name,
            email: contains(&["email", "e_mail"]),
            phone: contains(&["phone", "mobile"]) || has(&["tel", "telephone", "contact_number"]),
            ni: contains(&["national_insurance", "nino", "ni_number", "ni_no"]) || norm == "ni",
            geography: place,
            small_area: place && (small_area_code || !has(COARSE_GEO_TOKENS)),
            not_count: has(NOT_COUNT_TOKENS) || norm.is_empty(),
            other_id: has(OTHER_ID_TOKENS) && !has(&["nhs", "nhsno", "nhsnumber", "chi"]),
            // `sort_order`, `case_type`, `patients_group` count nothing.
            people_count: (has(PEOPLE_COUNT_TOKENS)
                || norm.starts_with("number_of")
                || norm.starts_with("num_")
                || norm.starts_with("no_of"))
                && !has(&[
                    "status", "source", "setting", "sort", "order", "rank", "id", "group", "level",
                    "code", "type", "flag", "category",
                ]),
            // `imaging_code_description` is the label of a code, looked up, not typed.
            free_text: (has(FREE_TEXT_TOKENS) || norm.contains("free_text"))
                && !(has(&["code", "codes"]) && has(&["description", "desc"])),
        }
    }
}

/// First two letters of an NI number (HMRC rules): D, F, I, Q, U, V never
/// appear; O is not second; BG, GB, NK, KN, TN, NT and ZZ are not allocated.
pub(super) fn ni_prefix_ok(a: u8, b: u8) -> bool {
    let bad_any = |c: u8| matches!(c, b'D' | b'F' | b'I' | b'Q' | b'U' | b'V');
    if bad_any(a) || bad_any(b) || b == b'O' {
        return false;
    }
    !matches!(
        [a, b],
        [b'B', b'G']
            | [b'G', b'B']
            | [b'N', b'K']
            | [b'K', b'N']
            | [b'T', b'N']
            | [b'N', b'T']
            | [b'Z', b'Z']
    )
}

/// `AB123456C`, with or without spaces.
pub(super) fn is_ni_number(s: &str) -> bool {
    let b: Vec<u8> = s.bytes().filter(|c| *c != b' ').take(10).collect();
    b.len() == 9
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_uppercase()
        && ni_prefix_ok(b[0], b[1])
        && b[2..8].iter().all(u8::is_ascii_digit)
        && matches!(b[8], b'A'..=b'D')
}

/// A calendar date with a four-digit year, in ISO or UK order, optionally
/// followed by a time. Years before 1880 or after 2100 are not birth dates.
pub(super) fn is_date_like(s: &str) -> bool {
    let s = s.trim();
    let date = s.split(['T', ' ']).next().unwrap_or("");
    if date.len() < 8 || date.len() > 10 {
        return false;
    }
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    let num = |p: &str| p.parse::<u32>().unwrap_or(0);
    let (y, m, d) = if parts[0].len() == 4 {
        (num(parts[0]), num(parts[1]), num(parts[2]))
    } else if parts[2].len() == 4 {
        (num(parts[2]), num(parts[1]), num(parts[0]))
    } else {
        return false;
    };
    (1880..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// One to four alphabetic words (hyphens and apostrophes allowed).
pub(super) fn is_name_like(s: &str) -> bool {
    let s = s.trim();
    if s.len() < 2 || s.len() > 40 {
        return false;
    }
    let mut words = 0;
    for w in s.split(' ').filter(|w| !w.is_empty()) {
        words += 1;
        let mut chars = w.chars();
        if !chars.next().is_some_and(char::is_alphabetic) {
            return false;
        }
        if !chars.all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '.') {
            return false;
        }
    }
    (1..=4).contains(&words)
}

pub(super) fn is_email(s: &str) -> bool {
    let s = s.trim();
    if s.len() > 254 || s.contains(' ') {
        return false;
    }
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

/// UK phone numbers: 10 or 11 digits starting with 0, or +44 / 0044.
pub(super) fn is_phone(s: &str) -> bool {
    let s = s.trim();
    if s.len() > 20 {
        return false;
    }
    let mut digits = String::with_capacity(14);
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '(' | ')' => {}
            '+' if i == 0 => {}
            _ => return false,
        }
    }
    let local = if let Some(rest) = digits.strip_prefix("0044") {
        format!("0{rest}")
    } else if s.starts_with('+') {
        match digits.strip_prefix("44") {
            Some(rest) => format!("0{rest}"),
            None => return false,
        }
    } else {
        digits
    };
    (10..=11).contains(&local.len()) && local.starts_with('0') && !local.starts_with("00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert_eq!(normalize_header(" NHS Number "), "nhs_number");
        assert!(HeaderRole::from_header("NHS_NUMBER").patient_like);
        assert!(HeaderRole::from_header("nhsno").patient_like);
        assert!(HeaderRole::from_header("Patient ID").patient_like);
        assert!(!HeaderRole::from_header("practice_code").patient_like);
        assert!(HeaderRole::from_header("Date of Birth").dob);
        assert!(!HeaderRole::from_header("year_of_birth").dob);
        assert!(HeaderRole::from_header("Surname").name);
        assert!(!HeaderRole::from_header("practice_name").name);
        assert!(HeaderRole::from_header("gp_practice_code").geography);
        assert!(HeaderRole::from_header("ICB").geography);
        for classification in [
            "org_type",
            "fields.org_type",
            "provider_category",
            "site_kind",
        ] {
            let role = HeaderRole::from_header(classification);
            assert!(!role.geography && !role.small_area, "{classification}");
        }
        assert!(HeaderRole::from_header("org_code").small_area);
        assert!(HeaderRole::from_header("lsoa11cd").small_area);
        assert!(HeaderRole::from_header("financial_year").not_count);
        assert!(!HeaderRole::from_header("attendances").not_count);
        assert!(HeaderRole::from_header("Tel").phone);
        assert!(HeaderRole::from_header("postcode").postcode);
        assert!(!HeaderRole::from_header("postcode_district").postcode);
        assert!(HeaderRole::from_header("ISBN").other_id);
        assert!(HeaderRole::from_header("order_id").other_id);
        assert!(HeaderRole::from_header("Invoice No").other_id);
        assert!(HeaderRole::from_header("created_epoch").other_id);
        assert!(!HeaderRole::from_header("nhs_number").other_id);
        assert!(!HeaderRole::from_header("nhs_account_number").other_id);
        assert!(!HeaderRole::from_header("record_id").other_id);
        assert!(HeaderRole::from_header("Admissions").people_count);
        assert!(HeaderRole::from_header("number_of_patients").people_count);
        assert!(!HeaderRole::from_header("region").people_count);
        assert!(HeaderRole::from_header("Clinical Notes").free_text);
        assert!(HeaderRole::from_header("GP practice").small_area);
        assert!(HeaderRole::from_header("lsoa21cd").small_area);
        assert!(!HeaderRole::from_header("Region").small_area);
        assert!(!HeaderRole::from_header("country").small_area);
        assert!(HeaderRole::from_header("free_text").free_text);
        assert!(!HeaderRole::from_header("IMAGING_CODE_NICIP_DESCRIPTION").free_text);
        assert!(HeaderRole::from_header("description").free_text);
        assert!(!HeaderRole::from_header("note_id").other_id);
    }

    #[test]
    fn values() {
        assert!(is_ni_number("AB123456C"));
        assert!(is_ni_number("AB 12 34 56 C"));
        assert!(!is_ni_number("GB123456C"));
        assert!(!is_ni_number("AO123456C"));
        assert!(is_date_like("1970-01-31"));
        assert!(is_date_like("31/01/1970"));
        assert!(is_date_like("1970-01-31T00:00:00"));
        assert!(!is_date_like("1970-13-31"));
        assert!(!is_date_like("12345"));
        assert!(is_name_like("Jane"));
        assert!(is_name_like("O'Neil-Smith"));
        assert!(!is_name_like("x1"));
        assert!(is_email("a.b@example.org"));
        assert!(!is_email("@example"));
        assert!(is_phone("07700 900123"));
        assert!(is_phone("+44 161 496 0000"));
        assert!(is_phone("(0161) 4960000"));
        assert!(!is_phone("1614960000"));
    }
}
