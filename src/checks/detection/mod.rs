//! What a content detector reports, shared by the personal-data detectors (`checks::data`)
//! and the credential detectors (`checks::secrets`), which run in the same read of each file:
//! the kind of thing found, how sure the detector is, and a masked detection.

use serde::Serialize;

/// What was found. The rule layer maps each kind to a rule id
/// (`data/nhs-number`, `secrets/connection-string`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    NhsNumber,
    ChiNumber,
    Postcode,
    DateOfBirth,
    PersonName,
    NiNumber,
    Email,
    Phone,
    SmallNumbers,
    EnvFile,
    ConnectionString,
    UrlCredentials,
    PrivateKey,
    Token,
    Password,
    InternalHost,
}

impl Kind {
    /// The kebab-case name used in serialized output, masks and fingerprints.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NhsNumber => "nhs-number",
            Kind::ChiNumber => "chi-number",
            Kind::Postcode => "postcode",
            Kind::DateOfBirth => "date-of-birth",
            Kind::PersonName => "person-name",
            Kind::NiNumber => "ni-number",
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::SmallNumbers => "small-numbers",
            Kind::EnvFile => "env-file",
            Kind::ConnectionString => "connection-string",
            Kind::UrlCredentials => "url-credentials",
            Kind::PrivateKey => "private-key",
            Kind::Token => "token",
            Kind::Password => "password",
            Kind::InternalHost => "internal-host",
        }
    }

    /// Secrets and personal data go to different rule categories and are
    /// measured separately, so callers need to tell them apart.
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            Kind::EnvFile
                | Kind::ConnectionString
                | Kind::UrlCredentials
                | Kind::PrivateKey
                | Kind::Token
                | Kind::Password
                | Kind::InternalHost
        )
    }
}

/// How sure the detector is. Weak is worth a look (info or warning);
/// strong is what the playbook forbids (error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    Weak,
    Strong,
}

/// One masked finding in one file. Tables give one detection per column;
/// prose gives one per kind per file, so a leaked extract is one line in a
/// report, not ten thousand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detection {
    pub kind: Kind,
    pub strength: Strength,
    pub path: String,
    /// 1-based line (text) or row (tables; notebooks give the cell index + 1).
    pub line: Option<u64>,
    /// The table header of the column, when the detection is about a column.
    pub column: Option<String>,
    pub count: usize,
    /// Always masked: never contains a detected value in full.
    pub excerpt: String,
    pub message: String,
    /// Stable across commits: kind, path and the masked excerpt or column,
    /// never line numbers or counts.
    pub fingerprint_basis: String,
}

/// Kind and length only: `<password, 18 chars>`. Credentials are never shown in part.
pub fn mask_secret(kind: Kind, value: &str) -> String {
    format!("<{}, {} chars>", kind.as_str(), value.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_masked_to_its_kind_and_length() {
        assert_eq!(
            mask_secret(Kind::Password, "hunter2hunter2hunte"),
            "<password, 19 chars>"
        );
    }
}
